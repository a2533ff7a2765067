import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_MS, normaliseTitle, SeenItems } from '../../src/feeds/seen/seen-items.ts';
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
