import type { Services } from './services.ts';
import { runSchedulerAsLeader, type LeaderDuty, type RunningScheduler } from './schedule/scheduler.ts';
import { setLeader } from './ops/metrics.ts';

/**
 * Of the processes sharing a store, only the lease holder polls feeds and
 * posts digests and reminders: running them twice would fetch twice and
 * race for the same posts.
 */
export function runLeaderDuties(services: Services): RunningScheduler {
  const duties: LeaderDuty[] = [
    () => {
      setLeader(true);
      return () => setLeader(false);
    },
    () => services.feeds.startPolling(),
  ];
  return runSchedulerAsLeader(services, duties);
}
