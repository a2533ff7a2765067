import { hash } from 'node:crypto';
import type { PartialDate } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import { shelve } from '../corpus/shelved-article.ts';
import type { Store } from '../store/store.ts';
import type { FeedRecord } from './feed-registry.ts';
import type { FeedItem } from './parse/parse.ts';

/**
 * Feed items become corpus Articles (origin 'feed'), kept in the store so
 * they survive restarts: `loadFeedArticles` at start-up puts them back in
 * the corpus (built with them, in one pass: see memory-corpus.ts).
 *
 * The articles of one fetch are stored as one record (one write per fetch,
 * not one per article: writes are what a poll round spends most on).
 * Articles are immutable; if a crash makes a fetch be ingested twice, the
 * duplicate ids collapse on loading.
 */

export interface StoredFeedBatch {
  feedId: string;
  articles: Article[];
  /** Ingested when the feed was added: searchable, never posted to channels. */
  baseline: boolean;
}

/** The store collection of batches; other instances read a batch when the change log names it (src/sync/). */
export const FEED_ARTICLES_COLLECTION = 'feed-article-batches';
const COLLECTION = FEED_ARTICLES_COLLECTION;

/**
 * `feed-<16 hex>` from the feed URL and the item identity: the same item of
 * the same feed always gets the same id, across restarts and re-adds. No
 * colon in it, so `/source feed-…` is not read as an option named `feed`.
 */
export function feedArticleId(feedUrl: string, identity: string): string {
  return `feed-${hash('sha256', `${feedUrl}\n${identity}`).slice(0, 16)}`;
}

/** The calendar day of an instant in a time zone (news dates follow the newsroom's day). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * Days already worked out, per zone and quarter hour: every UTC offset in
 * use since 1990 is a whole number of quarter hours, so midnights and clock
 * changes fall on quarter-hour boundaries and the day is the same for a
 * whole quarter hour. (A feed's items mostly share a few days.)
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const knownDays = new Map<string, PartialDate>();
const MAX_KNOWN_DAYS = 10_000;

export function dayIn(instant: Date, timeZone: string): PartialDate {
  const key = `${timeZone} ${Math.floor(instant.getTime() / QUARTER_HOUR_MS)}`;
  const known = knownDays.get(key);
  if (known) return { ...known };
  // Building a DateTimeFormat costs far more than using one: one per zone.
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const day = { year: value('year'), month: value('month'), day: value('day') };
  if (knownDays.size >= MAX_KNOWN_DAYS) knownDays.clear();
  knownDays.set(key, day);
  return { ...day };
}

export function articleFromItem(feed: Pick<FeedRecord, 'id' | 'url' | 'name'>, item: FeedItem, now: Date, timeZone: string): Article {
  const paragraphs = item.paragraphs.length > 0 ? item.paragraphs : [item.title];
  return {
    id: feedArticleId(feed.url, item.identity),
    title: item.title,
    // The feed's own title names the feed (often an aggregator or a topic page), not the outlet of each story.
    outlet: outletOf(item),
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

/**
 * The item's author (dc:creator or author) when it names an outlet
 * ("Yonhap News Agency", "Reuters", "The Korea Herald") rather than a
 * journalist; otherwise the outlet is unknown.
 */
export function outletOf(item: Pick<FeedItem, 'author'>): string | undefined {
  const author = item.author?.trim();
  if (!author || /@|^by\s/i.test(author)) return undefined;
  return OUTLET.test(author) ? author : undefined;
}

/** Words found in news outlets' names, and the agencies known by a single name. */
const OUTLET =
  /\b(?:News|Times|Post|Herald|Daily|Ilbo|Shimbun|Journal|Tribune|Press|Agency|Wire|Media|Broadcasting|Radio|Television|TV|Magazine|Gazette|Observer|Monitor|Reuters|Yonhap|AFP|AP|KCNA|Bloomberg|BBC|CNN|NPR|Xinhua|Kyodo|Hankyoreh|Chosun|JoongAng|Guardian|Economist|Diplomat|38 North)\b/u;

/** Stores the articles of one fetch of one feed. */
export async function saveFeedArticles(store: Store, feedId: string, articles: readonly Article[], baseline: boolean, now: Date): Promise<void> {
  if (articles.length === 0) return;
  const key = `${feedId}:${now.getTime().toString(36)}:${articles[0]!.id.slice(5)}`;
  await store.collection<StoredFeedBatch>(COLLECTION).set(key, { feedId, articles: [...articles], baseline });
}

async function allBatches(store: Store): Promise<StoredFeedBatch[]> {
  return (await store.collection<StoredFeedBatch>(COLLECTION).list()).map(([, batch]) => batch);
}

/**
 * Every stored feed article (each id once, its latest ingestion), oldest
 * ingestion first — the order a running instance added them in, so a process
 * started later ranks ties alike. Read a batch at a time and shelved at once
 * (src/corpus/shelved-article.ts): 100,000 articles never exist here as plain
 * text all together.
 */
export async function loadFeedArticles(store: Store): Promise<Article[]> {
  const byId = new Map<string, Article>();
  for await (const [, batch] of store.collection<StoredFeedBatch>(COLLECTION).entries()) {
    for (const article of batch.articles) {
      const kept = byId.get(article.id);
      if (!kept || (kept.ingestedAt ?? '') <= (article.ingestedAt ?? '')) byId.set(article.id, shelve(article));
    }
  }
  return [...byId.values()].sort((a, b) => (a.ingestedAt ?? '').localeCompare(b.ingestedAt ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether an article was ingested as part of a feed's baseline (never to be posted). Reads every batch: for checks, not hot paths. */
export async function isBaselineArticle(store: Store, articleId: string): Promise<boolean> {
  return (await allBatches(store)).some((batch) => batch.baseline && batch.articles.some((a) => a.id === articleId));
}
