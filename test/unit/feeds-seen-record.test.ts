import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeenItems } from '../../src/feeds/seen-items.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const story = { identity: 'guid:old-1', title: 'Envoys from both Koreas meet at Panmunjom' };

describe('GIVEN seen marks stored by an earlier version (one object keyed by mark)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('still knows those items after an upgrade, and keeps knowing them once the record is rewritten', async () => {
    const seen = new SeenItems(store);
    // Write the marks with the current code, then turn the record into the earlier layout.
    const first = await seen.forFeed('feed1');
    first.mark([story], NOW);
    await first.save(NOW);
    const records = store.collection<{ ids: string[]; seenAt: number[] }>('feed-seen');
    const current = (await records.get('feed1'))!;
    const earlier = { marks: Object.fromEntries(current.ids.map((id, i) => [id, current.seenAt[i]!])) };
    await store.collection('feed-seen').set('feed1', earlier);

    const upgraded = await seen.forFeed('feed1');
    expect(upgraded.unseen([story, { identity: 'guid:new-2', title: 'A new story about Kaesong' }]).map((i) => i.identity)).toEqual(['guid:new-2']);
    upgraded.mark([{ identity: 'guid:new-2', title: 'A new story about Kaesong' }], NOW);
    await upgraded.save(NOW);

    const again = await seen.forFeed('feed1');
    expect(again.has(story)).toBe(true);
    expect(again.has({ identity: 'guid:new-2', title: 'A new story about Kaesong' })).toBe(true);
    // Same story under a new guid is still caught by its title mark.
    expect(again.has({ identity: 'guid:repost', title: 'Envoys from both Koreas meet at Panmunjom' })).toBe(true);
  });
});
