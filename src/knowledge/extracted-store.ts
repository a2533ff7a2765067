import type { Collection, Store } from '../store/store.ts';
import type { IngestResult } from './knowledge-base.ts';
import { restoreOrder } from './extractions.ts';

/**
 * What `knowledge.ingest` added for each feed article, kept in the store so
 * that extracted entities and events survive a restart without running the
 * extractor again (start-up never loads the NLP libraries).
 *
 * One record per article, keyed by its id: ingesting the same article again
 * adds nothing, so it writes nothing, and a record is never duplicated.
 */

export interface StoredExtraction extends IngestResult {
  articleId: string;
  /** When it was extracted (ISO instant): records are restored in that order. */
  savedAt: string;
}

/** The store collection; other instances read a record when the change log names it (src/sync/). */
export const EXTRACTED_COLLECTION = 'knowledge-extracted';
const COLLECTION = EXTRACTED_COLLECTION;

export class ExtractedStore {
  private readonly records: Collection<StoredExtraction>;

  constructor(store: Store) {
    this.records = store.collection<StoredExtraction>(COLLECTION);
  }

  /**
   * Keeps what ingesting `articleId` added. Nothing added, nothing written.
   * Should the article already have a record (an earlier run added part of
   * it), the two are merged by record id. Throws a StoreError when the store
   * cannot answer.
   */
  async save(articleId: string, added: IngestResult, now = new Date()): Promise<void> {
    if (added.entities.length === 0 && added.events.length === 0) return;
    const earlier = await this.records.get(articleId);
    await this.records.set(articleId, {
      articleId,
      savedAt: earlier?.savedAt ?? now.toISOString(),
      entities: mergeById(earlier?.entities ?? [], added.entities),
      events: mergeById(earlier?.events ?? [], added.events),
    });
  }

  /**
   * Puts `extraction` in place of whatever the article had (re-extraction):
   * an empty one removes the record. The record keeps its place in the
   * restore order (`savedAt`: the earlier record's, else `savedAt`). Writes
   * nothing when the record would not change, so running it twice is a no-op.
   */
  async replace(articleId: string, extraction: IngestResult, savedAt: string): Promise<'unchanged' | 'written' | 'removed'> {
    const earlier = await this.records.get(articleId);
    if (extraction.entities.length === 0 && extraction.events.length === 0) {
      if (!earlier) return 'unchanged';
      await this.records.delete(articleId);
      return 'removed';
    }
    const record: StoredExtraction = { articleId, savedAt: earlier?.savedAt ?? savedAt, entities: extraction.entities, events: extraction.events };
    if (earlier && JSON.stringify(earlier) === JSON.stringify(record)) return 'unchanged';
    await this.records.set(articleId, record);
    return 'written';
  }

  /** The record of one article, if any. */
  get(articleId: string): Promise<StoredExtraction | undefined> {
    return this.records.get(articleId);
  }

  /** Every stored record, oldest first: what `knowledge.restoreExtracted` takes at start-up. */
  async loadAll(): Promise<StoredExtraction[]> {
    const records = (await this.records.list()).map(([, record]) => record);
    return records.sort(restoreOrder);
  }
}

function mergeById<T extends { id: string }>(earlier: readonly T[], later: readonly T[]): T[] {
  const byId = new Map(earlier.map((record) => [record.id, record]));
  for (const record of later) if (!byId.has(record.id)) byId.set(record.id, record);
  return [...byId.values()];
}
