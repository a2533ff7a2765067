import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';
import { freePort } from '../support/bot-process.ts';
import { makeTestServices } from '../support/services.ts';
import { LogCapture } from '../support/slack-double.ts';
import { startDiscord, type DiscordConnection } from '../../src/platform/discord/client.ts';
import { superviseDiscord } from '../../src/platform/discord/supervise.ts';
import { PlatformStates, type PlatformState } from '../../src/ops/platform-state.ts';
import { runLeaderDuties } from '../../src/leader-duties.ts';
import { runTick } from '../../src/schedule/run-tick.ts';
import type { RunningScheduler } from '../../src/schedule/scheduler.ts';
import type { Services } from '../../src/services.ts';

/**
 * Discord away and back, with the real discord.js against the double:
 * posts owed while it is unreachable go out once when it is back; a gateway
 * that closes (resumable or not) is reconnected and the next interaction is
 * answered; a token revoked mid-run stops every request at once.
 */

const FAST = { firstMs: 100, maxMs: 400 };
let double: DiscordDouble | undefined;
let services: Services | undefined;
let connection: DiscordConnection | undefined;
let leader: RunningScheduler | undefined;
let stop = new AbortController();

afterEach(async () => {
  stop.abort();
  stop = new AbortController();
  await leader?.stop();
  await connection?.stop();
  await services?.close();
  await double?.close();
  [double, services, connection, leader] = [undefined, undefined, undefined, undefined];
});

/** Listens on `port`, cutting every connection, until `count` have come; then stops listening. */
async function dropConnections(port: number, count: number): Promise<number> {
  let seen = 0;
  const server = createServer((socket) => {
    socket.destroy();
    if (++seen === count) server.close();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await once(server, 'close');
  return seen;
}

/** Resolves when `states` records `state` for the platform (now or later). */
function whenState(states: PlatformStates, platform: string, state: PlatformState): Promise<string> {
  if (states.get(platform)?.state === state) return Promise.resolve(states.get(platform)!.reason);
  return new Promise((resolve) => {
    const off = states.onChange((name, status) => {
      if (name !== platform || status.state !== state) return;
      off();
      resolve(status.reason);
    });
  });
}

describe('Discord unreachable at start', () => {
  it('GIVEN a reminder due while Discord is unreachable WHEN Discord comes back THEN it is posted once, without waiting for the next tick', async () => {
    const port = await freePort();
    const logs = new LogCapture();
    const applicationId = '900000000000000002';
    const base = await makeTestServices({ DISCORD_TOKEN: 'test-token.not-a-secret', DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    services = { ...base, log: logs.logger };
    const channel = 'discord:900000000000000100';
    await services.schedule.subscriptions.save({
      channel,
      digest: 'daily',
      time: '09:00',
      timeZone: 'Asia/Seoul',
      reminders: true,
      createdBy: 'test',
      createdAt: '2026-07-01T00:00:00.000Z',
      activeSince: '2026-07-01T00:00:00.000Z',
    });
    // Armistice Day, 09:00:30 in Seoul: the reminder is due.
    const at = new Date('2026-07-27T00:00:30.000Z');
    const states = new PlatformStates(['discord']);
    leader = runLeaderDuties(services, { platforms: states, clock: () => at });
    // The leader's first tick finds Discord not connected: the post stays owed.
    await logs.waitFor('post failed; retried at every tick while its window is open (logged again if the reason changes)');
    const key = { channel, job: 'reminder:armistice-signed', period: '2026' };
    expect(await services.schedule.ledger.get(key)).toBeUndefined();

    const connected = superviseDiscord(services, states, { policy: FAST, signal: stop.signal });
    const tried = await logs.waitFor(`cannot reach Discord at http://127.0.0.1:${port}/api: connection refused; next try in`);
    expect(tried.level).toBe(40);
    expect(states.get('discord')).toMatchObject({ state: 'connecting', reason: `cannot reach Discord at http://127.0.0.1:${port}/api: connection refused` });

    double = await DiscordDouble.start({ port, applicationId });
    connection = await connected;
    expect(states.get('discord')?.state).toBe('connected');
    const posted = await double.waitForRequest((r) => r.method === 'POST' && r.path === '/api/v10/channels/900000000000000100/messages', 10_000);
    expect(JSON.stringify(posted.body)).toContain('Armistice');
    await expect.poll(async () => (await services!.schedule.ledger.get(key))?.status).toBe('sent');

    // The next tick in the window finds it sent: no second post.
    await runTick(services, new Date(at.getTime() + 60_000));
    expect(double.requests.filter((r) => r.path === '/api/v10/channels/900000000000000100/messages')).toHaveLength(1);
  });
});

describe('Discord answering 5xx at start', () => {
  it('GIVEN GET /gateway/bot answers 502 (after discord.js\'s own retries) THEN unreachable, tried again, and connected when it answers', async () => {
    double = await DiscordDouble.start();
    for (let i = 0; i < 4; i++) double.failNext((r) => r.path === '/api/v10/gateway/bot', 502, { message: 'Bad Gateway' });
    const logs = new LogCapture();
    services = { ...(await makeTestServices(discordEnv(double))), log: logs.logger };
    const states = new PlatformStates(['discord']);
    connection = await superviseDiscord(services, states, { policy: FAST, signal: stop.signal });
    const tried = logs.lines.filter((l) => String(l.msg).startsWith('cannot reach Discord'));
    expect(tried).toHaveLength(1);
    expect(String(tried[0]!.msg)).toMatch(/^cannot reach Discord at http:\/\/127\.0\.0\.1:\d+\/api: Discord answered 502 Bad Gateway; next try in 0\.1 s$/);
    expect(double.requests.filter((r) => r.path === '/api/v10/gateway/bot')).toHaveLength(5);
    expect(states.get('discord')?.state).toBe('connected');
  });
});

describe('Discord gateway unreachable at start (REST answering)', () => {
  it('GIVEN the gateway refuses connections THEN one line says so while discord.js retries it; WHEN it answers THEN connected, with one client only', async () => {
    const gatewayPort = await freePort();
    double = await DiscordDouble.start({ gatewayUrl: `ws://127.0.0.1:${gatewayPort}/gateway` });
    const logs = new LogCapture();
    services = { ...(await makeTestServices(discordEnv(double))), log: logs.logger };
    const states = new PlatformStates(['discord']);
    const connected = superviseDiscord(services, states, { policy: FAST, signal: stop.signal });
    const reason = `cannot reach the Discord gateway at ws://127.0.0.1:${gatewayPort}/gateway/: network error; discord.js keeps trying`;
    await logs.waitFor(reason);
    expect(states.get('discord')).toMatchObject({ state: 'connecting', reason });

    const gateway = await DiscordDouble.start({ port: gatewayPort });
    try {
      connection = await connected;
      expect(states.get('discord')?.state).toBe('connected');
      const help = gateway.chatInput({ name: 'help' });
      expect((await double.waitForCallback(help, 10_000)).body.type).toBe(4);
      // One client: a client given up on and destroyed would still be reconnecting (and identifying) by itself.
      expect(gateway.identifies).toHaveLength(1);
      expect(logs.lines.filter((l) => l.msg === reason)).toHaveLength(1);
      expect(double.requests.filter((r) => r.path === '/api/v10/gateway/bot')).toHaveLength(1);
    } finally {
      await connection?.stop();
      connection = undefined;
      await gateway.close();
    }
  });
});

describe('Discord drops mid-run', () => {
  it('GIVEN a connected bot WHEN the gateway closes resumably, then not resumably THEN it reconnects each time (reconnecting meanwhile) and answers the next command', async () => {
    double = await DiscordDouble.start();
    services = await makeTestServices(discordEnv(double));
    const states = new PlatformStates(['discord']);
    connection = await startDiscord(services, { onState: (state, reason) => states.set('discord', state, reason) });
    expect(states.get('discord')?.state).toBe('connected');

    const gaps: string[] = [];
    states.onChange((_, status) => gaps.push(status.state));
    double.closeGateway(4000);
    await whenState(states, 'discord', 'reconnecting');
    await whenState(states, 'discord', 'connected');
    expect(double.resumes).toHaveLength(1);
    expect(double.identifies).toHaveLength(1);
    const afterResume = double.chatInput({ name: 'help' });
    expect((await double.waitForCallback(afterResume, 10_000)).body.type).toBe(4);

    double.closeGateway(4007);
    await whenState(states, 'discord', 'reconnecting');
    await whenState(states, 'discord', 'connected');
    expect(double.identifies).toHaveLength(2);
    const afterIdentify = double.chatInput({ name: 'help' });
    expect((await double.waitForCallback(afterIdentify, 10_000)).body.type).toBe(4);
    expect(gaps).toEqual(['reconnecting', 'connected', 'reconnecting', 'connected']);
  });

  it('GIVEN a connected bot WHEN Discord goes away for a while and comes back THEN one line for the gap, reconnecting meanwhile, and a new session answers', async () => {
    double = await DiscordDouble.start();
    const port = Number(new URL(double.apiUrl).port);
    const logs = new LogCapture();
    services = { ...(await makeTestServices(discordEnv(double))), log: logs.logger };
    const states = new PlatformStates(['discord']);
    connection = await startDiscord(services, { onState: (state, reason) => states.set('discord', state, reason) });

    await double.close();
    await whenState(states, 'discord', 'reconnecting');
    // Meanwhile the port drops every connection, as a broken proxy would; discord.js knocks again and again.
    const knocks = await dropConnections(port, 3);
    expect(knocks).toBe(3);
    double = await DiscordDouble.start({ port });
    await whenState(states, 'discord', 'connected');
    expect(logs.lines.filter((l) => l.msg === 'Discord gateway closed; reconnecting')).toHaveLength(1);
    const help = double.chatInput({ name: 'help' });
    expect((await double.waitForCallback(help, 10_000)).body.type).toBe(4);
  });

  it('GIVEN a connected bot WHEN its token is revoked (401 on REST) THEN Discord is marked refused and no further request is sent', async () => {
    double = await DiscordDouble.start({ token: 'test-token.not-a-secret' });
    services = await makeTestServices(discordEnv(double));
    const states = new PlatformStates(['discord']);
    connection = await startDiscord(services, { onState: (state, reason) => states.set('discord', state, reason) });

    double.revokeToken();
    const first = await services.notifier.post(`discord:${double.channelId}`, { title: 'One' });
    expect(first.ok).toBe(false);
    expect(await whenState(states, 'discord', 'refused')).toMatch(/^Discord refused DISCORD_TOKEN \(POST \/channels\/:id\/messages answered 401\): copy the bot token/);
    const sent = double.requests.length;

    const second = await services.notifier.post(`discord:${double.channelId}`, { title: 'Two' });
    expect(second).toMatchObject({ ok: false, permanent: false });
    expect(double.requests.length).toBe(sent);
    expect(connection.connected()).toBe(false);
  });
});
