import type { Services } from './services.ts';
import { runSchedulerAsLeader, type LeaderDuty, type RunningScheduler } from './schedule/scheduler.ts';
import { runTick } from './schedule/run-tick.ts';
import { setLeader } from './ops/metrics.ts';
import type { PlatformStates } from './ops/platform-state.ts';

/**
 * Of the processes sharing a store, only the lease holder polls feeds and
 * posts digests and reminders: running them twice would fetch twice and
 * race for the same posts.
 *
 * With `platforms`, the leader also catches up as soon as a platform
 * connects (or reconnects): posts that came due while it was away were left
 * owed in the ledger, and go out now rather than at the next minute's tick.
 */
export function runLeaderDuties(services: Services, options: { platforms?: PlatformStates; clock?: () => Date } = {}): RunningScheduler {
  const clock = options.clock ?? (() => new Date());
  const duties: LeaderDuty[] = [
    () => {
      setLeader(true);
      return () => setLeader(false);
    },
    () => services.feeds.startPolling(),
  ];
  const platforms = options.platforms;
  if (platforms) {
    duties.push(() =>
      platforms.onChange((platform, status) => {
        if (status.state !== 'connected') return;
        void runTick(services, clock()).catch((error: unknown) =>
          services.log.error({ err: error, platform }, 'catching up after a platform connected failed; the next tick retries'),
        );
      }),
    );
  }
  return runSchedulerAsLeader(services, duties, { clock });
}
