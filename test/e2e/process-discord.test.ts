import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { freePort, startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';

/**
 * The real `armistice start` process on Discord (the test double) with a
 * SQLite file, as an operator runs it: it connects, answers a slash command,
 * reports healthy and ready on PORT with the command counted in /metrics,
 * and on SIGTERM releases the scheduler lease and exits 0.
 */

const scratch = mkdtempSync(join(tmpdir(), 'armistice-process-discord-'));
let double: DiscordDouble | undefined;
let bot: BotProcess | undefined;

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await bot?.exited;
  await double?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('armistice start on Discord, as a process', () => {
  it('answers, reports healthy and ready, counts the command, and on SIGTERM releases the lease and exits 0', async () => {
    double = await DiscordDouble.start();
    const port = await freePort();
    const storeUrl = `sqlite://${join(scratch, 'bot.sqlite')}`;
    bot = startBotProcess({ ...discordEnv(double), STORE_URL: storeUrl, PORT: String(port) });
    await double.whenReady();
    await bot.waitForLog('armistice-bot is running');

    const sent = double.chatInput({ name: 'help' });
    const callback = await double.waitForCallback(sent, 10_000);
    expect(callback.method).toBe('POST');
    expect(callback.body.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE: answered, not deferred
    expect(JSON.stringify(callback.body.data)).toContain('/timeline');

    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      checks: [
        { name: 'store', ok: true, detail: 'sqlite' },
        { name: 'discord', ok: true, detail: 'gateway connected' },
      ],
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^armistice_commands_total\{command="\/help",result="ok"\} 1$/m);

    // This process is the only one on the store, so it leads (polls and posts).
    await bot.waitForLog('lease: elected leader');
    const store = await openStore(storeUrl);
    try {
      expect((await store.leases.read('schedule'))?.holder).toMatch(/:\d+:/);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toEqual({ code: 0, signal: null });
      expect(await store.leases.read('schedule')).toBeUndefined();
    } finally {
      await store.close();
    }
    expect(bot.lines.filter((l) => l.msg === 'shutdown: step failed (continuing with the next)')).toEqual([]);
  });
});
