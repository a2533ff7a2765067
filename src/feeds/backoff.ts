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
