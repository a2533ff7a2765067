import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { runTick } from '../../src/schedule/run-tick.ts';
import type { Services } from '../../src/services.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { makeTestServices } from '../support/services.ts';

const NOW = new Date('2026-07-20T03:00:00.000Z');
const admin = (channel: string, guildId = 'G1'): Caller => ({
  user: { id: 'U-admin', isAdmin: true },
  channel: { id: channel, platform: 'discord', guildId },
});
const member = (channel: string): Caller => ({ user: { id: 'U-member', isAdmin: false }, channel: { id: channel, platform: 'discord', guildId: 'G1' } });

let services: Services;
beforeEach(async () => {
  services = await makeTestServices();
});
afterEach(async () => {
  await services.close();
});

const ask = (line: string, caller: Caller, now = NOW) => dispatchLine(services, line, caller, now);
const field = (reply: Reply, name: string) => reply.fields?.find((f) => f.name === name)?.value;

describe('/subscribe', () => {
  it('GIVEN no options THEN the channel gets a daily digest at 09:00 and reminders, in the default time zone', async () => {
    const reply = await ask('/subscribe', admin('100'));
    expect(reply.title).toBe('This channel is subscribed');
    expect(field(reply, 'Digest')).toBe('daily at 09:00 (Asia/Seoul)');
    expect(field(reply, 'Reminders')).toBe('on anniversaries at 09:00 (Asia/Seoul)');
    expect(field(reply, 'Next digest')).toBe('Tuesday 21 July 2026, 09:00 (Asia/Seoul)');
    expect(await services.schedule.subscriptions.get('discord:100')).toMatchObject({ digest: 'daily', time: '09:00', timeZone: 'Asia/Seoul', reminders: true, guildId: 'G1' });
  });

  it('refuses an impossible time or an unknown time zone, with examples, to the asker only', async () => {
    for (const [line, code, example] of [
      ['/subscribe time:25:00', 'BAD_TIME', 'time:09:00'],
      ['/subscribe time:9h', 'BAD_TIME', 'time:18:30'],
      ['/subscribe timezone:Mars/Base', 'BAD_TIMEZONE', 'timezone:America/New_York'],
    ] as const) {
      const reply = await ask(line, admin('100'));
      expect(reply).toMatchObject({ errorCode: code, ephemeral: true });
      expect(renderPlainText(reply)).toContain(example);
    }
    expect(await services.schedule.subscriptions.get('discord:100')).toBeUndefined();
  });

  it('is for channel admins only', async () => {
    expect((await ask('/subscribe', member('100'))).errorCode).toBe('NOT_ADMIN');
    expect((await ask('/unsubscribe', member('100'))).errorCode).toBe('NOT_ADMIN');
  });

  it('GIVEN a subscription WHEN /subscribe runs again THEN only the given settings change', async () => {
    await ask('/subscribe digest:weekly time:07:30 timezone:Europe/London about:summit', admin('100'));
    const reply = await ask('/subscribe reminders:off', admin('100'));
    expect(reply.title).toBe('Subscription updated');
    expect(await services.schedule.subscriptions.get('discord:100')).toMatchObject({
      digest: 'weekly',
      time: '07:30',
      timeZone: 'Europe/London',
      about: 'summit',
      reminders: false,
    });
    await ask('/subscribe about:none', admin('100'));
    expect((await services.schedule.subscriptions.get('discord:100'))?.about).toBeUndefined();
  });

  it('reads free text: /subscribe weekly 08:30 America/New_York peace treaty', async () => {
    await ask('/subscribe weekly 08:30 America/New_York peace treaty', admin('100'));
    expect(await services.schedule.subscriptions.get('discord:100')).toMatchObject({ digest: 'weekly', time: '08:30', timeZone: 'America/New_York', about: 'peace treaty' });
  });
});

describe('/unsubscribe', () => {
  it('stops everything in the channel', async () => {
    await ask('/subscribe', admin('100'));
    expect((await ask('/unsubscribe', admin('100'))).title).toBe('Unsubscribed');
    expect((await ask('/unsubscribe', admin('100'))).errorCode).toBe('NOT_SUBSCRIBED');
    const report = await runTick(services, new Date('2026-07-27T00:00:00.000Z'));
    expect(report.posts).toEqual([]);
  });
});

describe('/subscriptions', () => {
  it('shows this channel’s settings to anyone, and every channel of the server to admins', async () => {
    await ask('/subscribe', admin('100'));
    await ask('/subscribe digest:instant', admin('200'));
    await ask('/subscribe', admin('900', 'G2'));
    expect(field(await ask('/subscriptions', member('100')), 'Digest')).toBe('daily at 09:00 (Asia/Seoul)');
    expect((await ask('/subscriptions', member('300'))).title).toBe('This channel has no subscription');

    const all = await ask('/subscriptions all:true', admin('100'));
    expect(all.title).toBe('2 subscribed channels');
    expect(all.items?.map((i) => i.title)).toEqual(['discord:100', 'discord:200']);
    expect((await ask('/subscriptions all:true', member('100'))).errorCode).toBe('NOT_ADMIN');
  });

  it('GIVEN the bot lost access to a channel THEN its subscription shows as paused with the reason and how to resume', async () => {
    await ask('/subscribe digest:off', admin('100'));
    services.notifier.register({
      platform: 'discord',
      post: async () => ({ ok: false, permanent: true, reason: 'Discord answered 403 Missing Permissions' }),
    });
    const report = await runTick(services, new Date('2026-07-27T00:00:00.000Z'));
    expect(report.paused).toEqual([{ channel: 'discord:100', reason: 'Discord answered 403 Missing Permissions' }]);

    const shown = await ask('/subscriptions', member('100'));
    expect(shown.title).toBe('This channel’s subscription is paused');
    expect(field(shown, 'Paused')).toContain('Discord answered 403 Missing Permissions');
    expect(field(shown, 'Paused')).toContain('resume it by running /subscribe');
    expect((await ask('/subscriptions all:true', admin('100'))).items?.[0]).toMatchObject({ note: 'paused' });

    const resumed = await ask('/subscribe', admin('100'), new Date('2026-07-27T05:00:00.000Z'));
    expect(resumed.title).toBe('Subscription resumed');
    expect((await services.schedule.subscriptions.get('discord:100'))?.paused).toBeUndefined();
  });
});
