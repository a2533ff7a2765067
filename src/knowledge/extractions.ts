import type { IngestResult } from './knowledge-base.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

/**
 * Each article's extraction as the knowledge base holds it, to rebuild its
 * extracted records when one changes (knowledge-base.ts, replaceExtracted):
 * the types, the order (the store's), and the copies it makes.
 */

/** An extraction as stored (extracted-store.ts): the article it came from and when it was saved, when known. */
export type ArticleExtraction = IngestResult & { articleId?: string; savedAt?: string };

/** One article's new extraction (none: withdrawn), and when it was first saved. */
export interface ExtractionChange {
  articleId: string;
  extraction: IngestResult | undefined;
  savedAt?: string;
}

export interface HeldExtraction {
  found: IngestResult;
  /** ISO instant: with the article id, its place in the order. */
  savedAt: string;
}

export interface ReplaceCounts {
  added: number;
  replaced: number;
  withdrawn: number;
}

/** The article an extraction came from: as stored, else its first record's source. */
export function articleOf(record: ArticleExtraction): string | undefined {
  return record.articleId ?? [...record.entities, ...record.events][0]?.sources[0]?.article;
}

export interface Place {
  articleId: string;
  savedAt: string;
}

/** The restore order of extracted-store.ts's loadAll: savedAt, then article id. */
export function restoreOrder(a: Place, b: Place): number {
  return a.savedAt.localeCompare(b.savedAt) || a.articleId.localeCompare(b.articleId);
}

/** Whatever the store holds, it is never taken for a curated record. */
export function asExtracted(record: IngestResult): IngestResult {
  return {
    entities: record.entities.map((e) => ({ ...e, status: 'extracted' as const })),
    events: record.events.map((e) => ({ ...e, status: 'extracted' as const })),
  };
}

/**
 * A record the base keeps, with its own copy of what claims change in place
 * (roles and their periods, sources): the extraction it came from stays as
 * it was, for a rebuild. Cheaper than a deep clone, which made a rebuild of
 * tens of thousands of records mostly garbage collection.
 */
export function ownCopy<T extends Entity | KnowledgeEvent>(record: T): T {
  return 'roles' in record ? { ...record, roles: record.roles.map((r) => ({ ...r })), sources: [...record.sources] } : { ...record, sources: [...record.sources] };
}

/** A curated record as it is (never changed in place); any other, a copy the base may change. */
export function keepAsGiven<T extends Entity | KnowledgeEvent>(record: T): T {
  return record.status === 'curated' ? record : structuredClone(record);
}
