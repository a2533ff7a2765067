/**
 * One tick: everything due at an instant, posted once. The cron job calls it
 * every minute, start-up calls it to catch up, `armistice tick --at` calls it
 * for any instant.
 */
import type { Logger } from '../log.ts';
import type { NotifierHub } from '../notify.ts';
import type { Reply } from '../reply/reply.ts';
import { ingestedBetween, type ArticleSnapshot } from './article-log.ts';
import { laterOf, type DigestCursor } from './cursors.ts';
import { digestMessages, type DigestHeading } from './digest.ts';
import type { LedgerKey } from './ledger.ts';
import { jobsInWindow, planKey, startedSince, type DueJob } from './plan.ts';
import { reminderMessage, type ReminderEvent } from './reminder.ts';
import type { Schedule } from './schedule.ts';
import { aboutFilter, storiesFrom } from './stories.ts';
import type { Subscription } from './subscription.ts';
import { wallClock } from './zoned-time.ts';
import { describePartialDate } from '../core/dates.ts';

/** What a tick needs from the services. */
export interface ScheduleServices {
  schedule: Schedule;
  notifier: Pick<NotifierHub, 'post'>;
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
}

export interface TickOptions {
  /** Compose and report the posts, send and record nothing. */
  dryRun?: boolean;
  /** Called as each post is made (or, dry, would be). */
  onPost?: (post: TickPost) => void;
}

export type PostOutcome = 'sent' | 'would-send' | 'failed-permanently' | 'failed-transiently' | 'unknown';

/** A post of the tick: its place in the ledger, what it says, and what became of it. */
export interface TickPost extends LedgerKey {
  reply: Reply;
  outcome: PostOutcome;
}

export interface TickReport {
  at: Date;
  posts: TickPost[];
  /** Channels paused during this tick, with the reason. */
  paused: Array<{ channel: string; reason: string }>;
}

/**
 * A pending ledger entry older than this belongs to a sender that died:
 * posting takes seconds, so ten minutes leaves no live sender behind.
 */
export const PENDING_GRACE_MS = 10 * 60_000;

/** Thrown inside a tick when a notifier threw: the round stops (see ledger.ts); the next tick resumes. */
class RoundStopped extends Error {}

export async function runTick(services: ScheduleServices, at: Date, options: TickOptions = {}): Promise<TickReport> {
  return services.schedule.exclusive(() => new TickRun(services, at, options).run());
}

/**
 * Posts the articles logged since each instant-mode channel's last post, in
 * one batch per channel: for a caller that knows a poll round has ended. The
 * every-minute tick does the same for whatever is left (see instant.ts).
 */
export async function runInstantDigests(services: ScheduleServices, at: Date, options: TickOptions = {}): Promise<TickReport> {
  return services.schedule.exclusive(() => new TickRun(services, at, options).run({ scheduled: false }));
}

class TickRun {
  private readonly report: TickReport;
  private articles: ArticleSnapshot | undefined;
  /** Composed digests by (from, upper, about): channels in the same zone at the same time share them. */
  private readonly composed = new Map<string, Reply[]>();
  private readonly plans = new Map<string, DueJob[]>();

  constructor(
    private readonly services: ScheduleServices,
    private readonly at: Date,
    private readonly options: TickOptions,
  ) {
    this.report = { at, posts: [], paused: [] };
  }

  async run({ scheduled = true }: { scheduled?: boolean } = {}): Promise<TickReport> {
    const { schedule } = this.services;
    const subscriptions = await schedule.subscriptions.all();
    const events = schedule.events();
    try {
      for (const subscription of subscriptions) {
        if (subscription.paused) continue;
        if (subscription.digest === 'instant') await this.digest(subscription, undefined);
        if (!scheduled) continue;
        for (const job of this.plan(subscription, events)) {
          if (this.isPaused(subscription.channel)) break;
          if (job.kind === 'digest') await this.digest(subscription, job);
          else await this.reminder(subscription, job);
        }
      }
    } catch (error) {
      if (!(error instanceof RoundStopped)) throw error;
      this.services.log.warn({ at: this.at.toISOString() }, 'schedule round stopped after a notifier error; the next tick resumes it');
    }
    if (scheduled && !this.options.dryRun) await this.recordClock();
    return this.report;
  }

  /** The jobs due for a subscription; channels with the same settings share one planning. */
  private plan(subscription: Subscription, events: readonly ReminderEvent[]): DueJob[] {
    const key = planKey(subscription);
    let jobs = this.plans.get(key);
    if (!jobs) this.plans.set(key, (jobs = jobsInWindow(subscription, this.at, events)));
    return startedSince(jobs, subscription);
  }

  /** The last tick instant, for catch-up after downtime; never moved back (`tick --at` a past instant). */
  private async recordClock(): Promise<void> {
    const state = this.services.schedule.state;
    const last = (await state.get('clock'))?.lastTickAt;
    if (!last || last < this.at.toISOString()) await state.set('clock', { lastTickAt: this.at.toISOString() });
  }

  private async reminder(subscription: Subscription, job: DueJob): Promise<void> {
    const event = this.services.schedule.events().find((e) => e.id === job.eventId);
    if (!event || event.sources.length === 0) return;
    const key: LedgerKey = { channel: subscription.channel, job: job.job, period: job.period };
    if (!(await this.isOpen(key))) return;
    await this.deliver(subscription, key, reminderMessage(event, job.years!));
  }

  /**
   * One channel's digest: the articles ingested since its cursor up to the
   * period's due moment (so a late or resumed round composes exactly the
   * same messages), or up to now for instant channels.
   */
  private async digest(subscription: Subscription, job: DueJob | undefined): Promise<void> {
    const { schedule } = this.services;
    const channel = subscription.channel;
    const jobName = job ? 'digest' : 'instant';
    // Settled periods are remembered in memory: the every-minute tick reads nothing for them.
    if (job && schedule.ledger.known({ channel, job: 'digest', period: job.period })) return;
    let cursor: DigestCursor = (await schedule.cursors.get(channel)) ?? { through: subscription.activeSince };
    if (job && cursor.done === job.period) return;
    let period = job?.period;
    let upper = job?.dueAt.toISOString();

    if (cursor.open) {
      const resumable = cursor.open.job === jobName && (job === undefined || cursor.open.period === job.period);
      if (resumable) {
        period = cursor.open.period;
        upper = cursor.open.upper;
      } else {
        // A round from a closed period that never finished: its remaining
        // parts are abandoned (at most once), its articles count as offered.
        cursor = { through: laterOf(cursor.through, cursor.open.upper), ...(cursor.done ? { done: cursor.done } : {}) };
        if (!this.options.dryRun) await schedule.cursors.set(channel, cursor);
      }
    }
    if (!job && !cursor.open) {
      upper = this.at.toISOString();
      period = upper;
    }

    const messages = await this.compose(subscription, cursor.through, upper!, job);
    if (messages.length === 0) {
      if (this.options.dryRun) return;
      // Nothing new for this channel: the articles looked at count as offered
      // (instant channels skip the write, which would come every minute).
      if (job || cursor.open) await schedule.cursors.set(channel, finished(cursor, upper!, job));
      if (job) await schedule.ledger.settleIfAbsent({ channel, job: 'digest', period: period! }, 'empty', this.at);
      return;
    }
    if (!this.options.dryRun && !cursor.open) {
      await schedule.cursors.set(channel, { ...cursor, open: { job: jobName, period: period!, upper: upper! } });
    }
    for (const [index, reply] of messages.entries()) {
      const key: LedgerKey = { channel, job: jobName, period: period!, part: index + 1 };
      if (!(await this.isOpen(key))) continue;
      const outcome = await this.deliver(subscription, key, reply);
      // Known not posted: the round stays open and the next tick retries it.
      if (outcome === 'failed-transiently') return;
      if (outcome === 'failed-permanently') break;
    }
    if (this.options.dryRun) return;
    await schedule.cursors.set(channel, finished(cursor, upper!, job));
    if (job) await schedule.ledger.settle({ channel, job: 'digest', period: period! }, this.isPaused(channel) ? 'failed' : 'sent', this.at);
  }

  private async compose(subscription: Subscription, from: string, upper: string, job: DueJob | undefined): Promise<Reply[]> {
    const memoKey = `${from}|${upper}|${subscription.about ?? ''}|${job?.period ?? ''}|${subscription.digest}|${subscription.timeZone}`;
    const known = this.composed.get(memoKey);
    if (known) return known;
    this.articles ??= await this.services.schedule.articles.snapshot();
    const wanted = ingestedBetween(this.articles.articles, from, upper).filter(aboutFilter(subscription.about));
    const messages = digestMessages(storiesFrom(wanted, this.articles.storyOf), heading(subscription, job));
    this.composed.set(memoKey, messages);
    return messages;
  }

  /**
   * False when the ledger already holds this post. A pending entry past the
   * grace period is a sender that died: recorded as unknown and logged, not
   * re-sent (see ledger.ts).
   */
  private async isOpen(key: LedgerKey): Promise<boolean> {
    const entry = await this.services.schedule.ledger.get(key);
    if (!entry) return true;
    if (entry.status === 'pending' && this.at.getTime() - Date.parse(entry.at) > PENDING_GRACE_MS && !this.options.dryRun) {
      await this.services.schedule.ledger.settle(key, 'unknown', this.at, { reason: 'sender stopped before confirming' });
      this.services.log.warn({ ...key, claimedAt: entry.at }, 'a post was claimed but never confirmed; not re-sent, to avoid a duplicate');
    }
    return false;
  }

  /** Claim, post, record. Throws RoundStopped when the notifier throws. */
  private async deliver(subscription: Subscription, key: LedgerKey, reply: Reply): Promise<PostOutcome> {
    const { schedule, notifier, log } = this.services;
    const post = (outcome: PostOutcome): PostOutcome => {
      const made: TickPost = { channel: key.channel, job: key.job, period: key.period, reply, outcome };
      if (key.part !== undefined) made.part = key.part;
      this.report.posts.push(made);
      this.options.onPost?.(made);
      return outcome;
    };
    if (this.options.dryRun) return post('would-send');
    if (!(await schedule.ledger.claim(key, this.at))) return 'unknown';

    let result;
    try {
      result = await notifier.post(key.channel, reply);
    } catch (error) {
      // The post may or may not have reached the channel: never re-sent.
      await schedule.ledger.settle(key, 'unknown', this.at, { reason: error instanceof Error ? error.message : String(error) });
      log.error({ err: error, ...key }, 'notifier threw while posting; the post is recorded as unknown and not re-sent');
      post('unknown');
      throw new RoundStopped();
    }
    if (result.ok) {
      await schedule.ledger.settle(key, 'sent', this.at, result.messageId ? { messageId: result.messageId } : {});
      const heldSince = schedule.heldBack.release(key);
      if (heldSince) log.info({ ...key, heldBackSince: heldSince.toISOString() }, 'a post held back was made');
      return post('sent');
    }
    if (result.permanent) {
      await schedule.ledger.settle(key, 'failed', this.at, { reason: result.reason });
      schedule.heldBack.release(key);
      await schedule.subscriptions.pause(subscription.channel, result.reason, this.at);
      this.report.paused.push({ channel: subscription.channel, reason: result.reason });
      log.warn({ ...key, reason: result.reason }, 'the bot can no longer post to this channel; its subscription is paused');
      return post('failed-permanently');
    }
    await schedule.ledger.release(key);
    // Once per post and reason: while a platform is away every owed post fails at every tick.
    if (schedule.heldBack.note(key, result.reason, this.at)) {
      log.warn({ ...key, reason: result.reason }, 'post failed; retried at every tick while its window is open (logged again if the reason changes)');
    }
    return post('failed-transiently');
  }

  private isPaused(channel: string): boolean {
    return this.report.paused.some((p) => p.channel === channel);
  }
}

/** The cursor after a round: its articles offered, its period done (cursor first, then the ledger marker). */
function finished(cursor: DigestCursor, upper: string, job: DueJob | undefined): DigestCursor {
  const next: DigestCursor = { through: laterOf(cursor.through, upper) };
  if (job) next.done = job.period;
  else if (cursor.done) next.done = cursor.done;
  return next;
}

function heading(subscription: Subscription, job: DueJob | undefined): DigestHeading {
  const out: DigestHeading = { title: 'New articles' };
  if (job) {
    const day = wallClock(job.dueAt, subscription.timeZone);
    out.title = subscription.digest === 'weekly' ? `Weekly news digest — week of ${describePartialDate(day)}` : `News digest — ${describePartialDate(day)}`;
  }
  if (subscription.about) out.about = subscription.about;
  return out;
}
