import type { FeedFailureReason } from './failure.ts';

/**
 * A feed's health over its last days: per UTC day, how its fetches went
 * (fine, not modified, failed by reason) and how many new items they
 * brought. It rides on the feed record (FeedRecord.history), so the
 * poller's one write of the feed's state after a fetch records it too: no
 * extra round trip, the same on SQLite and Redis. Days are UTC days, so
 * every instance agrees on where a day ends whatever its time zone.
 */

/** Days kept: today and the 29 before it. Older days fall off at the next write. */
export const HISTORY_DAYS = 30;

export interface HealthDay {
  /** The UTC day, `2026-12-04`. */
  day: string;
  /** Fetches that brought the feed (new items or not). Zero counts are left out to keep the record small. */
  ok?: number;
  /** Fetches answered 304 Not Modified. */
  notModified?: number;
  /** Failed fetches by reason. */
  failed?: Partial<Record<FeedFailureReason, number>>;
  /** New relevant items stored that day (baseline items never count). */
  newItems?: number;
}

/** Oldest day first, at most HISTORY_DAYS of them. */
export type FeedHistory = HealthDay[];

export type FetchTally = { result: 'ok'; newItems: number } | { result: 'not-modified' } | { result: 'failed'; reason: FeedFailureReason };

/** `2026-12-04`: the UTC day of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day `days` before `day`. */
export function dayBefore(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000));
}

/** The history with one fetch added to its day, and the days older than the window dropped. Pure: returns a new history. */
export function recordFetchDay(history: FeedHistory | undefined, at: Date, tally: FetchTally): FeedHistory {
  const today = utcDay(at);
  const oldest = dayBefore(today, HISTORY_DAYS - 1);
  const kept = (history ?? []).filter((d) => d.day >= oldest);
  const index = kept.findIndex((d) => d.day === today);
  const current: HealthDay = index >= 0 ? { ...kept[index]! } : { day: today };
  if (tally.result === 'ok') {
    current.ok = (current.ok ?? 0) + 1;
    if (tally.newItems > 0) current.newItems = (current.newItems ?? 0) + tally.newItems;
  } else if (tally.result === 'not-modified') current.notModified = (current.notModified ?? 0) + 1;
  else current.failed = { ...current.failed, [tally.reason]: (current.failed?.[tally.reason] ?? 0) + 1 };
  if (index >= 0) kept[index] = current;
  else kept.push(current);
  // A clock set back (or records merged from another instance) could put a day out of order.
  return kept.sort((a, b) => a.day.localeCompare(b.day));
}

/** The window ending on `now`'s UTC day: one entry per day, oldest first, empty days included. */
export function historyWindow(history: FeedHistory | undefined, now: Date): HealthDay[] {
  const today = utcDay(now);
  const byDay = new Map((history ?? []).map((d) => [d.day, d]));
  return Array.from({ length: HISTORY_DAYS }, (_, i) => {
    const day = dayBefore(today, HISTORY_DAYS - 1 - i);
    return byDay.get(day) ?? { day };
  });
}

export function failedCount(day: HealthDay): number {
  return Object.values(day.failed ?? {}).reduce((a, b) => a + (b ?? 0), 0);
}

export function fetchCount(day: HealthDay): number {
  return (day.ok ?? 0) + (day.notModified ?? 0) + failedCount(day);
}
