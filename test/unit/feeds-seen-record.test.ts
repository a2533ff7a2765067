import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseTitle, SeenItems } from '../../src/feeds/seen-items.ts';
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
    expect(upgraded.unseen([story, newStory]).map((i) => i.identity)).toEqual(['guid:new-2']);
    upgraded.mark([newStory], NOW);
    await upgraded.save(NOW);

    const again = await seen.forFeed('feed1', NOW);
    expect(again.size).toBe(4);
    expect(again.has(story)).toBe(true);
    expect(again.has(newStory)).toBe(true);
    // Same story under a new guid is still caught by its title mark.
    expect(again.has({ identity: 'guid:repost', title: 'Envoys from both Koreas meet at Panmunjom' })).toBe(true);
    // The earlier marks keep their own time: they expire when they would have.
    expect((await seen.forFeed('feed1', new Date(seenAt + 181 * DAY))).has(story)).toBe(false);
  });
});

describe('GIVEN a feed watched for months (thousands of marks)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers exactly as a plain map of identity to last sighting would, fetch after fetch', async () => {
    // A feed of 50 items, 5 new per fetch, every half hour for 12.5 days (retention 10), some old items coming back; titles too short to mark.
    const retention = 10 * DAY;
    const seen = new SeenItems(store, retention, 1_000_000);
    const model = new Map<string, number>();
    let at = NOW.getTime();
    let random = 7;
    const next = () => (random = (random * 48271) % 2147483647);
    for (let fetch = 0; fetch < 600; fetch++, at += 30 * 60_000) {
      const newest = fetch * 5 + 50;
      const ids = Array.from({ length: 50 }, (_, k) => newest - k);
      if (fetch % 7 === 0) ids.push(next() % newest); // an old item back in the feed
      const items = ids.map((id) => ({ identity: `guid:${id}`, title: 'Update' }));
      const now = new Date(at);
      const set = await seen.forFeed('feed1', now);
      const expected = items.filter((item) => !((model.get(item.identity) ?? -Infinity) > at - retention));
      expect(set.unseen(items)).toEqual(expected);
      const recent = (identity: string) => (model.get(identity) ?? -Infinity) > at - retention / 2;
      expect(items.map((item) => set.knowsRecently(item.identity, now))).toEqual(items.map((item) => recent(item.identity)));
      for (const item of items) if (!recent(item.identity)) model.set(item.identity, at);
      set.mark(items, now);
      await set.save(now);
    }
    const held = (await seen.forFeed('feed1', new Date(at))).size;
    expect(held).toBeGreaterThan(2_000);
    expect(held).toBeLessThan(600 * 5 + 50); // the first days' marks were swept out
  });
});
