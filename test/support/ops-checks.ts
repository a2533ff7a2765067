import { expect } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { BotProcess } from './bot-process.ts';

/**
 * What every running bot process must show an operator: alive on /healthz,
 * ready on /readyz with the given platform check, the answered /help counted
 * on /metrics; and on SIGTERM it exits 0, releasing the scheduler lease, with
 * no shutdown step failing.
 */
export async function expectHealthyThenCleanStop(
  bot: BotProcess,
  base: string,
  storeUrl: string,
  platformCheck: { name: string; ok: boolean; state: string; detail: string },
): Promise<void> {
  const health = await fetch(`${base}/healthz`);
  expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
  const ready = await fetch(`${base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ checks: [{ name: 'store', ok: true, detail: 'sqlite' }, { ...platformCheck, since: expect.any(String) }] });
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
}
