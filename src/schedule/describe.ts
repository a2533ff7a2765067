/**
 * How a subscription reads to people: /subscribe confirms with it,
 * /subscriptions lists with it.
 */
import type { ReplyField, ReplyItem } from '../reply/reply.ts';
import { nextDigestAt } from './plan.ts';
import type { Subscription } from './subscription.ts';
import { formatTimeOfDay, wallClock } from './zoned-time.ts';
import { describePartialDate } from '../core/dates.ts';

export const RESUME_HINT = 'An admin can resume it by running /subscribe in that channel (settings are kept).';

export function digestSummary(subscription: Subscription): string {
  switch (subscription.digest) {
    case 'off':
      return 'no digest';
    case 'instant':
      return 'new articles as they arrive';
    case 'daily':
      return `daily at ${subscription.time} (${subscription.timeZone})`;
    case 'weekly':
      return `weekly, Mondays at ${subscription.time} (${subscription.timeZone})`;
  }
}

/** `Thursday 27 November 2026, 09:00 (Asia/Seoul)` */
export function describeLocalInstant(instant: Date, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone }).format(instant);
  return `${weekday} ${describePartialDate(wall)}, ${formatTimeOfDay(wall)} (${timeZone})`;
}

export function subscriptionFields(subscription: Subscription, now: Date): ReplyField[] {
  const fields: ReplyField[] = [
    { name: 'Digest', value: digestSummary(subscription), inline: true },
    { name: 'Reminders', value: subscription.reminders ? `on anniversaries at ${subscription.time} (${subscription.timeZone})` : 'off', inline: true },
    { name: 'About', value: subscription.about ?? 'every new article', inline: true },
  ];
  const next = nextDigestAt(subscription, now);
  if (next && !subscription.paused) fields.push({ name: 'Next digest', value: describeLocalInstant(next, subscription.timeZone) });
  if (subscription.paused) {
    fields.push({ name: 'Paused', value: `since ${subscription.paused.at.slice(0, 16).replace('T', ' ')} UTC: ${subscription.paused.reason}. ${RESUME_HINT}` });
  }
  return fields;
}

export function subscriptionItem(subscription: Subscription): ReplyItem {
  const parts = [digestSummary(subscription), `reminders ${subscription.reminders ? 'on' : 'off'}`];
  if (subscription.about) parts.push(`about: ${subscription.about}`);
  const item: ReplyItem = { title: subscription.channel, meta: parts.join(' · ') };
  if (subscription.paused) {
    item.note = 'paused';
    item.text = `Paused since ${subscription.paused.at.slice(0, 10)}: ${subscription.paused.reason}. ${RESUME_HINT}`;
  }
  return item;
}
