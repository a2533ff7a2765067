import { dayBefore, HISTORY_DAYS, utcDay, type FeedHistory } from '../../src/feeds/feed-history.ts';

/**
 * A month of a feed polled every 10 minutes, as the poller records it: most
 * fetches answered 304, a fine fetch when items came, a bad week of HTTP
 * errors and timeouts, a day the server could not be reached at all, and
 * today's partial day. Deterministic, for layout tests and for looking at.
 */
export function mixedMonth(now: Date): FeedHistory {
  const today = utcDay(now);
  return Array.from({ length: HISTORY_DAYS }, (_, i) => {
    const day = dayBefore(today, HISTORY_DAYS - 1 - i);
    if (i === 3) return { day }; // the bot was down: nothing recorded
    const polls = i === HISTORY_DAYS - 1 ? 60 : 144;
    const newItems = [0, 2, 5, 1, 0, 3, 7, 2][i % 8]!;
    const failed: NonNullable<FeedHistory[number]['failed']> =
      i === 12 ? { FETCH_FAILED: 144 } : i >= 18 && i <= 22 ? { HTTP_ERROR: 10 + i, ...(i % 2 === 0 ? { TIMEOUT: 6 } : {}) } : i === 26 ? { NOT_A_FEED: 3 } : {};
    const failures = Object.values(failed).reduce((a, b) => a + b, 0);
    const ok = failures >= polls ? 0 : Math.min(polls - failures, newItems > 0 ? Math.ceil(newItems / 2) + 2 : 2);
    return {
      day,
      ...(ok > 0 ? { ok } : {}),
      ...(polls - failures - ok > 0 ? { notModified: polls - failures - ok } : {}),
      ...(failures > 0 ? { failed } : {}),
      ...(newItems > 0 && ok > 0 ? { newItems } : {}),
    };
  });
}
