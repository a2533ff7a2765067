import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/schedule/run-tick.ts';
import { recoverAfterDowntime } from '../../src/schedule/scheduler.ts';
import { makeHarness, type Harness } from '../support/schedule-harness.ts';

/** 27 July 2026, 09:00 in Seoul: the armistice anniversary and the daily digest are due. */
const NINE_SEOUL = '2026-07-27T00:00:00.000Z';
const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);

async function channelsWithNews(h: Harness, count: number) {
  for (let i = 1; i <= count; i++) await h.subscribe(`discord:${i}`, { reminders: false, activeSince: '2026-07-20T00:00:00.000Z' });
  await h.logArticle({ id: 'feed:1', title: 'Envoys meet at Panmunjom', ingestedAt: '2026-07-26T10:00:00.000Z' });
}

describe('the posting ledger across restarts', () => {
  it('GIVEN a post claimed (pending) when the bot died WHEN it restarts THEN that post is not sent again and the rest goes out', async () => {
    const first = await makeHarness();
    await first.subscribe('discord:1', { activeSince: '2026-07-20T00:00:00.000Z' });
    await first.logArticle({ id: 'feed:1', title: 'Envoys meet at Panmunjom', ingestedAt: '2026-07-26T10:00:00.000Z' });
    // The process dies while the first post (the digest) is in flight: claimed, never confirmed.
    first.notifier.behaviour = () => 'hang';
    void runTick(first.services, new Date(NINE_SEOUL));
    await waitFor(() => first.notifier.attempts === 1);

    const second = first.restart();
    second.notifier.behaviour = () => ({ ok: true });
    const recovered = await recoverAfterDowntime(second.services, minutesAfter(NINE_SEOUL, 15));
    expect(recovered.unknown).toEqual(['discord:1|digest|2026-07-27#1']);
    expect(second.log.lines.some((l) => l.level === 'warn' && /never confirmed; not re-sent/.test(l.message))).toBe(true);

    const report = await runTick(second.services, minutesAfter(NINE_SEOUL, 15));
    expect(report.posts.map((p) => `${p.channel} ${p.job}`)).toEqual(['discord:1 reminder:armistice-signed']);
    await runTick(second.restart().services, minutesAfter(NINE_SEOUL, 30));
    expect(second.notifier.delivered.map((d) => d.reply.title)).toEqual(['73 years ago today (27 July 1953)']);
  });

  it('GIVEN a post pending in another live process WHEN a tick meets it within the grace period THEN it is left alone', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 1);
    await h.schedule.ledger.claim({ channel: 'discord:1', job: 'digest', period: '2026-07-27', part: 1 }, new Date(NINE_SEOUL));
    await h.schedule.cursors.set('discord:1', { through: '2026-07-20T00:00:00.000Z', open: { job: 'digest', period: '2026-07-27', upper: NINE_SEOUL } });
    await runTick(h.services, minutesAfter(NINE_SEOUL, 2));
    expect(h.notifier.delivered).toEqual([]);
    expect((await h.schedule.ledger.get({ channel: 'discord:1', job: 'digest', period: '2026-07-27', part: 1 }))?.status).toBe('pending');
  });

  it('GIVEN sent posts WHEN the bot restarts and ticks again in the same period THEN nothing is posted twice', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 3);
    await runTick(h.services, new Date(NINE_SEOUL));
    expect(h.notifier.delivered).toHaveLength(3);
    for (let minutes = 1; minutes < 24 * 60; minutes += 97) await runTick(h.restart().services, minutesAfter(NINE_SEOUL, minutes));
    expect(h.notifier.delivered).toHaveLength(3);
  });

  it('GIVEN a crash in the middle of a digest round WHEN a new process runs THEN it completes the rest with no duplicates', async () => {
    const first = await makeHarness();
    await channelsWithNews(first, 5);
    let posts = 0;
    first.notifier.behaviour = () => (++posts <= 2 ? { ok: true } : 'hang'); // dies on the third post
    void runTick(first.services, new Date(NINE_SEOUL));
    await waitFor(() => posts === 3);

    const second = first.restart();
    second.notifier.behaviour = () => ({ ok: true });
    await runTick(second.services, minutesAfter(NINE_SEOUL, 1));
    await runTick(second.services, minutesAfter(NINE_SEOUL, 2));
    const perChannel = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`discord:${i}`, second.notifier.to(`discord:${i}`).length]));
    // The third channel's digest was in flight when the process died: its fate is unknown, so it is not repeated.
    expect(perChannel).toEqual({ 'discord:1': 1, 'discord:2': 1, 'discord:3': 0, 'discord:4': 1, 'discord:5': 1 });
  });

  it('GIVEN a notifier that throws after N posts THEN the round stops, the next run completes it, nothing is duplicated', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 5);
    let posts = 0;
    h.notifier.behaviour = () => (++posts === 3 ? 'throw' : { ok: true });
    const stopped = await runTick(h.services, new Date(NINE_SEOUL));
    expect(stopped.posts.map((p) => p.outcome)).toEqual(['sent', 'sent', 'unknown']);
    expect(h.log.lines.some((l) => l.level === 'error' && /notifier threw/.test(l.message))).toBe(true);

    const resumed = await runTick(h.services, minutesAfter(NINE_SEOUL, 1));
    expect(resumed.posts.map((p) => `${p.channel} ${p.outcome}`)).toEqual(['discord:4 sent', 'discord:5 sent']);
    await runTick(h.services, minutesAfter(NINE_SEOUL, 2));
    expect(h.notifier.delivered.map((d) => d.channel)).toEqual(['discord:1', 'discord:2', 'discord:4', 'discord:5']);
  });

  it('GIVEN a digest in three messages and a crash after the first WHEN the round resumes THEN the unclaimed parts follow, nothing repeats', async () => {
    const first = await makeHarness();
    await first.subscribe('discord:1', { reminders: false, activeSince: '2026-07-20T00:00:00.000Z' });
    for (let i = 0; i < 25; i++) {
      await first.logArticle({ id: `feed:${i}`, title: `Story ${i} alpha${i} beta${i} gamma${i}`, ingestedAt: `2026-07-26T10:${String(i).padStart(2, '0')}:00.000Z` });
    }
    let posts = 0;
    first.notifier.behaviour = () => (++posts === 1 ? { ok: true } : 'hang');
    void runTick(first.services, new Date(NINE_SEOUL));
    await waitFor(() => posts === 2);

    // Articles arriving later do not change the resumed digest: it is composed up to its due time.
    await first.logArticle({ id: 'feed:late', title: 'A late story', ingestedAt: '2026-07-27T00:05:00.000Z' });
    const second = first.restart();
    second.notifier.behaviour = () => ({ ok: true });
    await recoverAfterDowntime(second.services, minutesAfter(NINE_SEOUL, 20));
    await runTick(second.services, minutesAfter(NINE_SEOUL, 20));
    expect(second.notifier.delivered.map((d) => d.reply.title)).toEqual(['News digest — 27 July 2026 (1/3)', 'News digest — 27 July 2026 (3/3)']);
    // The next morning's digest starts after the 27 July one: only the late story.
    await runTick(second.services, new Date('2026-07-28T00:00:00.000Z'));
    expect(second.notifier.delivered.at(-1)!.reply.items!.map((i) => i.title)).toEqual(['A late story']);
  });
});

describe('channels the bot cannot post to', () => {
  it('GIVEN a permanent failure THEN the subscription is paused with the reason and never retried', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 2);
    let attempts = 0;
    h.notifier.behaviour = (channel) => {
      if (channel !== 'discord:2') return { ok: true };
      attempts += 1;
      return { ok: false, permanent: true, reason: 'the bot was removed from this channel' };
    };
    const report = await runTick(h.services, new Date(NINE_SEOUL));
    expect(report.paused).toEqual([{ channel: 'discord:2', reason: 'the bot was removed from this channel' }]);
    expect((await h.schedule.subscriptions.get('discord:2'))?.paused?.reason).toBe('the bot was removed from this channel');
    for (let day = 0; day < 5; day++) await runTick(h.services, new Date(Date.parse(NINE_SEOUL) + day * 86_400_000 + 60_000));
    expect(attempts).toBe(1);
    expect(h.notifier.to('discord:1')).toHaveLength(1);
  });

  it('GIVEN a transient failure THEN the post is retried at the next tick and made once', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 1);
    let attempts = 0;
    h.notifier.behaviour = () => (++attempts === 1 ? { ok: false, permanent: false, reason: 'rate limited' } : { ok: true });
    await runTick(h.services, new Date(NINE_SEOUL));
    expect(h.notifier.delivered).toHaveLength(0);
    await runTick(h.services, minutesAfter(NINE_SEOUL, 1));
    await runTick(h.services, minutesAfter(NINE_SEOUL, 2));
    expect(h.notifier.delivered).toHaveLength(1);
  });

  it('GIVEN a platform away for many ticks THEN each held-back post is logged once (and again when the reason changes), and once when it is made', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 2);
    let reason: string | undefined = 'Discord is not connected';
    h.notifier.behaviour = () => (reason ? { ok: false, permanent: false, reason } : { ok: true });
    for (let minute = 0; minute < 5; minute++) await runTick(h.services, minutesAfter(NINE_SEOUL, minute));
    reason = 'rate limited';
    await runTick(h.services, minutesAfter(NINE_SEOUL, 5));
    reason = undefined;
    await runTick(h.services, minutesAfter(NINE_SEOUL, 6));
    await runTick(h.services, minutesAfter(NINE_SEOUL, 7));

    expect(h.notifier.delivered).toHaveLength(2);
    const held = h.log.lines.filter((l) => l.message.startsWith('post failed'));
    expect(held.map((l) => [(l.fields as { channel: string }).channel, (l.fields as { reason: string }).reason])).toEqual([
      ['discord:1', 'Discord is not connected'],
      ['discord:2', 'Discord is not connected'],
      ['discord:1', 'rate limited'],
      ['discord:2', 'rate limited'],
    ]);
    expect(h.log.lines.filter((l) => l.message === 'a post held back was made').map((l) => l.fields)).toEqual([
      expect.objectContaining({ channel: 'discord:1', heldBackSince: new Date(NINE_SEOUL).toISOString() }),
      expect.objectContaining({ channel: 'discord:2', heldBackSince: new Date(NINE_SEOUL).toISOString() }),
    ]);
  });
});

describe('catching up after downtime', () => {
  it('GIVEN the bot was down at 09:00 WHEN it starts at 11:00 the same day THEN the digest and the reminder go out late', async () => {
    const h = await makeHarness();
    await h.subscribe('discord:1', { activeSince: '2026-07-20T00:00:00.000Z' });
    await h.logArticle({ id: 'feed:1', title: 'Envoys meet at Panmunjom', ingestedAt: '2026-07-26T10:00:00.000Z' });
    await h.schedule.state.set('clock', { lastTickAt: '2026-07-26T22:00:00.000Z' });
    const restarted = h.restart();
    const recovery = await recoverAfterDowntime(restarted.services, new Date('2026-07-27T02:00:00.000Z'));
    expect(recovery.skipped).toEqual([]);
    await runTick(restarted.services, new Date('2026-07-27T02:00:00.000Z'));
    expect(h.notifier.delivered.map((d) => d.reply.title)).toEqual(['News digest — 27 July 2026', '73 years ago today (27 July 1953)']);
  });

  it('GIVEN the bot was down for two days THEN the closed windows are skipped and logged, and the next digest carries their articles', async () => {
    const h = await makeHarness();
    await h.subscribe('discord:1', { activeSince: '2026-07-20T00:00:00.000Z' });
    await h.logArticle({ id: 'feed:1', title: 'Envoys meet at Panmunjom', ingestedAt: '2026-07-26T10:00:00.000Z' });
    await h.logArticle({ id: 'feed:2', title: 'Remains of soldiers returned', ingestedAt: '2026-07-27T10:00:00.000Z' });
    await h.schedule.state.set('clock', { lastTickAt: '2026-07-26T22:00:00.000Z' });
    const restarted = h.restart();
    const at = new Date('2026-07-28T03:00:00.000Z'); // 12:00 in Seoul on 28 July
    const recovery = await recoverAfterDowntime(restarted.services, at);
    expect(recovery.skipped).toEqual([
      { channel: 'discord:1', job: 'digest', period: '2026-07-27' },
      { channel: 'discord:1', job: 'reminder:armistice-signed', period: '2026' },
    ]);
    expect(restarted.log.lines.filter((l) => /skipped/.test(l.message))).toHaveLength(2);
    await runTick(restarted.services, at);
    expect(h.notifier.delivered).toHaveLength(1);
    expect(h.notifier.delivered[0]!.reply.items!.map((i) => i.title)).toEqual(['Envoys meet at Panmunjom', 'Remains of soldiers returned']);
  });
});

describe('dry runs', () => {
  it('report what is due without sending or recording anything', async () => {
    const h = await makeHarness();
    await channelsWithNews(h, 2);
    const dry = await runTick(h.services, new Date(NINE_SEOUL), { dryRun: true });
    expect(dry.posts.map((p) => `${p.channel} ${p.outcome}`)).toEqual(['discord:1 would-send', 'discord:2 would-send']);
    expect(h.notifier.delivered).toEqual([]);
    await runTick(h.services, new Date(NINE_SEOUL));
    expect(h.notifier.delivered).toHaveLength(2);
  });
});

/** Waits until `done()` holds, polling the event loop (no fixed sleep). */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('condition never held');
}

describe('posting across daylight-saving changes', () => {
  async function postsOverNights(time: string, timeZone: string, fromIso: string, days: number) {
    const h = await makeHarness([]);
    await h.subscribe('slack:C1', { time, timeZone, reminders: false, activeSince: fromIso });
    const from = Date.parse(fromIso);
    for (let d = 0; d < days; d++) {
      await h.logArticle({ id: `feed:${d}`, title: `Day ${d} news alpha${d} beta${d}`, ingestedAt: new Date(from + d * 86_400_000 + 3_600_000).toISOString() });
    }
    const postedAt: string[] = [];
    for (let t = from; t < from + days * 86_400_000; t += 15 * 60_000) {
      const report = await runTick(h.services, new Date(t));
      postedAt.push(...report.posts.map((p) => `${p.period} ${report.at.toISOString()}`));
    }
    return postedAt;
  }

  it('New York: 02:30 on the spring-forward night posts once at 03:30 EDT; 01:30 on the fall-back night posts once', async () => {
    expect(await postsOverNights('02:30', 'America/New_York', '2026-03-07T12:00:00.000Z', 3)).toEqual([
      '2026-03-08 2026-03-08T07:30:00.000Z', // 03:30 EDT: 02:30 does not exist that night
      '2026-03-09 2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10 2026-03-10T06:30:00.000Z',
    ]);
    expect(await postsOverNights('01:30', 'America/New_York', '2026-10-31T12:00:00.000Z', 3)).toEqual([
      '2026-11-01 2026-11-01T05:30:00.000Z', // the first 01:30 (EDT); the second (EST, 06:30Z) posts nothing
      '2026-11-02 2026-11-02T06:30:00.000Z', // 01:30 EST
      '2026-11-03 2026-11-03T06:30:00.000Z',
    ]);
  });

  it('London: 01:30 on the spring-forward night posts at 02:30 BST; on the fall-back night, once', async () => {
    expect(await postsOverNights('01:30', 'Europe/London', '2026-03-28T12:00:00.000Z', 2)).toEqual([
      '2026-03-29 2026-03-29T01:30:00.000Z', // 02:30 BST: 01:30 does not exist that night
      '2026-03-30 2026-03-30T00:30:00.000Z', // 01:30 BST
    ]);
    expect(await postsOverNights('01:30', 'Europe/London', '2026-10-24T12:00:00.000Z', 2)).toEqual([
      '2026-10-25 2026-10-25T00:30:00.000Z', // the first 01:30 (BST); not again at 01:30 GMT
      '2026-10-26 2026-10-26T01:30:00.000Z', // 01:30 GMT
    ]);
  });
});
