import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/schedule/run-tick.ts';
import { recordNewArticles, runInstantDigests } from '../../src/schedule/instant.ts';
import { reminderEvents } from '../../src/schedule/reminder-events.ts';
import { readKnowledge } from '../../src/knowledge/load.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { EVENTS, makeHarness } from '../support/schedule-harness.ts';

const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');

describe('anniversary reminders', () => {
  it('GIVEN channels in Seoul and New York THEN each gets the armistice reminder at its own 09:00, with the years and the source', async () => {
    const h = await makeHarness();
    await h.subscribe('discord:seoul', { digest: 'off', timeZone: 'Asia/Seoul', activeSince: '2026-07-01T00:00:00.000Z' });
    await h.subscribe('slack:newyork', { digest: 'off', timeZone: 'America/New_York', activeSince: '2026-07-01T00:00:00.000Z' });

    const tick = async (iso: string) => (await runTick(h.services, new Date(iso))).posts.map((p) => p.channel);
    expect(await tick('2026-07-26T23:59:00Z')).toEqual([]);
    expect(await tick('2026-07-27T00:00:00Z')).toEqual(['discord:seoul']); // 09:00 KST
    expect(await tick('2026-07-27T12:59:00Z')).toEqual([]);
    expect(await tick('2026-07-27T13:00:00Z')).toEqual(['slack:newyork']); // 09:00 EDT
    expect(await tick('2026-07-27T14:00:00Z')).toEqual([]);

    for (const channel of ['discord:seoul', 'slack:newyork']) {
      const [reminder] = h.notifier.to(channel);
      expect(reminder!.text).toContain('73 years ago today (27 July 1953)');
      expect(reminder!.text).toContain('The Korean Armistice Agreement halts the fighting.');
      expect(reminder!.reply.sources?.[0]?.articleId).toBe('002_6b42de142ce55b91');
    }
  });

  it('GIVEN an event of 29 February THEN the reminder comes on 1 March in a common year', async () => {
    const leap = { id: 'leap-day-talks', date: { year: 2020, month: 2, day: 29 }, summary: 'Talks on a leap day.', sources: EVENTS[0]!.sources };
    const h = await makeHarness([leap]);
    await h.subscribe('discord:1', { digest: 'off', timeZone: 'UTC', activeSince: '2027-01-01T00:00:00.000Z' });
    for (const day of ['2027-02-28', '2027-03-01', '2027-03-02']) await runTick(h.services, new Date(`${day}T09:30:00Z`));
    expect(h.notifier.delivered.map((d) => d.reply.title)).toEqual(['7 years ago today (29 February 2020)']);
  });

  it('posts the anniversaries the knowledge base marks, each with its cited articles', async () => {
    const { articles } = await readCorpus(DATA_DIR);
    const events = reminderEvents((await readKnowledge(DATA_DIR)).events, createCorpus(articles));
    const dates = events.map((e) => `${e.date.year}-${e.date.month}-${e.date.day}`);
    expect(dates).toEqual(expect.arrayContaining(['1950-6-25', '1953-7-27', '2018-4-27', '2018-6-12', '2018-9-19', '2019-6-30']));
    for (const event of events) {
      expect(event.sources.length).toBeGreaterThan(0);
      expect(event.sources[0]!.title).not.toBe('');
    }
  });
});

describe('instant digests', () => {
  const feedArticle = (id: string, title: string, ingestedAt: string): Article => ({
    id,
    title,
    outlet: 'Yonhap',
    url: `https://news.example/${id}`,
    paragraphs: ['Body.'],
    origin: 'feed',
    feedId: 'yonhap',
    ingestedAt,
  });

  it('GIVEN a poll round with new articles from several feeds THEN an instant channel gets them in one message, once', async () => {
    const h = await makeHarness();
    await h.subscribe('discord:live', { digest: 'instant', reminders: false, activeSince: '2026-07-26T00:00:00.000Z' });
    await h.subscribe('discord:daily', { digest: 'daily', reminders: false, activeSince: '2026-07-26T00:00:00.000Z' });
    await recordNewArticles(h.services, [feedArticle('feed:a', 'Envoys meet at Panmunjom', '2026-07-26T10:00:00.000Z')]);
    await recordNewArticles(h.services, [feedArticle('feed:b', 'Remains of soldiers returned', '2026-07-26T10:00:01.000Z')]);
    const seed = { ...feedArticle('000_seed', 'A seed article', '2026-07-26T10:00:00.000Z'), origin: 'seed' as const };
    await recordNewArticles(h.services, [seed]);

    await runInstantDigests(h.services, new Date('2026-07-26T10:00:05.000Z'));
    expect(h.notifier.delivered.map((d) => [d.channel, d.reply.items!.map((i) => i.title)])).toEqual([
      ['discord:live', ['Envoys meet at Panmunjom', 'Remains of soldiers returned']],
    ]);
    // The next minute's tick and a second call find nothing new for it.
    await runTick(h.services, new Date('2026-07-26T10:01:00.000Z'));
    await runInstantDigests(h.services, new Date('2026-07-26T10:02:00.000Z'));
    expect(h.notifier.to('discord:live')).toHaveLength(1);
    // The daily channel gets both the next morning.
    await runTick(h.services, new Date('2026-07-27T00:00:00.000Z'));
    expect(h.notifier.to('discord:daily').map((d) => d.reply.items!.length)).toEqual([2]);
  });
});
