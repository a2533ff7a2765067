import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLease, runAsLeader, type DemotionReason } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';
import { StoreError, type Store } from '../../src/store/store.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * The lease on both stores, in one process: one holder at a time, renewal
 * and release only by the holder, expiry, growing fencing tokens, and the
 * leader loop's elections and demotions.
 */

const scratch = mkdtempSync(join(tmpdir(), 'armistice-lease-'));
const REDIS_URL = 'redis://127.0.0.1:6379';
const backends = [
  { name: 'SQLite', url: `sqlite://${join(scratch, 'lease.sqlite')}` },
  { name: 'Redis', url: REDIS_URL },
];

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(backends)('a lease in the $name store', ({ url }) => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
  let store: Store;
  let leaseNumber = 0;
  const freshName = () => `lease-${leaseNumber++}`;

  beforeAll(async () => {
    store = await openStore(url, { keyPrefix });
  });
  afterAll(async () => {
    await store.close();
    if (url.startsWith('redis')) await deleteRedisKeys(REDIS_URL, `${keyPrefix}:*`);
  });

  it('goes to one holder at a time; only the holder renews or releases it; each new tenure has a larger token', async () => {
    const name = freshName();
    const a = createLease(store, name, 'holder-a', 5000);
    const b = createLease(store, name, 'holder-b', 5000);

    const first = await a.acquire();
    expect(first).toBeGreaterThan(0);
    expect(a.isHeld()).toBe(true);
    expect(await b.acquire()).toBeUndefined();
    expect(b.isHeld()).toBe(false);
    expect(await store.leases.read(name)).toMatchObject({ holder: 'holder-a', token: first });

    // Somebody else's renewal or release changes nothing.
    expect(await store.leases.renew(name, 'holder-b', first!, 5000)).toBe(false);
    expect(await store.leases.release(name, 'holder-b', first!)).toBe(false);
    expect(await a.renew()).toBe(true);
    expect(await a.verify()).toBe(true);

    await a.release();
    expect(a.isHeld()).toBe(false);
    expect(await store.leases.read(name)).toBeUndefined();
    const second = await b.acquire();
    expect(second).toBeGreaterThan(first!);
    expect(await a.verify()).toBe(false);
  });

  it('expires when not renewed; the late holder can no longer renew, and knows it', async () => {
    const name = freshName();
    const a = createLease(store, name, 'holder-a', 300);
    const b = createLease(store, name, 'holder-b', 300);
    const first = await a.acquire();
    await vi.waitFor(() => expect(a.isHeld()).toBe(false), { timeout: 1000, interval: 20 });

    // The holder gives up by its own clock before the store lets the lease go.
    let second: number | undefined;
    await vi.waitFor(async () => {
      second = await b.acquire();
      expect(second).toBeDefined();
    }, { timeout: 1000, interval: 20 });
    expect(second).toBeGreaterThan(first!);
    expect(await a.renew()).toBe(false);
    expect(a.token).toBeUndefined();
    expect(await b.verify()).toBe(true);
  });

  it('elects exactly one of two leader loops, and hands over when the leader stops', async () => {
    const name = freshName();
    const events: string[] = [];
    const loop = (id: string) => {
      let elected!: (token: number) => void;
      const electedOnce = new Promise<number>((r) => (elected = r));
      const leadership = runAsLeader({
        lease: createLease(store, name, id, 1000),
        renewEveryMs: 200,
        retryEveryMs: 100,
        onElected: (token) => {
          events.push(`${id} elected ${token}`);
          elected(token);
        },
        onDemoted: (reason: DemotionReason, token) => void events.push(`${id} demoted ${token} ${reason}`),
      });
      return { leadership, electedOnce };
    };
    const a = loop('a');
    const firstToken = await a.electedOnce;
    const b = loop('b');
    // b keeps trying while a renews: a stays leader well past its TTL.
    await vi.waitFor(() => expect(events.length).toBe(1), { timeout: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(events).toEqual([`a elected ${firstToken}`]);
    expect(a.leadership.isLeader()).toBe(true);
    expect(b.leadership.isLeader()).toBe(false);

    await a.leadership.stop();
    const secondToken = await b.electedOnce;
    expect(secondToken).toBeGreaterThan(firstToken);
    expect(events).toEqual([`a elected ${firstToken}`, `a demoted ${firstToken} stopped`, `b elected ${secondToken}`]);
    await b.leadership.stop();
    expect(await store.leases.read(name)).toBeUndefined();
  });
});

describe('a lease in an unreachable Redis', () => {
  it('fails with a StoreError within the Redis timeout, and the leader loop keeps trying without crashing', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));

    const store = await openStore(`redis://127.0.0.1:${port}`);
    const lease = createLease(store, 'scheduler', 'holder-a', 1000);
    const started = Date.now();
    await expect(lease.acquire()).rejects.toBeInstanceOf(StoreError);
    expect(Date.now() - started).toBeLessThan(3000);

    const warnings: string[] = [];
    const leadership = runAsLeader({
      lease,
      renewEveryMs: 200,
      retryEveryMs: 100,
      log: { info: () => undefined, error: () => undefined, warn: (_: unknown, message?: string) => void warnings.push(String(message)) },
    });
    await vi.waitFor(() => expect(warnings.length).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    expect(warnings[0]).toMatch(/could not try to acquire/);
    expect(leadership.isLeader()).toBe(false);
    await leadership.stop();
    await store.close();
  });
});
