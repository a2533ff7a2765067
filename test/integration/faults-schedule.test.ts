import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/schedule/ledger.ts';
import { openStore } from '../../src/store/open.ts';
import { overlaps, startWatched, tenures, type Contender } from '../support/lease-contenders.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';
import { ARMISTICE_DAY_ROUND, expectedPosts, seedWeek, type ExpectedPost } from '../support/schedule-week.ts';

/**
 * Two bot instances on one Redis, a simulated week of schedule ticks run by
 * whichever holds the scheduler lease: every digest and reminder of the week
 * reaches its channel exactly once, through a graceful handover and through
 * a kill -9 of the leader in the middle of a round.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const TTL_MS = 1500;
const prefixes: string[] = [];
const instances: Contender[] = [];
let expected: ExpectedPost[];

beforeAll(async () => {
  expected = await expectedPosts();
});
afterAll(async () => {
  for (const i of instances) i.kill('SIGKILL');
  await Promise.all(instances.map((i) => i.exited));
  for (const prefix of prefixes) await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
});

/** A fresh key prefix in the shared Redis, seeded with the week's subscriptions and articles. */
async function seededPrefix(): Promise<string> {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
  prefixes.push(keyPrefix);
  const store = await openStore(REDIS_URL, { keyPrefix });
  await seedWeek(store);
  await store.close();
  return keyPrefix;
}

function instance(who: string, keyPrefix: string, postDelayMs: number): Contender {
  const started = startWatched(who, 'schedule-instance.ts', [REDIS_URL, keyPrefix, who, String(TTL_MS), String(postDelayMs)]);
  instances.push(started);
  return started;
}

const elected = (e: { event: string }) => e.event === 'elected';
const deliveries = (...all: Contender[]) => all.flatMap((i) => i.events.filter((e) => e.event === 'delivered').map((e) => e.seen!));
/** Every post was made by the lease holder of the moment, one holder after another. */
function expectPostsByOneLeaderAtATime(all: Contender[]) {
  const posts = all.flatMap((i) => i.events.filter((e) => e.event === 'delivered'));
  expect(posts.filter((e) => e.token === undefined)).toEqual([]);
  expect(overlaps(tenures(all))).toEqual([]);
}

/** Each post's count, for those not seen exactly once: empty when nothing was duplicated. */
function duplicates(seen: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}

describe('two instances on one Redis through a simulated week', () => {
  it('post every digest and reminder exactly once, across a graceful handover (SIGTERM) of the leader', async () => {
    expect(expected.length).toBeGreaterThan(60);
    const keyPrefix = await seededPrefix();
    const a = instance('a', keyPrefix, 15);
    const b = instance('b', keyPrefix, 15);
    const first = await Promise.race([a.next(elected), b.next(elected)]);
    const [leader, follower] = first.who === 'a' ? [a, b] : [b, a];

    // Mid-week, the leader is stopped the way a deploy stops it.
    await leader.next((e) => e.event === 'delivered' && e.tick! >= '2026-07-26');
    leader.kill('SIGTERM');
    expect(await leader.exited).toEqual({ code: 0, signal: null });
    await follower.next(elected, { past: true });
    await follower.next((e) => e.event === 'week-done', { past: true, timeoutMs: 20_000 });

    const seen = deliveries(a, b);
    expect(duplicates(seen)).toEqual([]);
    expect(new Set(seen)).toEqual(new Set(expected.map((p) => p.seen)));
    expect(deliveries(leader).length).toBeGreaterThan(0);
    expect(deliveries(follower).length).toBeGreaterThan(0);
    expectPostsByOneLeaderAtATime([a, b]);
  });

  it('after a kill -9 of the leader in the middle of a digest round: the other finishes the round and the week; nothing duplicated, nothing lost', async () => {
    const keyPrefix = await seededPrefix();
    const a = instance('a', keyPrefix, 25);
    const first = await a.next(elected);
    const b = instance('b', keyPrefix, 25);

    // Armistice Day's 00:00Z round holds 16 posts (8 channels × digest + reminder): kill after the 5th.
    const inRound = () => a.events.filter((e) => e.event === 'delivered' && e.tick === ARMISTICE_DAY_ROUND).length;
    await a.next(() => inRound() >= 5, { timeoutMs: 20_000 });
    a.kill('SIGKILL');
    const takeover = await b.next(elected);
    expect(takeover.token).toBeGreaterThan(first.token!);
    await b.next((e) => e.event === 'week-done', { past: true, timeoutMs: 20_000 });

    // The round was finished by the new leader.
    expect(b.events.some((e) => e.event === 'delivered' && e.tick === ARMISTICE_DAY_ROUND)).toBe(true);
    const seen = deliveries(a, b);
    expect(duplicates(seen)).toEqual([]);
    const expectedSeen = new Set(expected.map((p) => p.seen));
    expect(seen.filter((s) => !expectedSeen.has(s))).toEqual([]);
    expectPostsByOneLeaderAtATime([a, b]);

    // The ledger's rule (ledger.ts): a post claimed by a sender killed before it went out is
    // never re-sent, to rule out duplicates. Anything missing must be exactly that: at most the
    // one post in flight at the kill, recorded as pending in the ledger.
    const missing = expected.filter((p) => !seen.includes(p.seen));
    expect(missing.length).toBeLessThanOrEqual(1);
    const store = await openStore(REDIS_URL, { keyPrefix });
    const ledger = store.collection<LedgerEntry>('posting-ledger');
    for (const post of missing) expect((await ledger.get(post.ledgerId))?.status).toMatch(/^(pending|unknown)$/);
    await store.close();
  });
});
