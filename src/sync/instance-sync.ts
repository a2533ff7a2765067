import type { Article, Corpus } from '../corpus/corpus.ts';
import { FEED_ARTICLES_COLLECTION, loadFeedArticles, type StoredFeedBatch } from '../feeds/feed-articles.ts';
import { EXTRACTED_COLLECTION, type ExtractedStore } from '../knowledge/extracted-store.ts';
import type { ExtractionChange } from '../knowledge/extractions.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Logger } from '../log.ts';
import type { Change, Store } from '../store/store.ts';
import { republishAfterReset } from './republish.ts';

/**
 * Every instance sees every change: what one process adds to the corpus
 * (feed articles, with their search index) and to the knowledge base (what
 * the extractor found) reaches the others through the store's change log
 * (src/store/change-log.ts), in order, within a second or so.
 *
 * Each instance reads the log from its own position: the head of the log
 * taken before it loaded the corpus at start-up, so nothing written while it
 * loaded is missed. An entry names a collection and a key; the value is read
 * from the store and applied: an article joins the corpus (corpus.add takes
 * the same article twice as once); an article's extraction takes the place
 * of the one held (knowledge.replaceExtracted: a re-extraction by
 * `armistice knowledge reextract` replaces what the article contributed, no
 * record at all withdraws it, the same one twice changes nothing). Each
 * batch of entries is read first and then applied at once, so a command
 * never sees half of it. Its own entries are skipped: it applied them when
 * it wrote them.
 *
 * A store that cannot answer (Redis cut off) makes reading fail; the loop
 * says so once, retries, and on reconnection reads on from its position. A
 * position the log no longer holds (the log is capped, the reader was away
 * too long) or an emptied store (FLUSHALL) makes it reload what the store
 * holds, with one log line saying why.
 *
 * What other instances write and this process reads through the store on
 * every use needs nothing here: feeds (the registry lists the store),
 * subscriptions and the posting ledger (revision-cached), review decisions
 * (synced before every command, src/knowledge/review-store.ts).
 */

/** The collections whose writes are announced (src/sync/recording-store.ts) and applied here. */
export const SYNCED_COLLECTIONS = [FEED_ARTICLES_COLLECTION, EXTRACTED_COLLECTION] as const;

/** How long one read of the log waits for an entry before it looks again (and checks for a reset). */
const WAIT_MS = 1000;
/** Pause after a failed read before the next try. */
const RETRY_MS = 500;

export interface InstanceSyncDeps {
  store: Store;
  corpus: Corpus;
  knowledge: KnowledgeBase;
  extracted: ExtractedStore;
  log: Logger;
  /** This process's id in the entries it writes. */
  instanceId: string;
}

export class InstanceSync {
  private position: string;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failingSince: number | undefined;
  private retryTimer: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  /** Changes applied from other instances (tests and metrics read it). */
  applied = 0;
  private readonly listeners = new Set<(changes: readonly Change[]) => void>();

  constructor(
    private readonly deps: InstanceSyncDeps,
    since: string,
  ) {
    this.position = since;
  }

  /** Calls `listener` with each batch of other instances' changes once it is applied here; returns the unsubscribe. */
  onApplied(listener: (changes: readonly Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following the log in the background. */
  start(): void {
    this.running ??= this.follow();
  }

  /** Stops following; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer.timer);
      this.retryTimer.resolve();
    }
    await this.deps.store.changes.close();
    await this.running;
  }

  private async follow(): Promise<void> {
    const { store, log } = this.deps;
    while (!this.stopped) {
      try {
        const batch = await store.changes.read(this.position, WAIT_MS);
        if (this.stopped) return;
        if (batch.lost) {
          await this.reload(batch.lost);
        } else {
          await this.apply(batch.changes.filter((change) => change.by !== this.deps.instanceId));
        }
        this.position = batch.next;
        if (this.failingSince !== undefined) {
          log.info({ afterMs: Date.now() - this.failingSince }, 'change log: reachable again, reading on from where this instance stopped');
          this.failingSince = undefined;
        }
      } catch (error) {
        if (this.stopped) return;
        if (this.failingSince === undefined) {
          this.failingSince = Date.now();
          log.warn({ err: error }, "change log: cannot read the store; this instance will catch up on other instances' changes when it answers again");
        }
        await this.pause(RETRY_MS);
      }
    }
  }

  /** Reads what `changes` name from the store, then applies them here, in order. */
  private async apply(changes: readonly Change[]): Promise<void> {
    const { store, corpus, knowledge, extracted, log } = this.deps;
    const articles: Article[] = [];
    const extractions: ExtractionChange[] = [];
    const applied: Change[] = [];
    for (const change of changes) {
      if (change.collection === FEED_ARTICLES_COLLECTION) {
        const batch = await store.collection<StoredFeedBatch>(FEED_ARTICLES_COLLECTION).get(change.key);
        articles.push(...(batch?.articles ?? []));
      } else if (change.collection === EXTRACTED_COLLECTION) {
        const record = await extracted.get(change.key);
        extractions.push({ articleId: change.key, extraction: record, savedAt: record?.savedAt });
      } else {
        continue;
      }
      applied.push(change);
    }
    // Articles and knowledge do not depend on each other: each kind keeps its own order.
    for (const article of articles) corpus.add(article);
    const counts = knowledge.replaceExtracted(extractions);
    // Rare (a re-extraction) and a rebuild of every extracted record: worth one line per batch.
    if (counts.replaced + counts.withdrawn > 0) log.info(counts, 'change log: extracted knowledge replaced by another process (a re-extraction); the extracted records were rebuilt');
    this.applied += applied.length;
    if (applied.length > 0) for (const listener of this.listeners) listener(applied);
  }

  /** Applies everything the store holds (each record once, whatever was applied before). */
  private async reload(why: 'trimmed' | 'reset'): Promise<void> {
    const { store, corpus, knowledge, extracted, log } = this.deps;
    const [articles, records] = await Promise.all([loadFeedArticles(store), extracted.loadAll()]);
    for (const article of articles) corpus.add(article);
    const changes: ExtractionChange[] = [];
    if (why === 'trimmed') {
      // The store holds every extraction there is: one it no longer has was removed while this instance was away.
      const stored = new Set(records.map((record) => record.articleId));
      for (const articleId of knowledge.heldExtractions().keys()) if (!stored.has(articleId)) changes.push({ articleId, extraction: undefined });
    }
    for (const record of records) changes.push({ articleId: record.articleId, extraction: record, savedAt: record.savedAt });
    knowledge.replaceExtracted(changes);
    if (why === 'trimmed') {
      log.warn({ articles: articles.length, extracted: records.length }, 'change log: this instance was away longer than the log keeps; reloaded the feed articles and extracted knowledge from the store');
      return;
    }
    // Written back by one instance, announced, and applied here like any change (it is already held).
    const republished = await republishAfterReset(this.deps);
    log.warn(
      { stillStored: { articles: articles.length, extracted: records.length }, writtenBack: republished ?? 'by another instance' },
      'change log: the store was emptied under this instance (Redis flushed, or restarted without its data): feeds, subscriptions, the posting ledger and review decisions are gone, so nothing is polled or posted until they are added again; the feed articles and extracted knowledge the instances hold are written back to the store',
    );
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.retryTimer = { timer: setTimeout(resolve, ms), resolve };
    });
  }
}
