import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_MS, SeenItems } from '../../src/feeds/seen/seen-items.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * A feed's seen marks over months of fetches, on both stores: the answers
 * against a plain model, and how rarely a fetch needs the large archive.
 */

const NOW = new Date('2024-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const REDIS_URL = 'redis://127.0.0.1:6379';
const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
afterAll(() => deleteRedisKeys(REDIS_URL, `${keyPrefix}*`));

describe.each([
  { name: 'SQLite', url: 'sqlite::memory:' },
  { name: 'Redis', url: REDIS_URL },
])('GIVEN a feed watched for months (thousands of marks), in the $name store', ({ url }) => {
  let run = 0;
  let store: Store;
  let archiveReads: number;
  /** The store, counting reads of the seen-marks archive (the large record a fetch should rarely need). */
  let counted: Store;
  beforeEach(async () => {
    store = await openStore(url, { keyPrefix: `${keyPrefix}-${run++}` });
    archiveReads = 0;
    counted = {
      ...store,
      collection<T>(name: string) {
        const collection = store.collection<T>(name);
        if (name !== 'feed-seen-archive') return collection;
        return {
          get: (id: string) => (archiveReads++, collection.get(id)),
          set: (id: string, value: T, ttlMs?: number) => collection.set(id, value, ttlMs),
          delete: (id: string) => collection.delete(id),
          list: () => collection.list(),
          entries: () => collection.entries(),
          setIfAbsent: (id: string, value: T, ttlMs?: number) => collection.setIfAbsent(id, value, ttlMs),
        };
      },
    };
  });
  afterEach(async () => {
    await store.close();
  });

  /** A feed of 50 items, 5 new per fetch, every half hour; titles too short to mark. */
  async function watch(seen: SeenItems, fetches: number, options: { retention: number; returning: boolean; check: boolean; asPoller?: boolean }) {
    const model = new Map<string, number>();
    let at = NOW.getTime();
    let random = 7;
    const next = () => (random = (random * 48271) % 2147483647);
    for (let fetch = 0; fetch < fetches; fetch++, at += 30 * 60_000) {
      const newest = fetch * 5 + 50;
      const ids = Array.from({ length: 50 }, (_, k) => newest - k);
      if (options.returning && fetch % 7 === 0) ids.push(next() % newest); // an old item back in the feed
      const items = ids.map((id) => ({ identity: `guid:${id}`, title: 'Update' }));
      const now = new Date(at);
      const set = await seen.forFeed('feed1', now);
      const recent = (identity: string) => (model.get(identity) ?? -Infinity) > at - options.retention / 2;
      if (options.check) {
        // Before unseen() (as in a poll): "known" only when it truly is, or a new item would go unparsed.
        const known = items.filter((item) => set.knowsRecently(item.identity, now));
        expect(known.every((item) => recent(item.identity))).toBe(true);
        const expected = items.filter((item) => !((model.get(item.identity) ?? -Infinity) > at - options.retention));
        expect(await set.unseen(items)).toEqual(expected);
        // Once unseen() has looked, exactly.
        expect(items.map((item) => set.knowsRecently(item.identity, now))).toEqual(items.map((item) => recent(item.identity)));
      }
      for (const item of items) if (!recent(item.identity)) model.set(item.identity, at);
      // A poll leaves the items known recently out of the parse: only the others reach unseen() and mark().
      const parsed = options.asPoller ? items.filter((item) => !set.knowsRecently(item.identity, now)) : items;
      if (options.asPoller) await set.unseen(parsed);
      await set.mark(parsed, now);
      await set.save(now);
    }
    return (await seen.forFeed('feed1', new Date(at))).size;
  }

  it('answers exactly as a plain map of identity to last sighting would, fetch after fetch, old items coming back', async () => {
    // 12.5 days with a retention of 10: the first days' marks expire.
    const held = await watch(new SeenItems(store, 10 * DAY, 1_000_000), 600, { retention: 10 * DAY, returning: true, check: true });
    expect(held).toBeGreaterThan(2_000);
    expect(held).toBeLessThan(600 * 5 + 50); // the first days' marks were swept out
  });

  it('reads the archive of a steadily moving feed only when merging into it, or now and then for a false "maybe"', async () => {
    const fetches = 400;
    const held = await watch(new SeenItems(counted), fetches, { retention: DEFAULT_RETENTION_MS, returning: false, check: false, asPoller: true });
    expect(held).toBe((fetches - 1) * 5 + 50); // every item ever shown, once
    expect(archiveReads).toBeGreaterThan(0);
    expect(archiveReads).toBeLessThan(fetches / 15); // merges (~1 in 50 fetches) and ~1 % false "maybe"s per new mark
  });
});
