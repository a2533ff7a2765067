import { REASON_EXPLANATIONS } from './failure.ts';
import type { FeedRecord } from './feed-registry.ts';
import { DISABLE_AFTER_FAILURES, type HoldBack } from './poll/backoff.ts';
import type { FeedOutcome } from './poll/poller.ts';

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

/** Why a feed asked for now is not fetched: `held back until … (in 20 min): …`. */
export function describeHoldBack(feed: FeedRecord, hold: HoldBack, now: Date): string {
  const until = `held back until ${describeInstant(hold.until.toISOString(), now)}`;
  if (hold.cause === 'retry-after') return `${until}: the server asked us to wait that long (Retry-After)`;
  const reason = feed.lastFailureReason;
  const failures = `${feed.consecutiveFailures} failed fetch${feed.consecutiveFailures === 1 ? '' : 'es'} in a row`;
  return `${until}: waiting after ${failures}${reason ? ` (${reason}: ${REASON_EXPLANATIONS[reason]})` : ''}, so a failing site is not hammered`;
}

/** What one fetch of a poll did, after the feed's name. */
export function describeOutcome(outcome: FeedOutcome, now: Date): string {
  switch (outcome.kind) {
    case 'new':
      return `${outcome.articles.length} new article${outcome.articles.length === 1 ? '' : 's'} (${outcome.items} items in the feed)\n${outcome.articles
        .map((a) => `    + ${a.title}`)
        .join('\n')}`;
    case 'nothing-new':
      return `nothing new (${outcome.items} items in the feed)`;
    case 'unchanged':
      return 'unchanged since the last fetch (304)';
    case 'failed': {
      const { reason, message } = outcome.failure;
      const next = outcome.disabled ? 'feed disabled, admins told' : `next attempt ${describeInstant(outcome.feed.nextAttemptAt, now)}`;
      return `FAILED ${reason} — ${REASON_EXPLANATIONS[reason]} (${message}); failure ${outcome.failures} in a row, ${next}`;
    }
    case 'error':
      return `not polled, the bot hit an error (${outcome.message}); it will be tried next round`;
  }
}
