import { beforeAll, describe, expect, it } from 'vitest';
import type { Article, Corpus } from '../../src/corpus/corpus.ts';
import { loadArticles } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { makeSnippet } from '../../src/corpus/snippet.ts';

const DATA = new URL('../../data', import.meta.url).pathname;
let seeds: Article[];
beforeAll(async () => {
  seeds = await loadArticles(DATA);
});

const ids = (hits: { article: Article }[]) => hits.map((h) => h.article.id.slice(0, 3));

function feedArticle(id: string, title: string, text: string, published?: Article['published']): Article {
  return { id, title, paragraphs: [text], origin: 'feed', feedId: 'test', published, dateDerivation: published ? 'stated' : undefined };
}

describe('searching the seed corpus', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = createCorpus(seeds);
  });

  it('finds the article about Pompeo from a word prefix', () => {
    expect(ids(corpus.search('pomp'))).toEqual(['001']);
  });

  it('forgives a typo in a longer word', () => {
    expect(ids(corpus.search('armistise'))).toContain('002');
    expect(ids(corpus.search('Pompio'))).toEqual(['001']);
  });

  it('GIVEN typos: false THEN a misspelt word finds nothing, and the other words are matched as written', () => {
    expect(corpus.search('Pompio', { typos: false })).toEqual([]);
    // No article has both: any word follows at once, without guessing what "Pompio" meant.
    expect(ids(corpus.search('Pompio Bolton', { typos: false }))).toEqual(['003']);
    expect(ids(corpus.search('Pompio Bolton')).sort()).toEqual(['001', '003']);
  });

  it('GIVEN a limit THEN only the best that many hits, in the same order', () => {
    const all = corpus.search('peace treaty');
    expect(all.length).toBeGreaterThan(2);
    expect(corpus.search('peace treaty', { limit: 2 }).map((h) => h.article.id)).toEqual(all.slice(0, 2).map((h) => h.article.id));
  });

  it('GIVEN a page of a query matching many articles THEN the same hits as that page of the full ranking, and the total', () => {
    // Ties (same text) and different scores (the word repeated), in an order unlike the ranking's.
    const many = Array.from({ length: 600 }, (_, i) =>
      feedArticle(`m${i}`, `Report ${i}`, `${'treaty '.repeat(1 + ((i * 7) % 5))}talks number ${i} went on.`),
    );
    const big = createCorpus([...seeds, ...many]);
    const all = big.search('treaty').map((h) => h.article.id);
    expect(all.length).toBeGreaterThan(600);
    for (const page of [1, 2, 37]) {
      const { hits, total } = big.searchPage('treaty', page, 5);
      expect(total).toBe(all.length);
      expect(hits.map((h) => h.article.id)).toEqual(all.slice((page - 1) * 5, page * 5));
    }
    // Past the end: no hits, still the total, for /news to say how many pages there are.
    expect(big.searchPage('treaty', 1000, 5)).toEqual({ hits: [], total: all.length });
    expect(big.searchPage('zzqxv', 1, 5)).toEqual({ hits: [], total: 0 });
  });

  it('requires every word while some article has them all', () => {
    // Only 003 names both Bolton and Hanoi.
    expect(ids(corpus.search('Bolton Hanoi'))).toEqual(['003']);
  });

  it('falls back to any word when no article has them all', () => {
    // Pompeo (001) and Bolton (003) never appear together.
    expect(ids(corpus.search('Pompeo Bolton')).sort()).toEqual(['001', '003']);
  });

  it('ranks first the article whose headline has the words', () => {
    expect(ids(corpus.search('North Korea may seek peace treaty'))[0]).toBe('002');
    const hits = corpus.search('peace treaty');
    expect(hits[0]!.score).toBeGreaterThan(hits.at(-1)!.score);
  });

  it('finds an article by its outlet', () => {
    expect(ids(corpus.search('Associated Press'))).toEqual(['004']);
  });

  it('finds nothing for words no article has, and for boilerplate', () => {
    expect(corpus.search('xylophone quasar')).toEqual([]);
    expect(corpus.search('gtag')).toEqual([]);
    expect(corpus.search('Getty')).toEqual([]);
  });

  it('shows a snippet around the match, cut at words, with ellipses', () => {
    const hit = corpus.search('Yongbyon')[0]!;
    expect(hit.article.id.slice(0, 3)).toBe('003');
    expect(hit.snippet).toContain('Yongbyon');
    expect(hit.snippet.startsWith('…')).toBe(true);
    expect(hit.snippet.endsWith('…')).toBe(true);
    expect(hit.snippet.length).toBeLessThanOrEqual(202);
    const inner = hit.snippet.slice(1, -1);
    const text = hit.article.paragraphs.join(' ');
    expect(text).toContain(inner); // a window of the real text
    expect(text[text.indexOf(inner) - 1]).toBe(' '); // starting at a word
    expect(text[text.indexOf(inner) + inner.length]).toBe(' '); // ending at a word
  });

  it('lists the latest articles newest first, the least precise date of a year after its precise dates', () => {
    expect(corpus.latest().map((a) => a.id.slice(0, 3))).toEqual(['000', '003', '004', '001', '002']);
  });
});

describe('ranking', () => {
  it('puts an article with the word in its title above one that only mentions it', () => {
    const corpus = createCorpus([
      feedArticle('body', 'Veterans gather', 'Veterans marked the armistice anniversary; the armistice was discussed at length.'),
      feedArticle('title', 'Armistice anniversary', 'Veterans gathered at the border on Monday.'),
    ]);
    expect(corpus.search('armistice').map((h) => h.article.id)).toEqual(['title', 'body']);
  });
});

describe('adding articles', () => {
  it('makes a new article searchable at once and tells the listeners', () => {
    const corpus = createCorpus(seeds);
    const heard: string[] = [];
    corpus.onAdd((a) => heard.push(a.id));
    corpus.add(feedArticle('feed:1', 'Panmunjom talks resume', 'Negotiators met at Panmunjom on Monday.', { year: 2024, month: 5, day: 2 }));
    expect(ids(corpus.search('Panmunjom'))).toEqual(['fee']);
    expect(corpus.get('feed:1')?.title).toBe('Panmunjom talks resume');
    expect(corpus.latest()[0]!.id).toBe('feed:1');
    expect(corpus.all()).toHaveLength(6);
    expect(heard).toEqual(['feed:1']);
  });

  it('replaces an article added again under the same id', () => {
    const corpus = createCorpus([]);
    corpus.add(feedArticle('feed:1', 'First version', 'About Kaesong.'));
    corpus.add(feedArticle('feed:1', 'Second version', 'About Panmunjom.'));
    expect(corpus.all()).toHaveLength(1);
    expect(corpus.search('Kaesong')).toEqual([]);
    expect(corpus.search('Panmunjom').map((h) => h.article.title)).toEqual(['Second version']);
  });

  it('re-indexes a loaded article that is replaced, forgetting its old words', () => {
    const corpus = createCorpus(seeds);
    const old = corpus.get('001_a52e17232520a38c')!;
    corpus.add({ ...old, title: 'Corrected', paragraphs: ['A corrected text about Kaesong.'] });
    expect(corpus.search('Pompeo')).toEqual([]);
    expect(ids(corpus.search('Kaesong'))).toEqual(['001']);
    expect(corpus.all()).toHaveLength(5);
    // The other articles score as before.
    expect(ids(corpus.search('Bolton Hanoi'))).toEqual(['003']);
  });

  it('still tells every listener when one of them fails', () => {
    const corpus = createCorpus([]);
    const heard: string[] = [];
    corpus.onAdd(() => {
      throw new Error('listener broke');
    });
    corpus.onAdd((a) => heard.push(a.id));
    expect(() => corpus.add(feedArticle('feed:2', 'Title', 'Text.'))).toThrow(/listener/);
    expect(heard).toEqual(['feed:2']);
    expect(corpus.get('feed:2')).toBeDefined();
  });

  it('keeps the newest-first order as articles arrive in any order or are replaced', () => {
    const dated = (id: string, year: number, month?: number, day?: number) => feedArticle(id, id, 'x', { year, month, day });
    const arrivals = [dated('d', 2019, 9, 24), dated('a', 2018), feedArticle('u', 'u', 'x'), dated('c', 2019), dated('b', 2018, 3), dated('e', 2020, 10, 9)];
    const incremental = createCorpus([]);
    for (const article of arrivals) incremental.add(article);
    expect(incremental.latest().map((a) => a.id)).toEqual(['e', 'd', 'c', 'b', 'a', 'u']);
    expect(createCorpus(arrivals).latest().map((a) => a.id)).toEqual(['e', 'd', 'c', 'b', 'a', 'u']);
    incremental.add(dated('a', 2021)); // corrected date
    expect(incremental.latest().map((a) => a.id)).toEqual(['a', 'e', 'd', 'c', 'b', 'u']);
  });

  it('GIVEN a page of the latest THEN that slice of the whole newest-first list, across the chunks the order is kept in', () => {
    const corpus = createCorpus(seeds);
    // 3,000 articles arriving in a scrambled date order: chunks fill and split.
    for (let i = 0; i < 3000; i++) {
      const n = (i * 7919) % 3000;
      corpus.add(feedArticle(`l${i}`, `Story ${i}`, 'Text.', { year: 2000 + (n % 25), month: 1 + (n % 12), day: 1 + (n % 28) }));
    }
    const whole = corpus.latest().map((a) => a.id);
    for (const page of [1, 2, 103, 601, 602]) {
      const { articles, total } = corpus.latestPage(page, 5);
      expect(total).toBe(whole.length);
      expect(articles.map((a) => a.id)).toEqual(whole.slice((page - 1) * 5, page * 5));
    }
  });

  it('puts undated articles after dated ones', () => {
    const corpus = createCorpus([
      feedArticle('b', 'Undated', 'x'),
      feedArticle('a', 'Old', 'x', { year: 1953, month: 7, day: 27 }),
      feedArticle('c', 'New', 'x', { year: 2018, month: 4 }),
    ]);
    expect(corpus.latest().map((a) => a.title)).toEqual(['New', 'Old', 'Undated']);
  });
});

describe('articles arriving one by one', () => {
  /** Deterministic made-up articles, ~120 distinct words each from a vocabulary of 3,000. */
  function manyArticles(count: number): Article[] {
    let state = 7;
    const word = () => `w${(state = (state * 48271) % 2147483647) % 3000}`;
    return Array.from({ length: count }, (_, i) =>
      feedArticle(`a${i}`, `${word()} ${word()} report`, Array.from({ length: 150 }, word).join(' '), { year: 2020, month: 1 + (i % 12) }),
    );
  }

  it('rank exactly as the same articles loaded at once, also after the index repacks what arrived', () => {
    // 700 articles give ~90,000 postings: more than the index holds aside before repacking them.
    const articles = manyArticles(700);
    const loaded = createCorpus(articles);
    const arrived = createCorpus(articles.slice(0, 100));
    for (const article of articles.slice(100)) arrived.add(article);
    for (const query of ['w1', 'w12 w7', 'report', 'w29', 'w2999 w1500', 'w4 w5 w6']) {
      const expected = loaded.search(query).map((h) => [h.article.id, h.score]);
      expect(expected.length).toBeGreaterThan(0);
      expect(arrived.search(query).map((h) => [h.article.id, h.score])).toEqual(expected);
    }
  });
});

describe('snippets', () => {
  it('show a short text whole', () => {
    expect(makeSnippet(['Short text.'], ['text'])).toBe('Short text.');
  });

  it('show the opening when the match is only in the title', () => {
    const long = 'word '.repeat(100).trim();
    const snippet = makeSnippet([long], ['absent']);
    expect(snippet.startsWith('word')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });
});
