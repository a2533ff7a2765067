import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/schedule/run-tick.ts';
import { makeHarness } from '../support/schedule-harness.ts';

/**
 * A year of the bot's clock, ticking every 15 minutes, with an article
 * arriving every day at 12:00 UTC except Sundays. The expected counts are
 * worked out from the calendar with plain UTC arithmetic, not with the
 * schedule's own code.
 */
const START = Date.parse('2026-01-01T00:00:00Z');
const END = Date.parse('2027-01-01T00:00:00Z');
const DAY = 86_400_000;
const REMINDERS_PER_YEAR = 6;

function* days(from: number, to: number) {
  for (let t = from; t < to; t += DAY) yield new Date(t);
}
/** Titles that share no story: each day's has words of its own. */
const title = (d: Date) => {
  const own = `w${d.getTime() / DAY}`;
  return d.getUTCDate() % 2 === 0 ? `Summit talks ${own}a ${own}b ${own}c` : `Border calm ${own}a ${own}b ${own}c`;
};

describe('a simulated year of ticks', () => {
  it('posts exactly the digests and reminders each channel asked for, at its own local time', async () => {
    const h = await makeHarness();
    const since = new Date(START).toISOString();
    await h.subscribe('discord:seoul', { digest: 'daily', time: '09:00', timeZone: 'Asia/Seoul', activeSince: since });
    await h.subscribe('slack:newyork', { digest: 'weekly', time: '08:30', timeZone: 'America/New_York', activeSince: since });
    await h.subscribe('discord:london', { digest: 'daily', time: '07:00', timeZone: 'Europe/London', reminders: false, about: 'summit', activeSince: since });
    for (const d of days(START, END)) {
      if (d.getUTCDay() === 0) continue;
      await h.logArticle({ id: `a-${d.toISOString().slice(0, 10)}`, title: title(d), ingestedAt: new Date(d.getTime() + 12 * 3_600_000).toISOString() });
    }

    const started = performance.now();
    const postedAt = new Map<string, string[]>();
    for (let t = START; t < END; t += 15 * 60_000) {
      const report = await runTick(h.services, new Date(t));
      for (const post of report.posts) postedAt.set(post.channel, [...(postedAt.get(post.channel) ?? []), `${post.job} ${report.at.toISOString()}`]);
    }
    const elapsed = performance.now() - started;

    // Seoul, daily at 09:00 KST (00:00Z): day D's digest carries the article of UTC day D-1 → every day but 1 January and Mondays.
    const seoulDigests = [...days(START + DAY, END)].filter((d) => new Date(d.getTime() - DAY).getUTCDay() !== 0).length;
    // New York, weekly on Mondays: every Monday of 2026 has a week of articles behind it.
    const mondays = [...days(START, END)].filter((d) => d.getUTCDay() === 1).length;
    // London, daily at 07:00 local, summit articles only (even days of the month, not Sundays).
    const londonDigests = [...days(START + DAY, END)].filter((d) => {
      const previous = new Date(d.getTime() - DAY);
      return previous.getUTCDay() !== 0 && previous.getUTCDate() % 2 === 0;
    }).length;

    const count = (channel: string, kind: 'digest' | 'reminder') =>
      h.notifier.to(channel).filter((p) => (kind === 'digest' ? /digest/.test(p.reply.title ?? '') : /years ago today/.test(p.reply.title ?? ''))).length;
    expect(seoulDigests).toBe(312);
    expect({
      seoul: [count('discord:seoul', 'digest'), count('discord:seoul', 'reminder')],
      newYork: [count('slack:newyork', 'digest'), count('slack:newyork', 'reminder')],
      london: [count('discord:london', 'digest'), count('discord:london', 'reminder')],
    }).toEqual({ seoul: [seoulDigests, REMINDERS_PER_YEAR], newYork: [mondays, REMINDERS_PER_YEAR], london: [londonDigests, 0] });
    expect(h.notifier.delivered).toHaveLength(seoulDigests + mondays + londonDigests + 2 * REMINDERS_PER_YEAR);

    // Every London digest holds only summit articles, one story each.
    for (const post of h.notifier.to('discord:london')) {
      expect(post.reply.items).toHaveLength(1);
      expect(post.reply.items![0]!.title).toMatch(/^Summit talks/);
    }
    // A New York week (Mon–Sat articles of the week before, Sunday excluded) is 6 stories.
    expect(h.notifier.to('slack:newyork').filter((p) => /digest/.test(p.reply.title ?? ''))[10]!.reply.items).toHaveLength(6);
    // Each post went out at the channel's own local time, summer and winter.
    const hours = (channel: string) => new Set(postedAt.get(channel)!.map((p) => p.slice(-13, -8)));
    expect(hours('discord:seoul')).toEqual(new Set(['00:00'])); // 09:00 KST
    expect(hours('slack:newyork')).toEqual(new Set(['13:30', '12:30'])); // 08:30 EST / EDT
    expect(hours('discord:london')).toEqual(new Set(['07:00', '06:00'])); // 07:00 GMT / BST
    expect(postedAt.get('discord:seoul')).toContain('reminder:armistice-signed 2026-07-27T00:00:00.000Z');
    expect(postedAt.get('slack:newyork')).toContain('reminder:armistice-signed 2026-07-27T12:30:00.000Z');
    expect(elapsed).toBeLessThan(10_000);
  });
});
