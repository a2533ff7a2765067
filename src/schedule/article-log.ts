/**
 * The schedule's own record of new feed articles and when they arrived, so
 * "the articles since this channel's last digest" survives a restart (the
 * in-memory corpus does not remember ingestion order across runs).
 * Fed by the poller's onNewArticles hook; baseline items never reach it.
 */
import type { Article } from '../corpus/corpus.ts';
import type { PartialDate } from '../core/dates.ts';
import { partitionPoint } from '../core/partition-point.ts';
import type { Collection, Store } from '../store/store.ts';
import { RevisionCache } from './revision-cache.ts';
import { clusterStories } from './stories.ts';

export interface LoggedArticle {
  id: string;
  title: string;
  outlet?: string;
  url?: string;
  published?: PartialDate;
  feedId?: string;
  /** ISO instant the poller took it in: digests cover (cursor, upper] of these. */
  ingestedAt: string;
  /** The opening words, for the `about` filter. */
  lead: string;
}

/** Articles older than this are no longer offered to digests (a paused channel does not get months of news). */
const RETENTION_MS = 60 * 86_400_000;
const LEAD_LENGTH = 400;

export function toLoggedArticle(article: Article, fallbackIngestedAt: Date): LoggedArticle {
  const entry: LoggedArticle = {
    id: article.id,
    title: article.title,
    // Normalised so instants compare as strings.
    ingestedAt: new Date(article.ingestedAt ?? fallbackIngestedAt).toISOString(),
    lead: article.paragraphs.join(' ').slice(0, LEAD_LENGTH),
  };
  if (article.outlet) entry.outlet = article.outlet;
  if (article.url) entry.url = article.url;
  if (article.published) entry.published = article.published;
  if (article.feedId) entry.feedId = article.feedId;
  return entry;
}

/** The log as digests read it: oldest ingestion first, with each article's story number. */
export interface ArticleSnapshot {
  articles: readonly LoggedArticle[];
  storyOf: ReadonlyMap<string, number>;
}

export class ArticleLog {
  private readonly entries: Collection<LoggedArticle>;
  private readonly snapshots: RevisionCache<ArticleSnapshot>;

  constructor(store: Store) {
    this.entries = store.collection<LoggedArticle>('article-log');
    this.snapshots = new RevisionCache(store.collection<string>('schedule-revisions'), 'article-log', async () => {
      const articles = (await this.entries.list()).map(([, article]) => article).sort(byIngestion);
      return { articles, storyOf: clusterStories(articles) };
    });
  }

  /** Records new articles; an article already logged keeps its first ingestion instant. */
  async record(articles: readonly LoggedArticle[]): Promise<void> {
    if (articles.length === 0) return;
    for (const article of articles) await this.entries.setIfAbsent(article.id, article, RETENTION_MS);
    await this.snapshots.bump();
  }

  /** Every logged article, oldest ingestion first, and their stories (shared: do not modify). */
  snapshot(): Promise<ArticleSnapshot> {
    return this.snapshots.get();
  }
}

/** Ingestion order; ties by id, so the order is stable. */
function byIngestion(a: LoggedArticle, b: LoggedArticle): number {
  if (a.ingestedAt !== b.ingestedAt) return a.ingestedAt < b.ingestedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The articles with from < ingestedAt ≤ to, from a chronological list (binary search: 10,000 channels share one list). */
export function ingestedBetween(chronological: readonly LoggedArticle[], from: string, to: string): LoggedArticle[] {
  return chronological.slice(firstAfter(chronological, from), firstAfter(chronological, to));
}

function firstAfter(list: readonly LoggedArticle[], instant: string): number {
  return partitionPoint(list.length, (i) => list[i]!.ingestedAt <= instant);
}
