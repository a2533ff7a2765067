import MiniSearch, { type SearchOptions } from 'minisearch';
import type { Article } from './corpus.ts';

/**
 * The full-text index over articles (MiniSearch): title boosted, prefix and
 * fuzzy matching, every query term required unless that finds nothing.
 * It holds only the inverted index; articles live in the corpus.
 */

export interface IndexHit {
  id: string;
  score: number;
  /** The words of the article that matched (lower case), for the snippet. */
  terms: string[];
}

/**
 * Words too common to tell articles apart. Dropping them keeps the index
 * smaller and spares every query a prefix expansion of "the" or "and".
 */
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his',
  'i', 'if', 'in', 'is', 'it', 'its', 'of', 'on', 'or', 's', 'she', 'so', 't', 'that', 'the', 'their', 'them',
  'then', 'there', 'they', 'this', 'to', 'was', 'we', 'were', 'which', 'who', 'will', 'with',
]);

function processTerm(term: string): string | null {
  const lower = term.toLowerCase();
  return STOP_WORDS.has(lower) ? null : lower;
}

const SEARCH_OPTIONS: SearchOptions = {
  boost: { title: 3, outlet: 1.5 },
  // Prefix matching from three letters: shorter prefixes match half the vocabulary.
  prefix: (term) => term.length >= 3,
  fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
  combineWith: 'AND',
};

/** How the fields of an article are read for indexing, without building copies. */
function extractField(article: Article, field: string): string | undefined {
  switch (field) {
    case 'id':
      return article.id;
    case 'title':
      return article.title;
    case 'text':
      return article.paragraphs.join('\n');
    case 'outlet':
      return article.outlet;
    default:
      return undefined;
  }
}

export class ArticleSearchIndex {
  private readonly index = new MiniSearch<Article>({
    idField: 'id',
    fields: ['title', 'text', 'outlet'],
    extractField,
    processTerm,
    searchOptions: SEARCH_OPTIONS,
  });

  addAll(articles: readonly Article[]): void {
    this.index.addAll(articles);
  }

  /** Adds the article, or re-indexes it when its id is already there. */
  upsert(article: Article): void {
    if (this.index.has(article.id)) this.index.replace(article);
    else this.index.add(article);
  }

  /** Best first; every term required, or any term when no article has them all. */
  search(query: string): IndexHit[] {
    let results = this.index.search(query);
    if (results.length === 0) results = this.index.search(query, { combineWith: 'OR' });
    return results.map((r) => ({ id: r.id as string, score: r.score, terms: r.terms }));
  }
}
