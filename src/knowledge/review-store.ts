import { RevisionCache } from '../schedule/revision-cache.ts';
import type { Collection, Store } from '../store/store.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { ReviewDecision, ReviewDecisions } from './reviewing.ts';

/**
 * Admins' review decisions, kept in the store by the extracted record's id,
 * and brought into this process's knowledge base. Every instance sharing the
 * store sees a decision at its next command: `sync` costs one small read
 * (the revision) and re-applies the decisions only when some process wrote
 * one since (the pattern of src/schedule/revision-cache.ts).
 */

const COLLECTION = 'knowledge-reviews';

export class ReviewStore {
  private readonly records: Collection<ReviewDecision>;
  private readonly all: RevisionCache<ReviewDecisions>;
  private applied: ReviewDecisions | undefined;

  constructor(
    store: Store,
    private readonly knowledge: KnowledgeBase,
  ) {
    this.records = store.collection<ReviewDecision>(COLLECTION);
    this.all = new RevisionCache(store.collection<string>('knowledge-revisions'), 'reviews', async () => new Map((await this.records.list()).map(([id, d]) => [id, d])));
  }

  /** Every decision, as of the last write by any process. Throws a StoreError when the store cannot answer. */
  decisions(): Promise<ReviewDecisions> {
    return this.all.get();
  }

  /** The decision on one record, read from the store itself. */
  get(id: string): Promise<ReviewDecision | undefined> {
    return this.records.get(id);
  }

  /**
   * Keeps a decision unless the record was already reviewed (by anyone, on
   * any instance: the write is atomic). Returns the decision that stands:
   * this one when it was written, else the earlier one. Applies it here at once.
   */
  async decide(decision: ReviewDecision): Promise<{ written: boolean; standing: ReviewDecision }> {
    const written = await this.records.setIfAbsent(decision.id, decision);
    if (!written) return { written: false, standing: (await this.records.get(decision.id)) ?? decision };
    await this.all.bump();
    await this.sync();
    return { written: true, standing: decision };
  }

  /** Brings the knowledge base up to date with the decisions of every process. */
  async sync(): Promise<void> {
    const decisions = await this.all.get();
    if (decisions === this.applied) return;
    this.knowledge.applyReviews(decisions);
    this.applied = decisions;
  }
}
