import type { Article, Corpus } from '../corpus/corpus.ts';
import { saveFeedArticles } from '../feeds/feed-articles.ts';
import type { ExtractedStore } from '../knowledge/extracted-store.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Store } from '../store/store.ts';

/**
 * After the store was emptied under running instances (a Redis FLUSHALL, or
 * one restarted without its data), the articles and extracted knowledge
 * still live in their memory. One of them (whoever claims it first) writes
 * them back, so that a process started afterwards answers as the running
 * ones do. Articles go back as baseline batches: searchable, never posted.
 * The writes go through the recording store, so they are announced like
 * any other; the others apply them as they apply anything (twice is
 * harmless).
 */

const CLAIMS = 'change-log-rebuilds';
/** Long enough for one instance to write everything back; a later emptying can be claimed again. */
const CLAIM_TTL_MS = 60_000;

export interface Republished {
  articles: number;
  extracted: number;
}

/** Writes back what this instance holds, unless another instance claimed it first (then undefined). */
export async function republishAfterReset(
  deps: { store: Store; corpus: Corpus; knowledge: KnowledgeBase; extracted: ExtractedStore; instanceId: string },
  now = new Date(),
): Promise<Republished | undefined> {
  const { store, corpus, knowledge, extracted, instanceId } = deps;
  if (!(await store.collection<string>(CLAIMS).setIfAbsent('after-reset', instanceId, CLAIM_TTL_MS))) return undefined;
  const byFeed = new Map<string, Article[]>();
  for (const article of corpus.all()) {
    if (article.origin !== 'feed' || !article.feedId) continue;
    byFeed.set(article.feedId, [...(byFeed.get(article.feedId) ?? []), article]);
  }
  for (const [feedId, articles] of byFeed) await saveFeedArticles(store, feedId, articles, true, now);

  // Each article's extraction as this instance took it in, with its place in the restore order: what a process started now restores.
  const held = [...knowledge.heldExtractions()];
  for (const [articleId, { found, savedAt }] of held) await extracted.replace(articleId, found, savedAt);
  return { articles: [...byFeed.values()].reduce((n, a) => n + a.length, 0), extracted: held.length };
}
