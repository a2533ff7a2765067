/**
 * Why fetching or reading a feed failed. Stable codes: they are stored on
 * the feed (lastFailureReason, disabledReason), shown to admins and used
 * as user-error codes by `/feeds add`.
 */
export const FEED_FAILURE_REASONS = [
  'FETCH_FAILED',
  'HTTP_ERROR',
  'NOT_A_FEED',
  'TOO_LARGE',
  'TIMEOUT',
  'BLOCKED_ADDRESS',
  'TOO_MANY_REDIRECTS',
  'BAD_URL',
  'RATE_LIMITED',
] as const;

export type FeedFailureReason = (typeof FEED_FAILURE_REASONS)[number];

export interface FeedFailure {
  ok: false;
  reason: FeedFailureReason;
  /** What happened, for admins (no secrets, no stack). */
  message: string;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** From Retry-After on 429/503, in milliseconds. */
  retryAfterMs?: number;
}

export function feedFailure(reason: FeedFailureReason, message: string, extra: Partial<FeedFailure> = {}): FeedFailure {
  return { ok: false, reason, message, ...extra };
}

/** One line an admin understands, per reason. */
export const REASON_EXPLANATIONS: Record<FeedFailureReason, string> = {
  FETCH_FAILED: 'the server could not be reached',
  HTTP_ERROR: 'the server answered with an error status',
  NOT_A_FEED: 'the address did not return an RSS or Atom feed',
  TOO_LARGE: 'the feed is larger than the size limit',
  TIMEOUT: 'the server took too long to answer',
  BLOCKED_ADDRESS: 'the address is private, local or otherwise not public',
  TOO_MANY_REDIRECTS: 'the address redirects too many times',
  BAD_URL: 'the address is not a valid http(s) URL',
  RATE_LIMITED: 'the server asked us to slow down',
};
