/**
 * The clock: node-cron calls runTick every minute; start-up first settles
 * what happened while the bot was down.
 */
import cron from 'node-cron';
import { createLease, runAsLeader } from '../store/lease.ts';
import type { Store } from '../store/store.ts';
import { missedJobs } from './plan.ts';
import { PENDING_GRACE_MS, runTick, type ScheduleServices } from './run-tick.ts';

export interface RecoveryReport {
  /** Posts claimed by a process that died before confirming them: not re-sent. */
  unknown: string[];
  /** Posts whose window closed while the bot was down: not sent. */
  skipped: Array<{ channel: string; job: string; period: string }>;
}

/**
 * Start-up, before the first tick:
 * - pending ledger entries older than the grace period were claimed by a
 *   process that stopped before confirming: marked unknown and logged, not
 *   re-sent (see ledger.ts for why);
 * - jobs due since the last tick whose window has closed are recorded as
 *   skipped and logged. Those still in their window are left to the tick,
 *   which sends them late.
 */
export async function recoverAfterDowntime(services: ScheduleServices, now: Date): Promise<RecoveryReport> {
  const { schedule, log } = services;
  const report: RecoveryReport = { unknown: [], skipped: [] };
  for (const { id, entry } of await schedule.ledger.stalePending(new Date(now.getTime() - PENDING_GRACE_MS))) {
    await schedule.ledger.markUnknown(id, now);
    report.unknown.push(id);
    log.warn({ post: id, claimedAt: entry.at }, 'a post was claimed before a restart and never confirmed; not re-sent, to avoid a duplicate');
  }
  const lastTick = (await schedule.state.get('clock'))?.lastTickAt;
  if (lastTick) {
    const events = schedule.events();
    for (const subscription of await schedule.subscriptions.all()) {
      for (const job of missedJobs(subscription, new Date(lastTick), now, events)) {
        const key = { channel: subscription.channel, job: job.job, period: job.period };
        if (await schedule.ledger.settleIfAbsent(key, 'skipped', now, 'the bot was down for the whole window')) {
          report.skipped.push(key);
          log.info({ ...key, dueAt: job.dueAt.toISOString(), until: job.until.toISOString() }, 'missed while the bot was down; skipped');
        }
      }
    }
  }
  return report;
}

export interface RunningScheduler {
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  clock?: () => Date;
  /** Checked before every tick: only the leader among processes sharing the store posts. */
  isLeader?: () => boolean;
}

/**
 * Recovers, catches up at once, then ticks at the start of every minute.
 * Runs never overlap: node-cron's noOverlap skips a minute whose tick would
 * start while the previous one still runs (the next tick catches up), and
 * Schedule.exclusive serialises the tick with the poller's instant posts.
 */
export async function startScheduler(services: ScheduleServices, options: SchedulerOptions = {}): Promise<RunningScheduler> {
  const clock = options.clock ?? (() => new Date());
  const isLeader = options.isLeader ?? (() => true);
  let recovered = false;
  const tick = async () => {
    if (!isLeader()) return;
    try {
      const now = clock();
      // Until recovery has succeeded once (the store may be down at start-up), each tick tries it first.
      if (!recovered) {
        await recoverAfterDowntime(services, now);
        recovered = true;
      }
      await runTick(services, now);
    } catch (error) {
      services.log.error({ err: error }, 'schedule tick failed; the next tick retries');
    }
  };
  await tick();
  const task = cron.schedule('* * * * *', tick, { name: 'schedule-tick', noOverlap: true });
  return {
    async stop() {
      await task.destroy();
    },
  };
}

/** Other work only the leader does (the feed poller): started when elected, its stop function called when demoted. */
export type LeaderDuty = () => () => void | Promise<void>;

/** The lease whose holder ticks the scheduler and polls the feeds (see runSchedulerAsLeader, and `armistice poll`). */
export const LEADER_LEASE = 'schedule';

/**
 * The scheduler of a bot that may run as several processes sharing a store
 * (Redis): only the holder of the `schedule` lease ticks, and runs the
 * `duties` given. When a process is elected it recovers and catches up (what
 * the previous leader left pending is handled like a restart); when it is
 * demoted it stops ticking and stops its duties.
 */
export function runSchedulerAsLeader(
  services: ScheduleServices & { store: Store },
  duties: readonly LeaderDuty[] = [],
  options: Pick<SchedulerOptions, 'clock'> = {},
): RunningScheduler {
  let running: RunningScheduler | undefined;
  let stopDuties: Array<() => void | Promise<void>> = [];
  const leadership = runAsLeader({
    lease: createLease(services.store, LEADER_LEASE),
    onElected: async () => {
      running = await startScheduler(services, { ...options, isLeader: () => leadership.isLeader() });
      stopDuties = duties.map((start) => start());
    },
    onDemoted: async () => {
      await running?.stop();
      running = undefined;
      for (const stop of stopDuties) await stop();
      stopDuties = [];
    },
    log: services.log,
  });
  return { stop: () => leadership.stop() };
}
