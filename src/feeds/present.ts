import { REASON_EXPLANATIONS } from './failure.ts';
import type { FeedRecord } from './feed-registry.ts';
import { DISABLE_AFTER_FAILURES } from './backoff.ts';

/** How feeds read to people: in /feeds replies and `armistice poll` output. */

/** `2024-03-05 09:30 UTC (12 min ago)`; instants are shown in UTC with a relative hint. */
export function describeInstant(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown';
  const stamp = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `${stamp} (${relative(at.getTime() - now.getTime())})`;
}

function relative(deltaMs: number): string {
  const abs = Math.abs(deltaMs);
  const minutes = Math.round(abs / 60_000);
  const text =
    minutes < 1 ? 'less than a minute' : minutes < 90 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  if (minutes < 1) return 'now';
  return deltaMs < 0 ? `${text} ago` : `in ${text}`;
}

/** One line: healthy, failing (n of 11) or disabled, with the reason code. */
export function describeHealth(feed: FeedRecord): string {
  if (!feed.enabled) {
    // The poller always gives its reason; a feed without one was disabled by an admin.
    if (!feed.disabledReason) return 'disabled by an admin (/feeds enable turns it back on)';
    const reason = feed.disabledReason;
    return `disabled — ${reason}: ${REASON_EXPLANATIONS[reason]}`;
  }
  if (feed.consecutiveFailures > 0 && feed.lastFailureReason) {
    return `failing (${feed.consecutiveFailures} of ${DISABLE_AFTER_FAILURES} before it is disabled) — ${feed.lastFailureReason}: ${REASON_EXPLANATIONS[feed.lastFailureReason]}`;
  }
  return feed.lastSuccessAt ? 'healthy' : 'not fetched yet';
}
