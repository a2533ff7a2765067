import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/ops/in-flight.ts';
import { createShutdown } from '../../src/ops/shutdown.ts';

/**
 * On SIGTERM/SIGINT the bot finishes what it is doing, in order, and exits 0;
 * a failing or hanging step does not keep it alive; a second signal ends it
 * at once.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');

function startChild(mode: 'normal' | 'hang') {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', join('test', 'support', 'shutdown-child.ts'), mode], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.line === line)) w.resolve();
  });
  const seen = (line: string) =>
    lines.includes(line) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ line, resolve }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, seen, exited };
}

describe('the shutdown coordinator', () => {
  it('on SIGTERM waits for the reply in flight, then runs the steps in order and exits 0', async () => {
    const { child, lines, seen, exited } = startChild('normal');
    await seen('ready');
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(lines).toEqual(['ready', 'draining 1 reply', 'reply sent', 'replies drained', 'scheduler stopped', 'lease released', 'store closed']);
  });

  it('exits at once on a second signal while a step hangs', async () => {
    const { child, seen, exited, lines } = startChild('hang');
    await seen('ready');
    child.kill('SIGINT');
    await seen('stop scheduler hangs');
    const started = Date.now();
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lines).not.toContain('lease released');
  });

  it('carries on after a failing step and exits 1; a hanging step meets the overall timeout', async () => {
    const exits: number[] = [];
    const ran: string[] = [];
    const failing = createShutdown({ exit: (code) => exits.push(code) });
    failing.add('close platforms', () => {
      throw new Error('gateway already gone');
    });
    failing.add('close store', () => void ran.push('store closed'));
    expect(failing.stopping).toBe(false);
    const first = failing.shutdown('test');
    expect(failing.stopping).toBe(true);
    expect(failing.shutdown('again')).toBe(first);
    expect(await first).toBe(1);
    expect(ran).toEqual(['store closed']);
    expect(exits).toEqual([1]);

    const hanging = createShutdown({ timeoutMs: 100, exit: (code) => exits.push(code) });
    hanging.add('stop poller', () => new Promise<void>(() => undefined));
    expect(await hanging.shutdown()).toBe(1);
    expect(exits).toEqual([1, 1]);
  });

  it('tracks work in flight: idle() waits for the last unit, even one that fails', async () => {
    const depths: number[] = [];
    const inFlight = new InFlight((n) => depths.push(n));
    await inFlight.idle();
    let finish!: () => void;
    const slow = inFlight.run(() => new Promise<void>((r) => (finish = r)));
    const failing = inFlight.run(async () => {
      throw new Error('platform refused');
    });
    await expect(failing).rejects.toThrow('platform refused');
    expect(inFlight.size).toBe(1);
    let idle = false;
    const waited = inFlight.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    finish();
    await slow;
    await waited;
    expect(inFlight.size).toBe(0);
    expect(depths).toEqual([1, 2, 1, 0]);
  });
});
