import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkData, formatProblem, registerDataCheck, type Problem } from '../../src/check-data.ts';

const DATA = new URL('../../data', import.meta.url).pathname;
const NOW = new Date('2026-01-15T12:00:00Z');

const copies: string[] = [];
afterEach(() => {
  while (copies.length > 0) rmSync(copies.pop()!, { recursive: true, force: true });
});

/** A scratch copy of data/ to break. */
function copyOfData(): { dir: string; yamlPath: string; yaml: string } {
  const dir = mkdtempSync(join(tmpdir(), 'armistice-data-'));
  copies.push(dir);
  cpSync(DATA, dir, { recursive: true });
  const yamlPath = join(dir, 'corpus', 'articles.yaml');
  return { dir, yamlPath, yaml: readFileSync(yamlPath, 'utf8') };
}

/** The 1-based line of the first line containing `text`. */
function lineOf(yaml: string, text: string, after = 0): number {
  const lines = yaml.split('\n');
  const index = lines.findIndex((l, i) => i >= after && l.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in the YAML`);
  return index + 1;
}

function only(problems: Problem[]): Problem {
  expect(problems.map(formatProblem)).toHaveLength(1);
  return problems[0]!;
}

describe('checkData on data/', () => {
  it('finds nothing wrong with the real data', async () => {
    expect((await checkData(DATA)).map(formatProblem)).toEqual([]);
  });
});

describe('checkData on broken copies of data/', () => {
  it('names file and line of a date that does not exist', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    writeFileSync(yamlPath, yaml.replace('published: "2018-08"', 'published: "2018-13"'));
    const problem = only(await checkData(dir, { now: NOW }));
    expect(problem.file).toBe(yamlPath);
    expect(problem.line).toBe(lineOf(yaml, 'published: "2018-08"'));
    expect(problem.message).toContain('"2018-13" is not a date');
    expect(problem.message).toContain('YYYY-MM-DD');
  });

  it('names the entry of a file that is missing', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    unlinkSync(join(dir, 'corpus', '002_6b42de142ce55b91.txt'));
    const problem = only(await checkData(dir, { now: NOW }));
    expect(problem.file).toBe(yamlPath);
    expect(problem.line).toBe(lineOf(yaml, 'file: 002_6b42de142ce55b91.txt'));
    expect(problem.message).toContain('"002_6b42de142ce55b91.txt" does not exist');
  });

  it('names the line of a duplicate id and where it was first used', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    writeFileSync(yamlPath, yaml.replace('id: 001_a52e17232520a38c', 'id: 000_546d1457a8590048'));
    const problems = await checkData(dir, { now: NOW });
    const duplicate = problems.find((p) => p.message.includes('duplicate id'));
    expect(duplicate).toMatchObject({ file: yamlPath, line: lineOf(yaml, 'id: 001_a52e17232520a38c') });
    expect(duplicate!.message).toContain(`first used at line ${lineOf(yaml, '- id: 000_546d1457a8590048')}`);
  });

  it('names the line where the YAML stops making sense', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    const broken = yaml.replace('    title: Pyongyang Wants U.S. to Declare End of Korean War', '    title: [Pyongyang Wants U.S.');
    writeFileSync(yamlPath, broken);
    const problems = await checkData(dir, { now: NOW });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.file).toBe(yamlPath);
    expect(problems[0]!.message).toMatch(/^malformed YAML: /);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(lineOf(broken, 'title: [Pyongyang'));
    // The files are not called unlisted when the list itself could not be read.
    expect(problems.every((p) => p.file === yamlPath)).toBe(true);
  });

  it('names a missing field and an unknown one', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    writeFileSync(yamlPath, yaml.replace('    file: 004_e776972307e5fca4.txt\n', '').replace('    outlet: The Associated Press', '    outlett: The Associated Press'));
    const problems = await checkData(dir, { now: NOW });
    const entryLine = lineOf(yaml, '- id: 004_e776972307e5fca4');
    expect(problems).toContainEqual({ file: yamlPath, line: entryLine, message: 'file is missing' });
    const unknown = problems.find((p) => p.message.includes('unknown field'));
    expect(unknown?.message).toContain('"outlett"');
    expect(unknown?.line).toBe(entryLine + 2); // id, title, then the misspelt outlet (file removed)
  });

  it('reports a .txt file that articles.yaml does not list', async () => {
    const { dir } = copyOfData();
    writeFileSync(join(dir, 'corpus', '005_new.txt'), 'Headline\n\nA body.\n');
    const problem = only(await checkData(dir, { now: NOW }));
    expect(problem.file).toBe(join(dir, 'corpus', '005_new.txt'));
    expect(problem.message).toContain('not listed in articles.yaml');
  });

  it('reports a publication date in the future', async () => {
    const { dir, yamlPath, yaml } = copyOfData();
    writeFileSync(yamlPath, yaml.replace('published: "2019-09-24"', 'published: "2026-02"'));
    const problem = only(await checkData(dir, { now: NOW }));
    expect(problem).toMatchObject({ file: yamlPath, line: lineOf(yaml, 'published: "2019-09-24"') });
    expect(problem.message).toContain('2026-02 is in the future');
  });

  it('reports an article with nothing left once boilerplate is removed', async () => {
    const { dir } = copyOfData();
    const txt = join(dir, 'corpus', '001_a52e17232520a38c.txt');
    writeFileSync(txt, 'Pyongyang Wants U.S. to Declare End of Korean War\n\nBe the first to comment\n\nLeave a Reply\n');
    const problem = only(await checkData(dir, { now: NOW }));
    expect(problem.file).toBe(txt);
    expect(problem.message).toContain('no text left once boilerplate is removed');
  });

  it('names the line of a text file that is not UTF-8', async () => {
    const { dir } = copyOfData();
    const txt = join(dir, 'corpus', '002_6b42de142ce55b91.txt');
    writeFileSync(txt, Buffer.concat([Buffer.from('Headline\n\nFirst line.\nSecond '), Buffer.from([0xff, 0xfe]), Buffer.from(' line.\n')]));
    expect(only(await checkData(dir, { now: NOW }))).toEqual({ file: txt, line: 4, message: 'is not UTF-8 text: save it as UTF-8' });
  });

  it('reports a missing articles.yaml by name', async () => {
    const { dir, yamlPath } = copyOfData();
    unlinkSync(yamlPath);
    expect(only(await checkData(dir, { now: NOW }))).toEqual({ file: yamlPath, message: 'the corpus metadata file does not exist' });
  });

  it('runs checks other modules register, and turns a crashing check into a problem', async () => {
    const { dir } = copyOfData();
    registerDataCheck({ name: 'test-extra', run: (d) => [{ file: join(d, 'knowledge', 'x.yaml'), line: 3, message: 'example' }] });
    expect((await checkData(dir, { now: NOW })).map(formatProblem)).toEqual([`${join(dir, 'knowledge', 'x.yaml')}:3: example`]);
    registerDataCheck({
      name: 'test-extra',
      run: () => {
        throw new Error('boom');
      },
    });
    expect(only(await checkData(dir, { now: NOW })).message).toBe('the test-extra check could not run: boom');
    registerDataCheck({ name: 'test-extra', run: () => [] });
  });
});
