import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/corpus.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';

/** A feed article on a day of 2024 (or undated), ingested at a given minute. */
function article(id: string, day: number | undefined, minute: number): Article {
  return {
    id,
    title: `Story ${id}`,
    paragraphs: ['Talks at Panmunjom.'],
    origin: 'feed',
    feedId: 'test',
    published: day === undefined ? undefined : { year: 2024, month: 1 + Math.floor(day / 28), day: 1 + (day % 28) },
    ingestedAt: new Date(Date.UTC(2024, 0, 1) + minute * 60_000).toISOString(),
  };
}

/** What "latest" means, written out plainly: by date, undated last, then latest ingested, then id. */
function expectedLatest(articles: Iterable<Article>): string[] {
  const key = (a: Article) => (a.published ? a.published.year * 10_000 + a.published.month! * 100 + a.published.day! : -1);
  return [...articles]
    .sort((a, b) => key(b) - key(a) || b.ingestedAt!.localeCompare(a.ingestedAt!) || a.id.localeCompare(b.id))
    .map((a) => a.id);
}

describe('the latest articles', () => {
  it('stay in date order through thousands of arrivals in any order, replacements included', () => {
    let random = 11;
    const next = (n: number) => (random = (random * 48271) % 2147483647) % n;
    const initial = Array.from({ length: 1500 }, (_, i) => article(`seed-${i}`, next(300), next(100_000)));
    const corpus = createCorpus(initial);
    const byId = new Map(initial.map((a) => [a.id, a]));
    for (let i = 0; i < 4000; i++) {
      // Mostly today's news, some back-dated, some undated, and now and then a corrected version of an earlier article.
      const kind = next(10);
      const id = kind === 0 ? [...byId.keys()][next(byId.size)]! : `feed-${i}`;
      const day = kind === 1 ? undefined : kind < 4 ? next(300) : 299;
      const replacement = article(id, day, 100_000 + i);
      corpus.add(replacement);
      byId.set(id, replacement);
    }
    expect(corpus.latest().map((a) => a.id)).toEqual(expectedLatest(byId.values()));
    expect(corpus.latest()).toHaveLength(byId.size);
  });
});
