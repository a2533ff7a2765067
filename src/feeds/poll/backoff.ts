/**
 * When a failing feed is tried again: 5 minutes × 2^(failures − 1), at most
 * a day; a server's Retry-After is honoured when it asks for longer, up to
 * a day too. After DISABLE_AFTER_FAILURES failures in a row the feed is
 * disabled and its admins told.
 */
export const BACKOFF_BASE_MS = 5 * 60 * 1000;
export const BACKOFF_CAP_MS = 24 * 60 * 60 * 1000;
export const RETRY_AFTER_CAP_MS = 24 * 60 * 60 * 1000;
export const DISABLE_AFTER_FAILURES = 11;

/** The wait before the next attempt, after `failures` consecutive failures (≥ 1). */
export function backoffDelayMs(failures: number, retryAfterMs?: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** exponent, BACKOFF_CAP_MS);
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}

export function shouldDisable(failures: number): boolean {
  return failures >= DISABLE_AFTER_FAILURES;
}

/** Why a feed may not be fetched yet, even when an admin asks for it now. */
export interface HoldBack {
  until: Date;
  /** `retry-after`: the server asked for the wait; `backoff`: the feed failed and waits its turn. */
  cause: 'retry-after' | 'backoff';
}

/**
 * Whether a fetch asked for now must still wait. The poll interval alone
 * never holds a feed back; the failure backoff and a server's Retry-After
 * do, so "fetch now" cannot hammer a site that is down or asked us to slow
 * down. Retry-After is told apart by the wait it set: longer than the
 * backoff for that many failures (backoffDelayMs takes the longer of both).
 */
export function holdBack(
  feed: { consecutiveFailures: number; nextAttemptAt?: string; lastFetchAt?: string },
  now: Date,
): HoldBack | undefined {
  if (feed.consecutiveFailures === 0 || feed.nextAttemptAt === undefined) return undefined;
  const until = Date.parse(feed.nextAttemptAt);
  if (!(until > now.getTime())) return undefined;
  const waited = feed.lastFetchAt === undefined ? 0 : until - Date.parse(feed.lastFetchAt);
  return { until: new Date(until), cause: waited > backoffDelayMs(feed.consecutiveFailures) ? 'retry-after' : 'backoff' };
}
