import { describe, expect, it } from 'vitest';
import { DiscordAPIError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import { DEFAULT_BACKOFF, describeDelay, networkFailure, PlatformRefusedError, retryDelayMs, retryUntilConnected } from '../../src/ops/retry-backoff.ts';
import { PlatformStates } from '../../src/ops/platform-state.ts';
import { classifyDiscordFailure } from '../../src/platform/discord/supervise.ts';

describe('retry backoff', () => {
  it('GIVEN the default policy THEN 1 s doubling to 5 min, with at most ±20 % jitter and never above the cap', () => {
    const middle = { ...DEFAULT_BACKOFF, random: () => 0.5 };
    expect([1, 2, 3, 4, 5, 9, 10, 30].map((n) => retryDelayMs(n, middle))).toEqual([1000, 2000, 4000, 8000, 16000, 256000, 300000, 300000]);
    expect(retryDelayMs(4, { ...DEFAULT_BACKOFF, random: () => 0 })).toBe(6400);
    expect(retryDelayMs(4, { ...DEFAULT_BACKOFF, random: () => 0.999999 })).toBe(9600);
    expect(retryDelayMs(12, { ...DEFAULT_BACKOFF, random: () => 0.999999 })).toBe(300000);
  });

  it('GIVEN waits THEN they read as an operator says them', () => {
    expect([200, 1000, 7260, 16000, 300000].map(describeDelay)).toEqual(['0.2 s', '1 s', '7.3 s', '16 s', '5 min']);
  });

  it('GIVEN network errors as Node, undici and Slack wrap them THEN a few words say which', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(networkFailure(new TypeError('fetch failed', { cause: refused }))).toBe('connection refused');
    expect(networkFailure({ code: 'slack_webapi_request_error', original: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) })).toBe('host name not found (DNS)');
    expect(networkFailure(new AggregateError([Object.assign(new Error('t'), { code: 'ETIMEDOUT' })]))).toBe('timed out');
    expect(networkFailure(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('timed out');
    expect(networkFailure(new Error('something else'))).toBeUndefined();
  });

  it('GIVEN attempts unreachable twice then connected THEN two waits, each announced, and the result', async () => {
    const told: Array<[string, number, number]> = [];
    let tries = 0;
    const result = await retryUntilConnected({
      platform: 'Discord',
      attempt: async () => {
        if (++tries < 3) throw new Error('down');
        return 'connected';
      },
      classify: () => ({ kind: 'unreachable', reason: 'connection refused' }),
      policy: { firstMs: 5, maxMs: 8, random: () => 0.5 },
      onUnreachable: (reason, delayMs, failures) => told.push([reason, delayMs, failures]),
    });
    expect(result).toBe('connected');
    expect(told).toEqual([
      ['connection refused', 5, 1],
      ['connection refused', 8, 2],
    ]);
  });

  it('GIVEN a refusal THEN no second attempt: PlatformRefusedError with the how-to-fix reason', async () => {
    let tries = 0;
    const refused = retryUntilConnected({
      platform: 'Slack',
      attempt: async () => {
        tries++;
        throw new Error('invalid_auth');
      },
      classify: () => ({ kind: 'refused', reason: 'Slack refused SLACK_BOT_TOKEN' }),
      onUnreachable: () => {},
    });
    await expect(refused).rejects.toThrow(PlatformRefusedError);
    await expect(refused).rejects.toThrow('Slack refused SLACK_BOT_TOKEN');
    expect(tries).toBe(1);
  });

  it('GIVEN shutdown during a wait THEN the wait ends at once and nothing is returned', async () => {
    const stop = new AbortController();
    const pending = retryUntilConnected({
      platform: 'Discord',
      attempt: async () => {
        throw new Error('down');
      },
      classify: () => ({ kind: 'unreachable', reason: 'connection refused' }),
      policy: { firstMs: 60_000, maxMs: 60_000 },
      onUnreachable: () => stop.abort(),
      signal: stop.signal,
    });
    expect(await pending).toBeUndefined();
  });
});

describe('Discord failures told apart', () => {
  it('GIVEN 401, a 4004 close or 403 THEN refused; 5xx, network and others THEN unreachable', () => {
    expect(classifyDiscordFailure(Object.assign(new Error('An invalid token was provided.'), { code: DiscordjsErrorCodes.TokenInvalid }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^Discord refused DISCORD_TOKEN \(401 Unauthorized\)/) });
    expect(classifyDiscordFailure(new Error('Authentication failed')).kind).toBe('refused');
    expect(classifyDiscordFailure(new Error('Used disallowed intents'))).toMatchObject({ kind: 'refused', reason: expect.stringContaining('Privileged Gateway Intents') });
    const request = { body: undefined, files: undefined };
    expect(classifyDiscordFailure(new DiscordAPIError({ message: 'Missing Access', code: 50001 }, 50001, 403, 'GET', '/x', request)).kind).toBe('refused');
    expect(classifyDiscordFailure(new HTTPError(502, 'Bad Gateway', 'GET', '/x', request))).toEqual({ kind: 'unreachable', reason: 'Discord answered 502 Bad Gateway' });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(classifyDiscordFailure(refused)).toEqual({ kind: 'unreachable', reason: 'connection refused' });
  });
});

describe('platform states', () => {
  it('GIVEN a refused platform THEN it stays refused, and all refused only when every platform is', async () => {
    const states = new PlatformStates(['discord', 'slack'], () => new Date('2026-07-27T00:00:00Z'));
    expect(await states.check('discord')()).toEqual({ name: 'discord', ok: false, state: 'connecting', detail: 'starting', since: '2026-07-27T00:00:00.000Z' });
    states.set('discord', 'refused', 'Discord refused DISCORD_TOKEN');
    states.set('discord', 'connected', 'gateway connected');
    expect(states.get('discord')?.state).toBe('refused');
    expect(states.allRefused()).toBe(false);
    states.set('slack', 'refused', 'Slack refused SLACK_BOT_TOKEN');
    expect(states.allRefused()).toBe(true);
  });
});
