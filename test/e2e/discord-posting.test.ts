import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { DiscordDouble } from '../support/discord-double.ts';
import { startDiscordE2e, type DiscordE2e } from '../support/discord-e2e.ts';
import { createLogger } from '../../src/log.ts';
import { runTick } from '../../src/schedule/run-tick.ts';
import type { Services } from '../../src/services.ts';

/** Digests and reminders posted through the Discord notifier, against the double's channels. */

const OPEN = '900000000000000200';
const FORBIDDEN = '900000000000000201';
const DELETED = '900000000000000202';
const BUSY = '900000000000000203';

let e2e: DiscordE2e;
let double: DiscordDouble;
let services: Services;
let logLines: Array<Record<string, unknown>>;

/** Channels that refuse, are gone, or are busy once; warnings logged as JSON into logLines. */
function withChannelsAndLog(base: Services, double: DiscordDouble): Services {
  double.setChannel(FORBIDDEN, { kind: 'status', status: 403, code: 50013, message: 'Missing Permissions' });
  double.setChannel(DELETED, { kind: 'status', status: 404, code: 10003, message: 'Unknown Channel' });
  double.setChannel(BUSY, { kind: 'rate-limited', retryAfterSeconds: 0.2, times: 1 });
  logLines = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  return { ...base, log: createLogger('warn', sink) };
}

beforeEach(async () => {
  e2e = await startDiscordE2e({ setup: withChannelsAndLog });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

const postsTo = (channel: string) => double.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channel}/messages`);

describe('Discord: posting digests and reminders', () => {
  it('GIVEN a feed item titled "@everyone …" WHEN a digest is posted THEN its text is escaped and it pings nobody', async () => {
    const result = await services.notifier.post(`discord:${OPEN}`, {
      title: 'News digest',
      items: [{ title: '@everyone <@&123> read **this**', meta: 'Test Wire · 2026-01-02', sourceIds: ['feed:x'] }],
      sources: [{ articleId: 'feed:x', title: '@here win', outlet: 'Test Wire', date: '2026-01-02', url: 'https://news.example/x' }],
      ephemeral: true,
      paging: { page: 1, pages: 2, commandLine: '/news' },
    });
    expect(result).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+$/) });
    expect(postsTo(OPEN).map((r) => r.body)).toEqual([
      {
        embeds: [
          {
            title: 'News digest',
            url: 'https://news.example/x',
            description: '**@\u200beveryone \\<@&123\\> read \\*\\*this\\*\\*** [1]\nTest Wire · 2026-01-02',
            color: 0x3b6ea5,
            fields: [{ name: 'Sources', value: '[1] [@\u200bhere win](https://news.example/x) — Test Wire, 2026-01-02' }],
            footer: { text: 'Test Wire, 2026-01-02' },
          },
        ],
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('GIVEN a subscribed channel the bot may not post in WHEN the Armistice Day reminder is due THEN the post gets 403 and the subscription is paused', async () => {
    await services.schedule.subscriptions.save({
      channel: `discord:${FORBIDDEN}`,
      guildId: double.guildId,
      digest: 'off',
      time: '09:00',
      timeZone: 'Asia/Seoul',
      reminders: true,
      createdBy: 'discord:900000000000000020',
      createdAt: '2026-01-01T00:00:00.000Z',
      activeSince: '2026-01-01T00:00:00.000Z',
    });
    const scheduleServices = { schedule: services.schedule, notifier: services.notifier, log: services.log };
    const report = await runTick(scheduleServices, new Date('2026-07-27T00:00:00Z'));
    expect(report.paused).toEqual([{ channel: `discord:${FORBIDDEN}`, reason: expect.stringContaining('403') }]);
    const subscription = await services.schedule.subscriptions.get(`discord:${FORBIDDEN}`);
    expect(subscription?.paused?.reason).toBe('Discord answered 403 Missing Permissions (code 50013): the bot may not post in that channel');
    // Paused: the next tick does not knock again (invalid requests count toward Discord's ban threshold).
    await runTick(scheduleServices, new Date('2026-07-27T00:01:00Z'));
    expect(postsTo(FORBIDDEN)).toHaveLength(1);
  });

  it('GIVEN a deleted channel WHEN posting THEN the result is permanent with the reason', async () => {
    expect(await services.notifier.post(`discord:${DELETED}`, { title: 'x' })).toEqual({
      ok: false,
      permanent: true,
      reason: 'Discord answered 404 Unknown Channel (code 10003): the channel no longer exists',
    });
  });

  it('GIVEN a channel answering 429 WHEN posting THEN discord.js waits out Retry-After, the post goes through and the wait is logged', async () => {
    const result = await services.notifier.post(`discord:${BUSY}`, { title: 'Reminder' });
    expect(result.ok).toBe(true);
    const [limited, accepted] = postsTo(BUSY);
    expect(postsTo(BUSY)).toHaveLength(2);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(200);
    const waits = logLines.filter((l) => l.msg === 'Discord rate limit: waiting before retrying');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]!.waitMs).toBeGreaterThanOrEqual(200);
  });

  it('GIVEN an address that is no Discord channel id WHEN posting THEN it fails permanently without any request', async () => {
    expect(await services.notifier.post('discord:general', { title: 'x' })).toMatchObject({ ok: false, permanent: true });
    expect(double.requests.filter((r) => r.path.includes('/channels/'))).toHaveLength(0);
  });
});
