import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { runSchedulerAsLeader, startScheduler } from '../../src/schedule/scheduler.ts';
import { makeHarness } from '../support/schedule-harness.ts';

describe('the scheduler clock', () => {
  it('GIVEN the bot was down WHEN it starts THEN it settles the missed posts, catches up at once, then ticks every minute until stopped', async () => {
    const h = await makeHarness();
    await h.subscribe('discord:1', { activeSince: '2026-07-20T00:00:00.000Z' });
    await h.logArticle({ id: 'feed:1', title: 'Envoys meet at Panmunjom', ingestedAt: '2026-07-25T10:00:00.000Z' });
    await h.schedule.state.set('clock', { lastTickAt: '2026-07-25T12:00:00.000Z' });

    const now = new Date('2026-07-27T00:30:00.000Z'); // 09:30 in Seoul
    const scheduler = await startScheduler(h.services, { clock: () => now });
    // 26 July's digest window closed while down: skipped and logged. 27 July's digest and reminder: sent late.
    expect((await h.schedule.ledger.get({ channel: 'discord:1', job: 'digest', period: '2026-07-26' }))?.status).toBe('skipped');
    expect(h.notifier.delivered.map((d) => d.reply.title)).toEqual(['News digest — 27 July 2026', '73 years ago today (27 July 1953)']);
    expect((await h.schedule.state.get('clock'))?.lastTickAt).toBe(now.toISOString());

    const task = [...cron.getTasks().values()].find((t) => t.name === 'schedule-tick');
    expect(task?.getPattern()).toBe('* * * * *');
    await scheduler.stop();
    expect([...cron.getTasks().values()].some((t) => t.name === 'schedule-tick')).toBe(false);
  });
});

describe('several bot processes sharing a store', () => {
  it('GIVEN two processes WHEN both start their scheduler THEN only the lease holder ticks', async () => {
    const first = await makeHarness();
    const second = first.restart();
    const a = runSchedulerAsLeader({ ...first.services, store: first.store });
    const b = runSchedulerAsLeader({ ...second.services, store: second.store });
    const ticking = () => [...cron.getTasks().values()].filter((t) => t.name === 'schedule-tick').length;
    for (let i = 0; i < 200 && ticking() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ticking()).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
    expect(ticking()).toBe(0);
  });
});
