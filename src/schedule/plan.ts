/**
 * Pure planning: for a subscription and an instant, which posts are due.
 * No store, no clock: the runner asks, the ledger decides whether a due post
 * was already made.
 *
 * Every job has a period (the unit it is posted once per) and a window:
 * - daily digest: period = the local date; due at the chosen local time;
 *   may go out late until the next day's digest is due;
 * - weekly digest: period = the ISO week; due Monday at the local time;
 *   may go out late until the next Monday's;
 * - reminder: period = event id + year; due on the anniversary at the local
 *   time; may go out late until the end of that local day.
 */
import { anniversaryDayIn, compareDays, type CalendarDay } from '../core/anniversaries.ts';
import { timeOfDay, type Subscription } from './subscription.ts';
import { addDays, dayKey, instantAt, isoWeek, isoWeekday, startOfDay, wallClock, type TimeOfDay } from './zoned-time.ts';

/** An event whose anniversaries are reminded. */
export interface AnniversaryEvent {
  id: string;
  date: CalendarDay;
}

export interface DueJob {
  kind: 'digest' | 'reminder';
  /** `digest` or `reminder:<event id>`: with the period, the ledger key. */
  job: string;
  /** `2026-07-27` (daily), `2026-W31` (weekly), `2026` (reminder). */
  period: string;
  /** When it is due (the local time of the channel, as an instant). */
  dueAt: Date;
  /** The end of its window: at or after this instant it is missed, not late. */
  until: Date;
  /** For reminders: the event and how many years it marks. */
  eventId?: string;
  years?: number;
}

/** The jobs whose window contains `at`, for a subscription that is not paused. */
export function dueJobs(subscription: Subscription, at: Date, events: readonly AnniversaryEvent[]): DueJob[] {
  if (subscription.paused) return [];
  return startedSince(jobsInWindow(subscription, at, events), subscription);
}

/** Drops the jobs due before the subscription started (or resumed). */
export function startedSince(jobs: readonly DueJob[], subscription: Subscription): DueJob[] {
  const activeSince = Date.parse(subscription.activeSince);
  return jobs.filter((job) => job.dueAt.getTime() >= activeSince);
}

/** What decides a subscription's jobs: channels with the same key have the same jobs at an instant. */
export function planKey(subscription: Subscription): string {
  return `${subscription.timeZone}|${subscription.time}|${subscription.digest}|${subscription.reminders}`;
}

/**
 * The jobs whose window contains `at` for these settings, whenever the
 * subscription started (see startedSince). The same for every channel with
 * the same planKey, so a tick plans each combination once.
 */
export function jobsInWindow(subscription: Subscription, at: Date, events: readonly AnniversaryEvent[]): DueJob[] {
  const time = timeOfDay(subscription);
  const today = wallClock(at, subscription.timeZone);
  const jobs: DueJob[] = [];
  const digest = currentDigest(subscription, time, today, at);
  if (digest) jobs.push(digest);
  if (subscription.reminders) {
    for (const event of events) {
      const reminder = reminderOn(event, today, time, subscription.timeZone);
      if (reminder) jobs.push(reminder);
    }
  }
  return jobs.filter((job) => job.dueAt.getTime() <= at.getTime() && at.getTime() < job.until.getTime());
}

/**
 * The jobs due after `from` whose window had closed by `to`: what a bot that
 * was down between the two instants missed. Looks back at most `maxDays`.
 */
export function missedJobs(
  subscription: Subscription,
  from: Date,
  to: Date,
  events: readonly AnniversaryEvent[],
  maxDays = 400,
): DueJob[] {
  if (subscription.paused || to.getTime() <= from.getTime()) return [];
  const activeSince = Date.parse(subscription.activeSince);
  const time = timeOfDay(subscription);
  const zone = subscription.timeZone;
  const last = wallClock(to, zone);
  let day = wallClock(Math.max(from.getTime(), to.getTime() - maxDays * 86_400_000), zone) as CalendarDay;
  // A weekly digest due the Monday before `from` can still close after it.
  day = addDays(day, -7);
  const jobs: DueJob[] = [];
  for (; compareDays(day, last) <= 0; day = addDays(day, 1)) {
    if (subscription.digest === 'daily') jobs.push(dailyDigest(day, time, zone));
    if (subscription.digest === 'weekly' && isoWeekday(day) === 1) jobs.push(weeklyDigest(day, time, zone));
    if (subscription.reminders) {
      for (const event of events) {
        const reminder = reminderOn(event, day, time, zone);
        if (reminder) jobs.push(reminder);
      }
    }
  }
  return jobs.filter(
    (job) => job.dueAt.getTime() > from.getTime() && job.dueAt.getTime() >= activeSince && job.until.getTime() <= to.getTime(),
  );
}

/** The digest period `at` falls in (the latest one due at or before it). */
function currentDigest(subscription: Subscription, time: TimeOfDay, today: CalendarDay, at: Date): DueJob | undefined {
  const zone = subscription.timeZone;
  if (subscription.digest === 'daily') {
    const job = dailyDigest(today, time, zone);
    return job.dueAt.getTime() <= at.getTime() ? job : dailyDigest(addDays(today, -1), time, zone);
  }
  if (subscription.digest === 'weekly') {
    const monday = addDays(today, 1 - isoWeekday(today));
    const job = weeklyDigest(monday, time, zone);
    return job.dueAt.getTime() <= at.getTime() ? job : weeklyDigest(addDays(monday, -7), time, zone);
  }
  // Instant digests follow the poller, not the clock; `off` has none.
  return undefined;
}

/** A digest due at `time` on `start`, open until the next one: daily periods are dates, weekly ones ISO weeks. */
function digestJob(start: CalendarDay, days: 1 | 7, time: TimeOfDay, zone: string): DueJob {
  return {
    kind: 'digest',
    job: 'digest',
    period: days === 1 ? dayKey(start) : isoWeek(start),
    dueAt: instantAt(start, time, zone),
    until: instantAt(addDays(start, days), time, zone),
  };
}

const dailyDigest = (day: CalendarDay, time: TimeOfDay, zone: string) => digestJob(day, 1, time, zone);
const weeklyDigest = (monday: CalendarDay, time: TimeOfDay, zone: string) => digestJob(monday, 7, time, zone);

/** The reminder of `event` if `day` is one of its anniversaries (February 29 → March 1 in common years). */
function reminderOn(event: AnniversaryEvent, day: CalendarDay, time: TimeOfDay, zone: string): DueJob | undefined {
  if (day.year <= event.date.year) return undefined;
  if (compareDays(anniversaryDayIn(event.date, day.year), day) !== 0) return undefined;
  return {
    kind: 'reminder',
    job: `reminder:${event.id}`,
    period: String(day.year),
    dueAt: instantAt(day, time, zone),
    until: startOfDay(addDays(day, 1), zone),
    eventId: event.id,
    years: day.year - event.date.year,
  };
}

/** The next moment a scheduled digest is due after `at` (undefined for instant or no digest). */
export function nextDigestAt(subscription: Subscription, at: Date): Date | undefined {
  const current = currentDigest(subscription, timeOfDay(subscription), wallClock(at, subscription.timeZone), at);
  return current?.until;
}
