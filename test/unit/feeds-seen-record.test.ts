import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_MS, normaliseTitle, SeenItems } from '../../src/feeds/seen-items.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const story = { identity: 'guid:old-1', title: 'Envoys from both Koreas meet at Panmunjom' };
const newStory = { identity: 'guid:new-2', title: 'A new story about Kaesong' };

// Marks as every version wrote them: "i"/"t" and 16 hex digits of a SHA-1 of the identity / the normalised title.
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 16);
const identityMark = `i${sha1(story.identity)}`;
const titleMark = `t${sha1(normaliseTitle(story.title))}`;
const seenAt = NOW.getTime() - DAY;

describe.each([
  ['one object keyed by mark', { marks: { [identityMark]: seenAt, [titleMark]: seenAt } }],
  ['parallel arrays of marks and times', { ids: [identityMark, titleMark], seenAt: [seenAt, seenAt] }],
])('GIVEN seen marks stored by an earlier version (%s)', (_layout, earlier) => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    await store.collection('feed-seen').set('feed1', earlier);
  });
  afterEach(async () => {
    await store.close();
  });

  it('still knows those items after an upgrade, and keeps knowing them once the record is rewritten', async () => {
    const seen = new SeenItems(store);
    const upgraded = await seen.forFeed('feed1', NOW);
    expect(upgraded.size).toBe(2);
    expect(upgraded.knowsRecently(story.identity, NOW)).toBe(true);
    expect((await upgraded.unseen([story, newStory])).map((i) => i.identity)).toEqual(['guid:new-2']);
    await upgraded.mark([newStory], NOW);
    await upgraded.save(NOW);

    const again = await seen.forFeed('feed1', NOW);
    expect(again.size).toBe(4);
    expect(await again.has(story)).toBe(true);
    expect(await again.has(newStory)).toBe(true);
    // Same story under a new guid is still caught by its title mark.
    expect(await again.has({ identity: 'guid:repost', title: 'Envoys from both Koreas meet at Panmunjom' })).toBe(true);
    // The earlier marks keep their own time: they expire when they would have.
    expect(await (await seen.forFeed('feed1', new Date(seenAt + 181 * DAY))).has(story)).toBe(false);
  });
});

describe('GIVEN a damaged archive filter', () => {
  it('reads the archive for every mark the recent record lacks, so archived items are still known', async () => {
    const store = await openStore('sqlite::memory:');
    const seen = new SeenItems(store, DEFAULT_RETENTION_MS, 8); // cap 8: merges once the recent marks outgrow the fetch by 2
    const older = { identity: 'guid:older', title: 'Talks at Panmunjom resume after a long pause' };
    for (const [minutes, items] of [[0, [story, older]], [10, [newStory]]] as const) {
      const at = new Date(NOW.getTime() + minutes * 60_000);
      const set = await seen.forFeed('feed1', at);
      await set.mark(items, at);
      await set.save(at);
    }
    const records = store.collection<{ recent: string; filter?: string; archived: number }>('feed-seen');
    const record = (await records.get('feed1'))!;
    expect(record.archived).toBe(4); // story and older went to the archive
    await records.set('feed1', { ...record, filter: 'not base64 at all!' });

    const set = await seen.forFeed('feed1', NOW);
    expect(await set.unseen([story, older, newStory, { identity: 'guid:3', title: 'Something else entirely today' }])).toEqual([
      { identity: 'guid:3', title: 'Something else entirely today' },
    ]);
    await store.close();
  });
});

describe('GIVEN a feed watched for months (thousands of marks)', () => {
  let store: Store;
  let archiveReads: number;
  /** The store, counting reads of the seen-marks archive (the large record a fetch should rarely need). */
  let counted: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
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
