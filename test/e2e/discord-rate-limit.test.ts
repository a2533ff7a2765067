import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST } from 'discord.js';
import { createLogger } from '../../src/log.ts';
import { createDiscordNotifier } from '../../src/platform/discord/notifier.ts';
import { DiscordDouble } from '../support/discord-double.ts';

/**
 * Discord's global limit (here 50 requests/s, enforced by the double with
 * its headers and 429s): posts to many channels all arrive, each once,
 * because discord.js's REST queue paces them and waits out any 429.
 * bench/fanout.ts measures the rate and the 429s at 1,000 channels.
 */

const TOKEN = 'rate-limit-test-token';
let double: DiscordDouble;

beforeAll(async () => {
  double = await DiscordDouble.start({ token: TOKEN, rateLimit: { perSecond: 50 } });
});
afterAll(async () => {
  await double?.close();
});

describe('Discord posts under the global rate limit', () => {
  it('GIVEN 120 posts at once THEN discord.js paces them: every channel gets its message exactly once', async () => {
    const notifier = createDiscordNotifier(new REST({ api: double.apiUrl }).setToken(TOKEN), createLogger('silent'));
    const channels = Array.from({ length: 120 }, (_, i) => String(900000000000300000n + BigInt(i)));
    const started = performance.now();
    const results = await Promise.all(channels.map((channel) => notifier.post(channel, { title: 'Daily digest', text: ['Nothing new.'] })));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // 120 posts at 50 a second need at least two full windows.
    expect(performance.now() - started).toBeGreaterThan(2000);
    // A post refused with 429 (possible when this busy test process delays the
    // double's clock; bench/fanout.ts counts them with the double in its own
    // thread) is waited out and sent again: none lost, none doubled.
    const posted = double.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(new Set(posted.map((r) => r.path)).size).toBe(120);
    expect(posted.length - double.globalLimitHits).toBe(120);
  });

  it('GIVEN a client that ignores the limit THEN the double answers 429 with Retry-After and X-RateLimit-Global', async () => {
    const burst = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${double.apiUrl}/v10/channels/${900000000000400000n + BigInt(i)}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'x' }),
        }),
      ),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(50);
    const refused = burst.find((r) => r.status === 429)!;
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('50');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await refused.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
    const admitted = burst.find((r) => r.status === 200)!;
    expect(Number(admitted.headers.get('x-ratelimit-reset-after'))).toBeLessThanOrEqual(1);
    expect(admitted.headers.get('x-ratelimit-bucket')).toBe('double-global');
  });
});
