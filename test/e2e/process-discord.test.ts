import { describe, expect, it } from 'vitest';
import { freePort } from '../support/bot-process.ts';
import { processRun } from '../support/process-run.ts';
import { expectHealthyThenCleanStop } from '../support/ops-checks.ts';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';

/**
 * The real `armistice start` process on Discord (the test double) with a
 * SQLite file, as an operator runs it: it connects, answers a slash command,
 * reports healthy and ready on PORT with the command counted in /metrics,
 * and on SIGTERM releases the scheduler lease and exits 0.
 */

const run = processRun('armistice-process-discord-');

describe('armistice start on Discord, as a process', () => {
  it('answers, reports healthy and ready, counts the command, and on SIGTERM releases the lease and exits 0', async () => {
    const double = run.own(await DiscordDouble.start());
    const port = await freePort();
    const storeUrl = run.storeUrl('bot.sqlite');
    const bot = run.start({ ...discordEnv(double), STORE_URL: storeUrl, PORT: String(port) });
    await double.whenReady();
    await bot.waitForLog('connected to Discord');

    const sent = double.chatInput({ name: 'help' });
    const callback = await double.waitForCallback(sent, 10_000);
    expect(callback.method).toBe('POST');
    expect(callback.body.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE: answered, not deferred
    expect(JSON.stringify(callback.body.data)).toContain('/timeline');

    const base = `http://127.0.0.1:${port}`;
    await expectHealthyThenCleanStop(bot, base, storeUrl, { name: 'discord', ok: true, state: 'connected', detail: 'gateway connected' });
  });
});
