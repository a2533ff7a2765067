import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkData, formatProblem, registeredDataChecks } from '../../src/check-data.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { checkKnowledge } from '../../src/knowledge/check.ts';
import { KnowledgeDataError } from '../../src/knowledge/load.ts';
import { loadKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of data/ with one knowledge file edited: `edit` gets and returns its text. */
async function brokenCopy(file: 'entities.yaml' | 'events.yaml', edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'knowledge-check-'));
  dirs.push(dir);
  await cp('data/corpus', join(dir, 'corpus'), { recursive: true });
  await cp('data/knowledge', join(dir, 'knowledge'), { recursive: true });
  const path = join(dir, 'knowledge', file);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  expect(after, 'the edit must change the file').not.toBe(before);
  await writeFile(path, after);
  return dir;
}

async function problemsIn(dir: string): Promise<string[]> {
  const { articles } = await readCorpus(dir);
  return (await checkKnowledge(dir, articles)).map(formatProblem);
}

/** The 1-based line of the first occurrence of `text` in a file. */
async function lineOf(path: string, text: string): Promise<number> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  return lines.findIndex((l) => l.includes(text)) + 1;
}

describe('check-data on data/knowledge', () => {
  it('finds no problem in the curated data, and is registered with check-data', async () => {
    const { articles } = await readCorpus('data');
    expect(await checkKnowledge('data', articles)).toEqual([]);
    expect(registeredDataChecks().map((c) => c.name)).toContain('knowledge');
    expect((await checkData('data')).filter((p) => p.file.includes('knowledge'))).toEqual([]);
  });

  it('GIVEN a quote that is not in the article THEN it names the file, the line and the article', async () => {
    const dir = await brokenCopy('entities.yaml', (t) => t.replace('quote: Moon has scheduled his own visit to Pyongyang in September', 'quote: Moon has cancelled his visit'));
    const line = await lineOf(join(dir, 'knowledge/entities.yaml'), 'Moon has cancelled his visit');
    expect(await problemsIn(dir)).toEqual([
      `${join(dir, 'knowledge/entities.yaml')}:${line}: moon-jae-in: the quote does not occur in the cleaned text of 001_a52e17232520a38c: "Moon has cancelled his visit"`,
    ]);
  });

  it('GIVEN a citation of an article that does not exist THEN it says so', async () => {
    const dir = await brokenCopy('events.yaml', (t) => t.replace('article: 004_e776972307e5fca4\n        quote: Trump, after trading insults', 'article: 009_nope\n        quote: Trump, after trading insults'));
    const problems = await problemsIn(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('trump-kim-insults: article "009_nope" is not in the corpus');
    expect(problems[0]).toContain(`events.yaml:${await lineOf(join(dir, 'knowledge/events.yaml'), '009_nope')}:`);
  });

  it('GIVEN an alias shared with another entity without the ambiguous mark THEN it asks for the mark', async () => {
    const dir = await brokenCopy('entities.yaml', (t) => t.replace('aliases: [Korea Society]', 'aliases: [Korea Society, Moon]').replace('aliases: [Moon Jae In, Moon Jaein, 문재인]', 'aliases: [Moon Jae In, Moon Jaein, 문재인, Moon]'));
    const problems = await problemsIn(dir);
    expect(problems.some((p) => p.includes('korea-society: alias "Moon" also names moon-jae-in; write it {name: Moon, ambiguous: true} on each'))).toBe(true);
    expect(problems.some((p) => p.includes('moon-jae-in: alias "Moon" also names korea-society'))).toBe(true);
  });

  it('GIVEN a malformed or impossible date THEN it reports the field with an example', async () => {
    const dir = await brokenCopy('events.yaml', (t) => t.replace('date: "2017"\n    derivation: stated\n    summary: Donald Trump', 'date: "2017-13"\n    derivation: stated\n    summary: Donald Trump'));
    const line = await lineOf(join(dir, 'knowledge/events.yaml'), '"2017-13"');
    expect(await problemsIn(dir)).toEqual([
      `${join(dir, 'knowledge/events.yaml')}:${line}: date (trump-kim-insults): "2017-13" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. "2018-04-27")`,
    ]);
    await expect(loadKnowledgeBase(dir)).rejects.toBeInstanceOf(KnowledgeDataError);
  });

  it('GIVEN a relative date that does not match its phrase THEN it shows what chrono resolves it to', async () => {
    const dir = await brokenCopy('events.yaml', (t) => t.replace('date: "2019"\n    derivation: relative\n    phrase: last year\n    relativeTo: 003_d3d20f4a58c752ab\n    summary: Ro Khanna', 'date: "2018"\n    derivation: relative\n    phrase: last year\n    relativeTo: 003_d3d20f4a58c752ab\n    summary: Ro Khanna'));
    const problems = await problemsIn(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('khanna-resolution: "last year" resolves to 2019 against 003_d3d20f4a58c752ab\'s date (2020), but date is 2018');
  });

  it('GIVEN an event without sources, an unknown entity and an unknown field THEN each is reported', async () => {
    const dir = await brokenCopy('events.yaml', (t) =>
      t
        .replace('entities: [un-security-council, north-korea]', 'entities: [un-security-council, north-koreaa]')
        .replace('    summary: Donald Trump and Kim Jong-un trade insults.\n', '    summary: Donald Trump and Kim Jong-un trade insults.\n    colour: blue\n'),
    );
    const problems = await problemsIn(dir);
    expect(problems.some((p) => p.includes('un-sanctions-exports: entity "north-koreaa" does not exist in entities.yaml'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown field colour (trump-kim-insults)'))).toBe(true);
    const noSources = await brokenCopy('entities.yaml', (t) => t.replace(/(  - id: japan\n(?:.*\n)*?)    sources:\n      - article: 004_e776972307e5fca4\n        quote: rattled South Korea and Japan\n/, '$1'));
    const japanLine = await lineOf(join(noSources, 'knowledge/entities.yaml'), 'id: japan');
    expect(await problemsIn(noSources)).toEqual([`${join(noSources, 'knowledge/entities.yaml')}:${japanLine}: sources (japan) is missing`]);
  });

  it('GIVEN an anniversary without a full date THEN it asks for one', async () => {
    const dir = await brokenCopy('events.yaml', (t) => t.replace('    entities: [donald-trump, kim-jong-un]\n    sources:\n      - article: 004_e776972307e5fca4\n        quote: Trump, after trading insults', '    entities: [donald-trump, kim-jong-un]\n    anniversary: true\n    sources:\n      - article: 004_e776972307e5fca4\n        quote: Trump, after trading insults'));
    expect((await problemsIn(dir)).some((p) => p.includes('trump-kim-insults: an anniversary needs a full date (YYYY-MM-DD), not 2017'))).toBe(true);
  });
});
