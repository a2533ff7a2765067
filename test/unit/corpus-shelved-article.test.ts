import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/corpus.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { ShelvedArticle, shelve } from '../../src/corpus/shelved-article.ts';

const article: Article = {
  id: 'feed-0123456789abcdef',
  title: 'Kim Yo-jong calls end-of-war declaration “an admirable idea”',
  outlet: 'Korea JoongAng Daily',
  url: 'https://example.org/2021/09/25/kim',
  published: { year: 2021, month: 9, day: 25 },
  dateDerivation: 'stated',
  paragraphs: [
    'Kim Yo-jong said on Friday that the end-of-war declaration was “an interesting and an admirable idea.”',
    'Seoul — 서울 — welcomed the remarks; the armistice of July 27, 1953 is still in force.',
    'A line with "quotes", a back\\slash and emoji 🕊️.',
  ],
  origin: 'feed',
  feedId: 'joongang',
  ingestedAt: '2021-09-25T03:00:00.000Z',
};

describe('GIVEN an article kept shelved by the corpus', () => {
  it('THEN every paragraph reads back exactly, Korean, quotes and emoji included', () => {
    const shelved = shelve(article);
    expect(shelved.paragraphs).toStrictEqual(article.paragraphs);
    expect(shelved.title).toBe(article.title);
    expect(shelved.published).toEqual(article.published);
  });

  it('THEN its JSON (what the store and --json write) is the plain article', () => {
    expect(JSON.parse(JSON.stringify(shelve(article)))).toStrictEqual(article);
    const bare: Article = { id: 'x', title: 'T', paragraphs: ['p'], origin: 'seed' };
    expect(Object.keys(JSON.parse(JSON.stringify(shelve(bare)))).sort()).toEqual(['id', 'origin', 'paragraphs', 'title']);
  });

  it('THEN two shelved articles with different texts are not equal in tests (the body is compared too)', () => {
    const other = shelve({ ...article, paragraphs: ['Something else entirely.'] });
    expect(shelve(article)).not.toEqual(other);
    expect(shelve(article)).toEqual(article);
  });

  it('THEN shelving twice keeps the one object', () => {
    const once = shelve(article);
    expect(shelve(once)).toBe(once);
    expect(once).toBeInstanceOf(ShelvedArticle);
  });

  it('THEN the corpus gives back, finds and snippets it as before', () => {
    const corpus = createCorpus([article]);
    expect(corpus.get(article.id)?.paragraphs).toStrictEqual(article.paragraphs);
    const hit = corpus.search('admirable')[0]!;
    expect(hit.article.id).toBe(article.id);
    expect(hit.snippet).toContain('admirable');
    corpus.add({ ...article, paragraphs: ['Corrected text about the liaison office.'] });
    expect(corpus.get(article.id)?.paragraphs).toEqual(['Corrected text about the liaison office.']);
    expect(corpus.search('liaison')[0]?.article.id).toBe(article.id);
    expect(corpus.search('interesting', { typos: false })).toEqual([]); // only the old body had it
  });
});

