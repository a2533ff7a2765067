import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { overlaps, startContender, tenures, type Contender, type LeaseSettings } from '../support/lease-contenders.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';
import { holdSqliteWriteLock } from '../support/sqlite-lock.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

/**
 * Real processes contending for the scheduler lease: at most one leads at any
 * moment (no two tenures overlap in time, and every tenure has a larger
 * fencing token than the one before), a killed leader is replaced within the
 * TTL, and the store going away or staying locked a while costs nothing but
 * time.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'armistice-faults-'));
const prefixes: string[] = [];
const contenders: Contender[] = [];

afterAll(async () => {
  for (const c of contenders) c.kill('SIGKILL');
  await Promise.all(contenders.map((c) => c.exited));
  for (const prefix of prefixes) await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
  rmSync(scratch, { recursive: true, force: true });
});

function settings(storeUrl: string, ttlMs = 1500): LeaseSettings {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
  prefixes.push(keyPrefix);
  return { storeUrl, keyPrefix, leaseName: 'scheduler', ttlMs, renewEveryMs: 300, retryEveryMs: 250 };
}

function contender(who: string, lease: LeaseSettings, storeUrl?: string): Contender {
  const started = startContender(who, lease, storeUrl);
  contenders.push(started);
  return started;
}

const elected = (e: { event: string }) => e.event === 'elected';
/** Waits for `count` more units of leader work from `c`. */
const worked = (c: Contender, count: number) => {
  const target = c.events.filter((e) => e.event === 'work').length + count;
  return c.next(() => c.events.filter((e) => e.event === 'work').length >= target);
};

function expectOneLeaderAtATime(all: Contender[]) {
  const list = tenures(all);
  expect(overlaps(list)).toEqual([]);
  return list;
}

describe('two processes sharing one Redis', () => {
  it('never lead at the same time; when the leader is killed (-9) the other takes over within the TTL', async () => {
    const lease = settings(REDIS_URL);
    const a = contender('a', lease);
    const b = contender('b', lease);
    const first = await Promise.race([a.next(elected), b.next(elected)]);
    const [leader, follower] = first.who === 'a' ? [a, b] : [b, a];
    // Both running, well past one TTL: the leader keeps the lease by renewing it.
    await leader.next((e) => e.event === 'work' && e.at > first.at + lease.ttlMs + 300);
    expect(follower.events.some(elected)).toBe(false);

    leader.kill('SIGKILL');
    const killedAt = Date.now();
    const takeover = await follower.next(elected);
    expect(takeover.token).toBeGreaterThan(first.token!);
    // Within the TTL after the last renewal, plus one retry and process scheduling.
    expect(takeover.at - killedAt).toBeLessThan(lease.ttlMs + lease.retryEveryMs + 500);
    await worked(follower, 3);

    // A clean stop (SIGTERM) releases the lease at once.
    follower.kill('SIGTERM');
    expect(await follower.exited).toEqual({ code: 0, signal: null });
    const store = await openStore(REDIS_URL, { keyPrefix: lease.keyPrefix });
    expect(await store.leases.read(lease.leaseName)).toBeUndefined();
    await store.close();

    expect(expectOneLeaderAtATime([a, b]).map((t) => t.who)).toEqual([leader.who, follower.who]);
  });

  it('a leader cut off from Redis steps down before anyone else leads, does not crash, and recovers when Redis is back', async () => {
    const proxy = await startTcpProxy(6379);
    try {
      const lease = settings(REDIS_URL);
      const a = contender('a', lease, `redis://127.0.0.1:${proxy.port}`);
      const firstTenure = await a.next(elected);
      const b = contender('b', lease);
      await a.next((e) => e.event === 'store' && e.ok === true, { past: true });

      proxy.cut();
      const cutAt = Date.now();
      const [stepDown, takeover] = await Promise.all([a.next((e) => e.event === 'demoted'), b.next(elected)]);
      // (That a's last unit of work came before b's election is checked with every tenure below.)
      expect(stepDown).toMatchObject({ token: firstTenure.token, reason: 'expired' });
      expect(takeover.token).toBeGreaterThan(firstTenure.token!);
      expect(takeover.at - cutAt).toBeLessThan(2 * lease.ttlMs + 1000);
      await a.next((e) => e.event === 'store' && e.ok === false, { past: true });

      // Redis unreachable a while longer: the cut-off process keeps running as a follower.
      await worked(b, 10);
      expect(a.child.exitCode).toBeNull();
      proxy.restore();
      await a.next((e) => e.event === 'store' && e.ok === true);

      // Recovered by itself: when the current leader dies, the once cut-off process leads again.
      b.kill('SIGKILL');
      const again = await a.next(elected);
      expect(again.token).toBeGreaterThan(takeover.token!);
      await worked(a, 3);
      a.kill('SIGTERM');
      expect(await a.exited).toEqual({ code: 0, signal: null });

      expect(expectOneLeaderAtATime([a, b]).map((t) => t.who)).toEqual(['a', 'b', 'a']);
    } finally {
      await proxy.close();
    }
  });
});

describe('two processes sharing one SQLite file', () => {
  it('keep one leader while another process holds the write lock; the lease survives the wait and nothing is damaged', async () => {
    const file = join(scratch, 'lease.sqlite');
    const lease = settings(`sqlite://${file}`, 3000);
    const a = contender('a', lease);
    const firstTenure = await a.next(elected);
    const b = contender('b', lease);
    await worked(a, 5);

    // Longer than a renewal period, shorter than the TTL: renewals wait for the lock, then succeed.
    const lock = holdSqliteWriteLock(file, 1000);
    await lock.locked;
    expect(await lock.exited).toBe(0);
    await worked(a, 10);
    expect(a.events.some((e) => e.event === 'demoted')).toBe(false);
    expect(b.events.some(elected)).toBe(false);

    a.kill('SIGKILL');
    const takeover = await b.next(elected);
    expect(takeover.token).toBe(firstTenure.token! + 1);
    b.kill('SIGTERM');
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expectOneLeaderAtATime([a, b]);

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT note FROM lock_holder').pluck().all()).toEqual(['written under the lock']);
    db.close();
  });
});
