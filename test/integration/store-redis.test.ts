import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { StoreError, type Store } from '../../src/store/store.ts';
import { startRedis as startPrivateRedis, stopRedis as stop } from '../support/private-redis.ts';

const startRedis = (port: number) => startPrivateRedis(port, scratch);

/**
 * A Redis that cannot answer must make every operation fail within a couple
 * of seconds, never hang and never answer "absent" (which would make a feed
 * item look new or a post look unsent); when Redis is back, the same store
 * works again by itself.
 */

const scratch = mkdtempSync(join(tmpdir(), 'armistice-redis-'));
const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** A 127.0.0.1 port nobody listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs `operation` and reports how it ended and how long it took. */
async function outcome(operation: () => Promise<unknown>): Promise<{ resolved: boolean; error?: unknown; ms: number }> {
  const started = Date.now();
  try {
    await operation();
    return { resolved: true, ms: Date.now() - started };
  } catch (error) {
    return { resolved: false, error, ms: Date.now() - started };
  }
}

function everyOperation(store: Store): Array<[string, () => Promise<unknown>]> {
  const items = store.collection<{ n: number }>('seen');
  return [
    ['get', () => items.get('item-1')],
    ['set', () => items.set('item-1', { n: 1 })],
    ['delete', () => items.delete('item-1')],
    ['list', () => items.list()],
    ['setIfAbsent', () => items.setIfAbsent('item-1', { n: 1 }, 60_000)],
    ['ping', () => store.ping()],
  ];
}

describe('the Redis store when Redis cannot answer', () => {
  it('rejects every operation with a StoreError naming the address when nothing listens on the port', async () => {
    const port = await closedPort();
    const store = await openStore(`redis://127.0.0.1:${port}`);
    cleanups.push(() => store.close());
    for (const [name, operation] of everyOperation(store)) {
      const { error, ms } = await outcome(operation);
      expect(error, name).toBeInstanceOf(StoreError);
      expect((error as Error).message, name).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*not reachable.*ECONNREFUSED`));
      expect(ms, name).toBeLessThan(2500);
    }
  });

  it('rejects within about two seconds when Redis accepts the connection but never replies', async () => {
    const silent = net.createServer((socket) => socket.resume());
    const sockets = new Set<net.Socket>();
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const { port } = silent.address() as net.AddressInfo;
    const store = await openStore(`redis://127.0.0.1:${port}`);
    cleanups.push(() => store.close());

    const results = await Promise.all(everyOperation(store).map(([, operation]) => outcome(operation)));
    for (const { error, ms } of results) {
      expect(error).toBeInstanceOf(StoreError);
      expect(ms).toBeLessThan(2500);
    }
  });

  it('times out commands to a Redis that stops answering, and recovers by itself when it answers or restarts', async () => {
    const port = await closedPort();
    let server = await startRedis(port);
    cleanups.push(() => stop(server));
    const store = await openStore(`redis://127.0.0.1:${port}`);
    cleanups.push(() => store.close());
    const ledger = store.collection<string>('ledger');
    await ledger.set('post:1', 'sent');

    // Frozen (SIGSTOP): the connection stays up, replies never come.
    server.kill('SIGSTOP');
    const frozen = await outcome(() => ledger.get('post:1'));
    expect(frozen.error).toBeInstanceOf(StoreError);
    expect(frozen.ms).toBeLessThan(2500);
    server.kill('SIGCONT');
    expect(await ledger.get('post:1')).toBe('sent');

    // Gone (killed): refused at once while it is down, not queued.
    await stop(server);
    const down = await outcome(() => ledger.setIfAbsent('post:2', 'sent'));
    expect(down.error).toBeInstanceOf(StoreError);
    expect(down.ms).toBeLessThan(2500);

    // Back (a fresh, empty server on the same port): the same store reconnects by itself.
    server = await startRedis(port);
    const deadline = Date.now() + 5000;
    for (;;) {
      const { resolved, error } = await outcome(() => store.ping());
      if (resolved) break;
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await ledger.setIfAbsent('post:2', 'sent')).toBe(true);
    expect(await ledger.get('post:2')).toBe('sent');
  }, 20_000);
});
