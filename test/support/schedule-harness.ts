import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import type { PostResult } from '../../src/notify.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { Schedule } from '../../src/schedule/schedule.ts';
import type { ReminderEvent } from '../../src/schedule/reminder.ts';
import type { ScheduleServices } from '../../src/schedule/run-tick.ts';
import type { Subscription } from '../../src/schedule/subscription.ts';
import type { LoggedArticle } from '../../src/schedule/article-log.ts';

/**
 * The schedule on a real store (SQLite in memory), a notifier that records
 * what reaches each channel, and a log that keeps its lines. `restart()`
 * gives a fresh process over the same store: nothing kept in memory.
 */

export interface Delivered {
  channel: string;
  reply: Reply;
  text: string;
}

/** A notifier whose behaviour the test sets per post. */
export class RecordingNotifier {
  readonly delivered: Delivered[] = [];
  /** Every call to post, whatever its fate. */
  attempts = 0;
  /** Decides each post's fate; default: delivered. */
  behaviour: (channel: string, reply: Reply) => PostResult | 'throw' | 'hang' = () => ({ ok: true });

  async post(channel: string, reply: Reply): Promise<PostResult> {
    this.attempts += 1;
    const fate = this.behaviour(channel, reply);
    if (fate === 'throw') throw new Error('connection reset while posting');
    if (fate === 'hang') return new Promise<PostResult>(() => undefined);
    if (fate.ok) this.delivered.push({ channel, reply, text: renderPlainText(reply) });
    return fate;
  }

  to(channel: string): Delivered[] {
    return this.delivered.filter((d) => d.channel === channel);
  }
}

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  fields: object;
  message: string;
}

export function recordingLog(lines: LogLine[] = []) {
  const at = (level: LogLine['level']) => (fields: object, message?: string) => {
    lines.push({ level, fields, message: message ?? '' });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as ScheduleServices['log'] & {
    lines: LogLine[];
  };
}

/** The anniversaries of the knowledge base, with a source each (as reminderEvents builds them). */
export const EVENTS: ReminderEvent[] = [
  ['korean-war-outbreak', 1950, 6, 25, 'North Korean forces invade South Korea and the Korean War begins.'],
  ['armistice-signed', 1953, 7, 27, 'The Korean Armistice Agreement halts the fighting.'],
  ['panmunjom-declaration', 2018, 4, 27, 'Moon Jae-in and Kim Jong-un sign the Panmunjom Declaration.'],
  ['singapore-summit', 2018, 6, 12, 'Donald Trump and Kim Jong-un meet in Singapore.'],
  ['pyongyang-declaration', 2018, 9, 19, 'Moon and Kim sign the Pyongyang Joint Declaration.'],
  ['dmz-meeting', 2019, 6, 30, 'Trump, Kim and Moon meet at the DMZ.'],
].map(([id, year, month, day, summary]) => ({
  id: id as string,
  date: { year: year as number, month: month as number, day: day as number },
  summary: summary as string,
  sources: [{ articleId: '002_6b42de142ce55b91', title: 'Korean War armistice', outlet: 'The Associated Press', date: '2020-06-25' }],
}));

export interface Harness {
  store: Store;
  schedule: Schedule;
  notifier: RecordingNotifier;
  log: ReturnType<typeof recordingLog>;
  services: ScheduleServices;
  /** A new process over the same store and notifier. */
  restart(): Harness;
  subscribe(channel: string, settings: Partial<Subscription> & { activeSince: string }): Promise<Subscription>;
  logArticle(article: Partial<LoggedArticle> & { id: string; title: string; ingestedAt: string }): Promise<void>;
}

export async function makeHarness(events: ReminderEvent[] = EVENTS): Promise<Harness> {
  const store = await openStore('sqlite::memory:');
  const notifier = new RecordingNotifier();
  const build = (): Harness => {
    const schedule = new Schedule(store, () => events);
    const log = recordingLog();
    const harness: Harness = {
      store,
      schedule,
      notifier,
      log,
      services: { schedule, notifier, log },
      restart: build,
      async subscribe(channel, settings) {
        const subscription: Subscription = {
          channel,
          digest: 'daily',
          time: '09:00',
          timeZone: 'Asia/Seoul',
          reminders: true,
          createdBy: 'test',
          createdAt: settings.activeSince,
          ...settings,
        };
        await schedule.subscriptions.save(subscription);
        return subscription;
      },
      async logArticle(article) {
        await schedule.articles.record([{ lead: '', outlet: 'Yonhap', url: `https://example.com/${article.id}`, ...article }]);
      },
    };
    return harness;
  };
  return build();
}
