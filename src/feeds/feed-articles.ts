import { createHash } from 'node:crypto';
import type { PartialDate } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import type { Store } from '../store/store.ts';
import type { FeedRecord } from './feed-registry.ts';
import type { FeedItem } from './parse.ts';

/**
 * Feed items become corpus Articles (origin 'feed'), kept in the store so
 * they survive restarts: `loadFeedArticles` at start-up puts them back in
 * the corpus.
 */

export interface StoredFeedArticle {
  article: Article;
  /** Ingested when the feed was added: searchable, never posted to channels. */
  baseline: boolean;
}

const COLLECTION = 'feed-articles';

/**
 * `feed:<16 hex>` from the feed URL and the item identity: the same item of
 * the same feed always gets the same id, across restarts and re-adds.
 */
export function feedArticleId(feedUrl: string, identity: string): string {
  return `feed:${createHash('sha256').update(`${feedUrl}\n${identity}`).digest('hex').slice(0, 16)}`;
}

/** The calendar day of an instant in a time zone (news dates follow the newsroom's day). */
export function dayIn(instant: Date, timeZone: string): PartialDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day') };
}

export function articleFromItem(feed: Pick<FeedRecord, 'id' | 'url' | 'name'>, item: FeedItem, now: Date, timeZone: string): Article {
  const paragraphs = item.paragraphs.length > 0 ? item.paragraphs : [item.title];
  return {
    id: feedArticleId(feed.url, item.identity),
    title: item.title,
    outlet: feed.name,
    url: item.link,
    published: item.published ? dayIn(item.published, timeZone) : undefined,
    dateDerivation: item.published ? 'stated' : undefined,
    dateNote: item.published ? undefined : 'date unknown: the feed gave no usable date',
    paragraphs,
    origin: 'feed',
    feedId: feed.id,
    ingestedAt: now.toISOString(),
  };
}

export async function saveFeedArticles(store: Store, articles: readonly Article[], baseline: boolean): Promise<void> {
  const collection = store.collection<StoredFeedArticle>(COLLECTION);
  for (const article of articles) await collection.set(article.id, { article, baseline });
}

/** Every stored feed article, oldest ingestion first: what start-up adds to the corpus. */
export async function loadFeedArticles(store: Store): Promise<Article[]> {
  const entries = await store.collection<StoredFeedArticle>(COLLECTION).list();
  return entries.map(([, stored]) => stored.article).sort((a, b) => (a.ingestedAt ?? '').localeCompare(b.ingestedAt ?? ''));
}

/** Whether an article was ingested as part of a feed's baseline (never to be posted). */
export async function isBaselineArticle(store: Store, articleId: string): Promise<boolean> {
  return (await store.collection<StoredFeedArticle>(COLLECTION).get(articleId))?.baseline ?? false;
}
