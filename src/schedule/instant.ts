/**
 * New feed articles reach the schedule here. The poller calls its
 * onNewArticles hook once per feed with new items; recordNewArticles puts
 * them in the article log (what digests read, across restarts). Instant-mode
 * channels then get everything new in one batch: from runInstantDigests
 * when the caller knows a poll round has ended, and in any case from the
 * next minute's tick — never once per feed.
 */
import type { Article } from '../corpus/corpus.ts';
import { toLoggedArticle } from './article-log.ts';
import type { ScheduleServices } from './run-tick.ts';

export { runInstantDigests } from './run-tick.ts';

/** The poller's onNewArticles hook. Baseline items never come here (the poller does not announce them). */
export async function recordNewArticles(services: Pick<ScheduleServices, 'schedule'>, articles: readonly Article[], now: Date = new Date()): Promise<void> {
  const fromFeeds = articles.filter((a) => a.origin === 'feed');
  await services.schedule.articles.record(fromFeeds.map((a) => toLoggedArticle(a, now)));
}
