import type { PartialDate } from '../core/dates.ts';

/** How an article's publication date was found. */
export type DateDerivation = 'stated' | 'inferred';

export interface Article {
  /** Stable id: the seed file's stem (`003_d3d20f4a58c752ab`) or `feed-<hash>` for feed items. */
  id: string;
  title: string;
  outlet?: string;
  url?: string;
  published?: PartialDate;
  dateDerivation?: DateDerivation;
  /** Why the date is what it is, for inferred dates. */
  dateNote?: string;
  /** Remarks on the metadata itself, e.g. why the outlet is unknown or that a title is descriptive. */
  note?: string;
  /** Cleaned body: boilerplate removed, every sentence of the article kept. */
  paragraphs: string[];
  origin: 'seed' | 'feed';
  /** For feed articles: the feed it came from and when it was ingested (ISO instant). */
  feedId?: string;
  ingestedAt?: string;
}

export interface SearchHit {
  article: Article;
  score: number;
  /** A window of text around the best match. */
  snippet: string;
}

export interface SearchOptions {
  /** Only the best this many hits. */
  limit?: number;
  /** false: no typo-tolerant matching, only words as written or their prefixes. */
  typos?: boolean;
}

export interface Corpus {
  all(): readonly Article[];
  get(id: string): Article | undefined;
  /** Ranked full-text search (prefix and fuzzy matching, title boosted). */
  search(query: string, options?: SearchOptions): SearchHit[];
  /**
   * One page of search's hits (pages from 1) and how many matched in all:
   * what /news shows, without ranking every match of a broad query.
   */
  searchPage(query: string, page: number, pageSize: number): { hits: SearchHit[]; total: number };
  /** Newest first by publication date. */
  latest(): Article[];
  /** One page of latest() (pages from 1), and how many articles there are in all. */
  latestPage(page: number, pageSize: number): { articles: Article[]; total: number };
  /** Adds (or replaces) an article; it is searchable at once. */
  add(article: Article): void;
  /** Called after each add: the knowledge extractor and digests listen. */
  onAdd(listener: (article: Article) => void): void;
}

/** The article body as one string. */
export function articleText(article: Article): string {
  return article.paragraphs.join('\n\n');
}
