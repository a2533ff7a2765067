/**
 * The anniversary reminder a channel receives: what happened, how many
 * years ago, and where that is written.
 */
import { ordinal } from '../core/anniversaries.ts';
import { describePartialDate } from '../core/dates.ts';
import type { Reply, SourceRef } from '../reply/reply.ts';
import type { AnniversaryEvent } from './plan.ts';

export interface ReminderEvent extends AnniversaryEvent {
  /** One line: what happened. */
  summary: string;
  /** The articles that report it; a reminder without a source is not posted. */
  sources: SourceRef[];
}

export function reminderMessage(event: ReminderEvent, years: number): Reply {
  const when = describePartialDate(event.date);
  return {
    title: `${years} ${years === 1 ? 'year' : 'years'} ago today (${when})`,
    text: [event.summary, `Today marks the ${ordinal(years)} anniversary.`],
    sources: event.sources,
    footer: '/subscribe reminders:off stops these reminders',
  };
}
