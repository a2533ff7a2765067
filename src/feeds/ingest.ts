import type { Article, Corpus } from '../corpus/corpus.ts';
import type { Store } from '../store/store.ts';
import { articleFromItem, saveFeedArticles } from './feed-articles.ts';
import type { FeedRecord } from './feed-registry.ts';
import type { FeedItem, ParsedFeed } from './parse/parse.ts';
import type { RelevanceTest } from './relevance.ts';
import type { FeedSeenSet, SeenItems } from './seen/seen-items.ts';

/**
 * What a successful fetch adds: the items never seen before, oldest first;
 * the relevant ones become Articles, stored and added to the corpus
 * (searchable at once); all of them are then marked seen, the irrelevant
 * ones included, so they are never weighed again.
 *
 * Order of writes: articles first, seen marks second. A crash in between
 * re-reads the items next time (same article ids, so nothing doubles)
 * rather than losing them.
 */

export interface IngestDeps {
  store: Store;
  corpus: Corpus;
  seen: SeenItems;
  timeZone: string;
}

export interface IngestResult {
  /** New relevant items as articles, oldest first. */
  articles: Article[];
  /** Items in the document (the ones left out unparsed as known included). */
  items: number;
  /** Items not seen before. */
  unseen: number;
}

/** Oldest first; items without a date go last (most likely new), feed order reversed among equals. */
export function oldestFirst(items: readonly FeedItem[], now: Date): FeedItem[] {
  return [...items].reverse().sort((a, b) => (a.published ?? now).getTime() - (b.published ?? now).getTime());
}

export async function ingestFeedItems(
  deps: IngestDeps,
  feed: FeedRecord,
  parsed: ParsedFeed,
  relevant: RelevanceTest,
  options: { baseline: boolean; now: Date; seen?: FeedSeenSet },
): Promise<IngestResult> {
  // A poll loads the seen set before parsing, to leave known items unparsed (parse/parse.ts).
  const seen = options.seen ?? (await deps.seen.forFeed(feed.id, options.now));
  // Sorted after the seen check: only new items need their dates read (and cleaned).
  const unseen = oldestFirst(await seen.unseen(parsed.items), options.now);
  const articles = unseen.filter(relevant).map((item) => articleFromItem(feed, item, options.now, deps.timeZone));
  await saveFeedArticles(deps.store, feed.id, articles, options.baseline, options.now);
  for (const article of articles) deps.corpus.add(article);
  await seen.mark(parsed.items, options.now);
  await seen.save(options.now);
  return { articles, items: parsed.items.length + (parsed.knownLeftOut ?? 0), unseen: unseen.length };
}
