import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpusDataError, loadArticles, readCorpus } from '../../src/corpus/load.ts';

const DATA = new URL('../../data', import.meta.url).pathname;

const copies: string[] = [];
afterEach(() => {
  while (copies.length > 0) rmSync(copies.pop()!, { recursive: true, force: true });
});

function copyOfData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'armistice-load-'));
  copies.push(dir);
  cpSync(DATA, dir, { recursive: true });
  return dir;
}

describe('loading data/corpus', () => {
  it('gives the five seed articles with their metadata and cleaned text', async () => {
    const articles = await loadArticles(DATA);
    expect(articles.map((a) => a.id)).toEqual([
      '000_546d1457a8590048',
      '001_a52e17232520a38c',
      '002_6b42de142ce55b91',
      '003_d3d20f4a58c752ab',
      '004_e776972307e5fca4',
    ]);
    const ap = articles[4]!;
    expect(ap).toMatchObject({
      title: 'South Korean leader calls for closer ties with North Korea',
      outlet: 'The Associated Press',
      published: { year: 2019, month: 9, day: 24 },
      dateDerivation: 'inferred',
      origin: 'seed',
    });
    expect(ap.dateNote).toContain('Tuesday');
    expect(ap.paragraphs[0]).toMatch(/^UNITED NATIONS \(AP\) — South Korean President Moon Jae-in on Tuesday/);
    expect(ap.paragraphs.at(-1)).toMatch(/gain permanent peace\.”$/);
  });

  it('gives dates no more precise than the texts allow, and an outlet only where the text shows one', async () => {
    const articles = await loadArticles(DATA);
    const byId = new Map(articles.map((a) => [a.id.slice(0, 3), a]));
    expect(byId.get('000')).toMatchObject({ published: { year: 2020, month: 10, day: 9 }, dateDerivation: 'stated' });
    expect(byId.get('001')?.published).toMatchObject({ year: 2018, month: 8 });
    expect(byId.get('001')?.published?.day).toBeUndefined();
    expect(byId.get('002')?.published).toMatchObject({ year: 2018, month: 3 });
    expect(byId.get('002')?.published?.day).toBeUndefined();
    expect(byId.get('003')?.published?.month).toBeUndefined();
    for (const id of ['000', '001', '002', '003']) {
      expect(byId.get(id)?.outlet, id).toBeUndefined();
      expect(byId.get(id)?.note, id).toMatch(/Outlet unknown/);
    }
  });

  it('explains a missing text file by name instead of crashing', async () => {
    const dir = copyOfData();
    rmSync(join(dir, 'corpus', '003_d3d20f4a58c752ab.txt'));
    const { articles, problems } = await readCorpus(dir);
    expect(articles).toHaveLength(4); // the others still load
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('"003_d3d20f4a58c752ab.txt" does not exist');

    const error = await loadArticles(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusDataError);
    expect((error as Error).message).toMatch(/articles\.yaml:\d+: file: "003_d3d20f4a58c752ab\.txt" does not exist/);
  });

  it('explains malformed YAML with file and line', async () => {
    const dir = copyOfData();
    const yamlPath = join(dir, 'corpus', 'articles.yaml');
    writeFileSync(yamlPath, `${readFileSync(yamlPath, 'utf8')}\n  - id: [unclosed\n`);
    const error = await loadArticles(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusDataError);
    expect((error as Error).message).toMatch(new RegExp(`${yamlPath.replace(/[.]/g, '\\.')}:\\d+: malformed YAML`));
  });

  it('explains a data directory without a corpus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'armistice-empty-'));
    copies.push(dir);
    await expect(loadArticles(dir)).rejects.toThrow(`${join(dir, 'corpus', 'articles.yaml')}: the corpus metadata file does not exist`);
  });

  it('takes the headline from the text when articles.yaml gives no title', async () => {
    const dir = copyOfData();
    const yamlPath = join(dir, 'corpus', 'articles.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace('    title: Pyongyang Wants U.S. to Declare End of Korean War\n', ''));
    const articles = await loadArticles(dir);
    expect(articles.find((a) => a.id.startsWith('001'))?.title).toBe('Pyongyang Wants U.S. to Declare End of Korean War');
  });
});
