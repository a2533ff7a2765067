import { formatPartialDate, parsePartialDate } from '../core/dates.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

/**
 * What an admin's review does to an extracted record, as pure functions: the
 * knowledge base applies them to what it holds and to every record that
 * comes in later (ingest, restore), so a decision outlives restarts and
 * re-extraction. The decisions themselves are kept by review-store.ts.
 */

export type FactKind = 'entity' | 'event';
export type Verdict = 'approved' | 'rejected' | 'corrected';

/** New values an admin gives; absent fields keep the extractor's. */
export interface FactCorrection {
  name?: string;
  role?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  date?: string;
  summary?: string;
}

export interface ReviewDecision {
  /** The extracted record's id (stable per article and finding). */
  id: string;
  kind: FactKind;
  verdict: Verdict;
  correction?: FactCorrection;
  /** Who decided (platform user id) and when (ISO instant). */
  by: string;
  at: string;
}

export type ReviewDecisions = ReadonlyMap<string, ReviewDecision>;

/**
 * The records as reviewed: rejected ones left out, approved and corrected
 * ones marked 'reviewed'. Only records still 'extracted' are touched: a
 * curated record is never changed, and a reviewed one is already final.
 * `changed` says whether anything differs from the input.
 */
export function reviewRecords<T extends Entity | KnowledgeEvent>(records: readonly T[], decisions: ReviewDecisions): { records: T[]; changed: boolean } {
  if (decisions.size === 0) return { records: [...records], changed: false };
  let changed = false;
  const out: T[] = [];
  for (const record of records) {
    const decision = record.status === 'extracted' ? decisions.get(record.id) : undefined;
    if (!decision) {
      out.push(record);
      continue;
    }
    changed = true;
    if (decision.verdict === 'rejected') continue;
    out.push(reviewed(record, decision.correction));
  }
  return { records: out, changed };
}

function reviewed<T extends Entity | KnowledgeEvent>(record: T, correction: FactCorrection | undefined): T {
  if (!correction) return { ...record, status: 'reviewed' };
  return 'kind' in record ? (correctEntity(record, correction) as T) : (correctEvent(record as KnowledgeEvent, correction) as T);
}

function correctEntity(entity: Entity, c: FactCorrection): Entity {
  const before: string[] = [];
  if (c.name !== undefined && c.name !== entity.name) before.push(`name “${entity.name}”`);
  const role = entity.roles[0]?.title;
  if (c.role !== undefined && c.role !== role) before.push(role ? `role “${role}”` : 'no role');
  const renamed = c.name !== undefined && c.name !== entity.name;
  return {
    ...entity,
    name: c.name ?? entity.name,
    // The name as the article gave it still finds the entry, as curated misspellings do.
    aliases: renamed ? [...entity.aliases, { name: entity.name, note: 'as the extractor read it' }] : entity.aliases,
    roles: c.role !== undefined ? [{ title: c.role }] : entity.roles,
    ...(before.length > 0 ? { sourceSays: `Corrected on review; the extractor had read ${before.join(', ')} from the article.` } : {}),
    status: 'reviewed',
  };
}

function correctEvent(event: KnowledgeEvent, c: FactCorrection): KnowledgeEvent {
  const date = c.date !== undefined ? parsePartialDate(c.date) : undefined;
  const before: string[] = [];
  if (date && formatPartialDate(date) !== formatPartialDate(event.date)) {
    before.push(`the date ${formatPartialDate(event.date)}${event.phrase ? ` (from “${event.phrase}”)` : ''}`);
  }
  if (c.summary !== undefined && c.summary !== event.summary) before.push(`“${event.summary}”`);
  const corrected: KnowledgeEvent = {
    ...event,
    ...(c.name !== undefined ? { name: c.name } : {}),
    summary: c.summary ?? event.summary,
    ...(before.length > 0 ? { sourceSays: `Corrected on review; the extractor had read ${before.join(' and ')} from the article.` } : {}),
    status: 'reviewed',
  };
  if (date && formatPartialDate(date) !== formatPartialDate(event.date)) {
    // The admin's date is no longer the article's phrase resolved: say so rather than keep a derivation that is now false.
    corrected.date = date;
    corrected.derivation = 'established';
    corrected.dateNote = 'Date corrected by an admin on review.';
    delete corrected.relativeTo;
  }
  return corrected;
}
