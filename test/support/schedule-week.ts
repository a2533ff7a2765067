import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { ledgerId } from '../../src/schedule/ledger.ts';
import { runTick } from '../../src/schedule/run-tick.ts';
import { Schedule } from '../../src/schedule/schedule.ts';
import type { Subscription } from '../../src/schedule/subscription.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { EVENTS, recordingLog } from './schedule-harness.ts';

/**
 * The week the scheduler fault tests simulate: 24–31 July 2026 (Armistice
 * Day, 27 July, inside it), ticks every 30 minutes, ten subscribed channels
 * and an article every three hours. `expectedPosts()` runs the week in one
 * process on a private store: what the instances sharing Redis must post
 * between them, each exactly once.
 */

export const WEEK_START = Date.parse('2026-07-24T00:00:00Z');
export const WEEK_END = Date.parse('2026-07-31T00:00:00Z');
export const TICK_MS = 30 * 60_000;
/** The Seoul channels' digests and reminders of 27 July are due in the same round, at 00:00Z. */
export const ARMISTICE_DAY_ROUND = '2026-07-27T00:00:00.000Z';
export const SEOUL_CHANNELS = Array.from({ length: 8 }, (_, i) => `discord:seoul-${i + 1}`);

/** Where the instances' schedule reads its reminder events. */
export const weekEvents = () => EVENTS;

/** Subscriptions and articles of the week, written into `store`. */
export async function seedWeek(store: Store): Promise<void> {
  const schedule = new Schedule(store, weekEvents);
  const activeSince = new Date(WEEK_START).toISOString();
  const base = { digest: 'daily', time: '09:00', timeZone: 'Asia/Seoul', reminders: true, createdBy: 'test', createdAt: activeSince, activeSince } as const;
  const subscriptions: Subscription[] = [
    ...SEOUL_CHANNELS.map((channel) => ({ ...base, channel })),
    { ...base, channel: 'slack:newyork', digest: 'weekly', time: '08:30', timeZone: 'America/New_York' },
    { ...base, channel: 'discord:london', time: '07:00', timeZone: 'Europe/London', reminders: false, about: 'summit' },
  ];
  for (const subscription of subscriptions) await schedule.subscriptions.save(subscription);
  const articles = [];
  for (let t = WEEK_START, n = 0; t < WEEK_END; t += 3 * 3_600_000, n++) {
    // Words of its own in each title: no two articles form one story.
    const words = `w${n}a w${n}b w${n}c`;
    articles.push({
      id: `week-${n}`,
      title: n % 3 === 0 ? `Summit talks ${words}` : `Border calm ${words}`,
      outlet: 'Yonhap',
      url: `https://example.com/week-${n}`,
      lead: '',
      ingestedAt: new Date(t + 3_600_000).toISOString(),
    });
  }
  await schedule.articles.record(articles);
}

export interface ExpectedPost {
  /** Channel and rendered text: what a channel member sees. */
  seen: string;
  /** The posting ledger's id of this post. */
  ledgerId: string;
}

export const seenAs = (channel: string, reply: Reply) => `${channel}\n${renderPlainText(reply)}`;

export async function expectedPosts(): Promise<ExpectedPost[]> {
  const store = await openStore('sqlite::memory:');
  await seedWeek(store);
  const schedule = new Schedule(store, weekEvents);
  const posts: ExpectedPost[] = [];
  for (let t = WEEK_START; t < WEEK_END; t += TICK_MS) {
    await runTick({ schedule, notifier: { post: async () => ({ ok: true }) }, log: recordingLog() }, new Date(t), {
      onPost: (post) => posts.push({ seen: seenAs(post.channel, post.reply), ledgerId: ledgerId({ channel: post.channel, job: post.job, period: post.period, ...(post.part ? { part: post.part } : {}) }) }),
    });
  }
  await store.close();
  return posts;
}
