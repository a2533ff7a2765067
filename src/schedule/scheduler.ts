/**
 * The clock: node-cron calls runTick every minute; start-up first settles
 * what happened while the bot was down.
 */
import cron from 'node-cron';
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

/**
 * Recovers, catches up at once, then ticks at the start of every minute.
 * Runs never overlap: node-cron's noOverlap skips a minute whose tick would
 * start while the previous one still runs (the next tick catches up), and
 * Schedule.exclusive serialises the tick with the poller's instant posts.
 */
export async function startScheduler(services: ScheduleServices, clock: () => Date = () => new Date()): Promise<RunningScheduler> {
  const started = clock();
  await recoverAfterDowntime(services, started);
  await runTick(services, started);
  const task = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await runTick(services, clock());
      } catch (error) {
        services.log.error({ err: error }, 'schedule tick failed; the next tick retries');
      }
    },
    { name: 'schedule-tick', noOverlap: true },
  );
  return {
    async stop() {
      await task.destroy();
    },
  };
}
