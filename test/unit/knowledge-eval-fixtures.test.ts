import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dateRange } from '../../src/core/dates.ts';
import { EVAL_DIR, EvalSetError, loadEvalSet } from '../../bench/knowledge-eval/load.ts';
import type { GoldArticle } from '../../bench/knowledge-eval/load.ts';
import { datesAgree, quoteShared, rolesAgree, scoreArticle, type FoundEntity } from '../../bench/knowledge-eval/score.ts';

/**
 * The extractor's yardstick (test/fixtures/knowledge-eval, read by
 * bench/extractor-quality.ts) must be well-formed, or its figures mean
 * nothing: a quote that is not in its article can never be matched.
 */
describe('knowledge evaluation set', () => {
  it('has at least 20 articles, each with an address, an outlet, a date and a body', async () => {
    const set = await loadEvalSet();
    expect(set.length).toBeGreaterThanOrEqual(20);
    for (const { article } of set) {
      expect(article.url, article.id).toMatch(/^https?:\/\/\S+$/);
      expect(article.outlet?.trim(), article.id).toBeTruthy();
      expect(article.published, article.id).toBeDefined();
      expect(article.paragraphs.length, article.id).toBeGreaterThan(0);
    }
    expect(new Set(set.map((a) => a.article.url)).size).toBe(set.length);
  });

  it('quotes every gold event exactly from its article, and names only entities of that article', async () => {
    for (const { article, text, gold } of await loadEvalSet()) {
      expect(gold.events.length + gold.entities.length, article.id).toBeGreaterThan(0);
      const names = new Set(gold.entities.map((e) => e.name));
      for (const event of gold.events) {
        expect(text, `${article.id}: quote of "${event.summary}"`).toContain(event.quote);
        for (const name of event.entities) expect(names, `${article.id}: ${event.summary}`).toContain(name);
        expect(event.summary.trim(), article.id).not.toBe('');
      }
      // A quote must sit inside one line: the extractor reads a line as a paragraph.
      for (const event of gold.events) expect(event.quote, article.id).not.toContain('\n');
    }
  });

  it('gives every gold date as YYYY, YYYY-MM or YYYY-MM-DD, none after its article', async () => {
    const raw = parse(await readFile(join(EVAL_DIR, 'gold.yaml'), 'utf8')) as { articles: Array<{ events?: Array<{ date: unknown }> }> };
    for (const article of raw.articles) for (const event of article.events ?? []) expect(String(event.date)).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
    for (const { article, gold } of await loadEvalSet()) {
      const published = dateRange(article.published!).end;
      // An event after its article is one the article announces, and the gold says so.
      for (const event of gold.events) if (dateRange(event.date).start > published) expect(event.planned, `${article.id}: ${event.summary}`).toBe(true);
    }
  });

  it('refuses an article without gold, with a message naming it', async () => {
    const { mkdtemp, writeFile, copyFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'eval-'));
    await copyFile(join(EVAL_DIR, 'articles.yaml'), join(dir, 'articles.yaml'));
    await writeFile(join(dir, 'gold.yaml'), 'articles: []\n');
    await expect(loadEvalSet(dir)).rejects.toThrow(new EvalSetError('article 01: no gold annotations'));
  });
});

describe('matching rules of the extractor-quality bench', () => {
  it('agrees on roles by their key title words, whatever the country words', () => {
    expect(rolesAgree('South Korean foreign minister', 'Foreign Minister')).toBe(true);
    expect(rolesAgree('US Secretary of State', 'Secretary of State')).toBe(true);
    expect(rolesAgree('President of the United States', 'US presidential candidate (Democrat)')).toBe(false);
    expect(rolesAgree('leader of North Korea', 'Chairman')).toBe(false);
  });

  it('agrees on dates to the gold precision only, never from a coarser find', () => {
    const gold = { date: { year: 2021, month: 9 }, summary: '', entities: [], quote: '' };
    expect(datesAgree({ year: 2021, month: 9, day: 21 }, gold)).toBe(true);
    expect(datesAgree({ year: 2021 }, gold)).toBe(false);
    expect(datesAgree({ year: 2021, month: 10 }, gold)).toBe(false);
    expect(datesAgree({ year: 2021 }, { ...gold, established: true })).toBe(true);
  });

  it('shares a quote across curly and straight quotation marks', () => {
    expect(quoteShared('He said the idea was “admirable” on Friday.', 'the idea was "admirable"')).toBe(true);
    expect(quoteShared('Earlier this week, Korean Ambassador to the U.S.', 'told a group of reporters')).toBe(false);
  });

  it('scores one article: spelling variants match, a second entry and an unscored place do not count as finds, a coarse or invented date is caught', () => {
    const gold: GoldArticle = {
      entities: [
        { name: 'Chung Eui-yong', kind: 'person', aliases: [], roles: ['South Korean foreign minister'] },
        { name: 'Kim Yo-jong', kind: 'person', aliases: [], roles: [] },
      ],
      unscored: ['Paris'],
      events: [{ date: { year: 2021, month: 10, day: 5 }, summary: 'Chung meets Blinken in Paris.', entities: ['Chung Eui-yong'], quote: 'The two envoys met on Tuesday in Paris.' }],
      statedDays: [],
    };
    const person = (name: string, roles: string[] = []): FoundEntity => ({ name, names: [name], kind: 'person', roles });
    const found = [person('Chung Eui-Yong', ['Foreign Minister']), person('Chung'), { ...person('Paris'), kind: 'organisation' as const }, person('Kim Yo Jong')];
    const events = [
      { date: { year: 2021, month: 10, day: 5 }, summary: 's', quote: 'The two envoys met on Tuesday in Paris.', entities: [] },
      { date: { year: 2021, month: 10, day: 5 }, summary: 's', quote: 'The two envoys met on Tuesday in Paris.', entities: [] },
      { date: { year: 2021, month: 10, day: 12 }, summary: 'Chung said so.', quote: 'Chung said so on Tuesday.', entities: [] },
    ];
    const score = scoreArticle('x', gold, found, events);
    expect(score.entities.matched).toBe(2);
    expect(score.entities.falsePositives.map((f) => f.name)).toEqual(['Chung']);
    expect(score.roles).toMatchObject({ checked: 1, right: 1 });
    expect(score.events.matched).toBe(1);
    expect(score.events.falsePositives.map((f) => f.why)).toEqual(['a second find of the gold event of 2021-10-05', 'no such dated event in the gold']);
    expect(score.invented.map((e) => e.date.day)).toEqual([12]);
  });
});
