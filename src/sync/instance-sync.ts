import type { Corpus } from '../corpus/corpus.ts';
import { FEED_ARTICLES_COLLECTION, loadFeedArticles, type StoredFeedBatch } from '../feeds/feed-articles.ts';
import { EXTRACTED_COLLECTION, type ExtractedStore } from '../knowledge/extracted-store.ts';
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
 * from the store and applied the way start-up applies it (corpus.add,
 * knowledge.restoreExtracted), both of which take the same record twice as
 * once. Its own entries are skipped: it applied them when it wrote them.
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

  constructor(
    private readonly deps: InstanceSyncDeps,
    since: string,
  ) {
    this.position = since;
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
          for (const change of batch.changes) {
            if (change.by !== this.deps.instanceId) await this.apply(change);
            this.position = change.position;
          }
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

  /** Reads what `change` names from the store and applies it here. */
  private async apply(change: Change): Promise<void> {
    const { store, corpus, knowledge, extracted } = this.deps;
    if (change.collection === FEED_ARTICLES_COLLECTION) {
      const batch = await store.collection<StoredFeedBatch>(FEED_ARTICLES_COLLECTION).get(change.key);
      for (const article of batch?.articles ?? []) corpus.add(article);
    } else if (change.collection === EXTRACTED_COLLECTION) {
      const record = await extracted.get(change.key);
      if (record) knowledge.restoreExtracted([record]);
    } else {
      return;
    }
    this.applied += 1;
  }

  /** Applies everything the store holds (each record once, whatever was applied before). */
  private async reload(why: 'trimmed' | 'reset'): Promise<void> {
    const { store, corpus, knowledge, extracted, log } = this.deps;
    const [articles, records] = await Promise.all([loadFeedArticles(store), extracted.loadAll()]);
    for (const article of articles) corpus.add(article);
    knowledge.restoreExtracted(records);
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
