import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelayMs, shouldDisable } from '../../src/feeds/poll/backoff.ts';
import { createRelevanceTest, parseAbout } from '../../src/feeds/relevance.ts';
import { normaliseTitle, SeenItems } from '../../src/feeds/seen/seen-items.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('backoff', () => {
  it('waits 5 min × 2^(n−1), capped at a day', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n) / MINUTE)).toEqual([5, 10, 20, 40, 80]);
    expect(backoffDelayMs(9) / MINUTE).toBe(1280);
    expect(backoffDelayMs(10)).toBe(DAY);
    expect(backoffDelayMs(50)).toBe(DAY);
  });
  it('honours a longer Retry-After, up to a day', () => {
    expect(backoffDelayMs(1, 2 * 60 * MINUTE)).toBe(2 * 60 * MINUTE);
    expect(backoffDelayMs(3, 60_000)).toBe(20 * MINUTE); // shorter than the backoff: the backoff wins
    expect(backoffDelayMs(1, 30 * DAY)).toBe(DAY);
  });
  it('disables at the 11th failure in a row', () => {
    expect(shouldDisable(10)).toBe(false);
    expect(shouldDisable(11)).toBe(true);
  });
});

describe('relevance', () => {
  const relevant = createRelevanceTest({ entityNames: ['Ban Ki-moon'] });
  const item = (title: string, text = '') => ({ title, paragraphs: text ? [text] : [] });

  it.each([
    'North Korean missile launch',
    'Inter-Korean summit planned',
    'Talks at Panmunjom',
    'ROK forces on alert',
    'Kim Jong-un inspects factory',
    'kim jong un inspects factory',
    'Moon Jae-in speaks',
    'Denuclearisation talks stall',
    '북한, 미사일 발사',
    '판문점에서 회담',
    '北朝鮮がミサイル発射',
    'Ban Ki-moon visits',
    'Переговоры о мире в Корее',
  ])('keeps %j', (title) => expect(relevant(item(title))).toBe(true));

  it.each(['Bread prize in Lyon', 'A broker in London', 'Rokkaku festival', 'Stock markets rally', 'Приходите скорее'])('drops %j', (title) =>
    expect(relevant(item(title))).toBe(false),
  );

  it('reads the opening of the text, not only the title', () => {
    expect(relevant(item('Talks resume', 'Envoys met in Pyongyang on Monday.'))).toBe(true);
  });

  it('narrows with the feed’s about keywords', () => {
    const narrow = createRelevanceTest({ about: parseAbout('sanction*, summit') });
    expect(narrow(item('North Korea sanctions tightened'))).toBe(true);
    expect(narrow(item('North Korea summit'))).toBe(true);
    expect(narrow(item('North Korea weather'))).toBe(false);
    expect(narrow(item('Sanctions on Iran'))).toBe(false); // still must be about Korea
  });

  it('reads about as comma-separated phrases, or words without commas', () => {
    expect(parseAbout('nuclear talks, family reunions')).toEqual(['nuclear talks', 'family reunions']);
    expect(parseAbout('Sanctions  summit')).toEqual(['sanctions', 'summit']);
    expect(parseAbout(undefined)).toEqual([]);
    expect(parseAbout('a(b, [c')).toEqual(['a(b', '[c']);
    expect(createRelevanceTest({ about: parseAbout('a(b, [c') })(item('North Korea a(b'))).toBe(true); // regex characters are literal
  });
});

describe('seen items', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterEach(() => store.close());

  const now = new Date('2024-06-01T00:00:00Z');
  const story = (identity: string, title: string) => ({ identity, title });

  it('remembers items across loads, and catches the same story under a new guid by its title', async () => {
    const seen = new SeenItems(store);
    const first = await seen.forFeed('f1', now);
    await first.mark([story('guid:1', 'Talks resume at Panmunjom'), story('guid:2', 'Update')], now);
    await first.save(now);

    const later = await seen.forFeed('f1', now);
    const unseen = await later.unseen([
      story('guid:1', 'Different title'),
      story('guid:9', 'Talks resume at  PANMUNJOM!'),
      story('guid:10', 'Update'), // too generic to match by title
      story('guid:11', 'Something new happens'),
    ]);
    expect(unseen.map((s) => s.identity)).toEqual(['guid:10', 'guid:11']);
    expect(await (await seen.forFeed('other-feed', now)).unseen([story('guid:1', 'Talks resume at Panmunjom')])).toHaveLength(1);
  });

  it('forgets marks after the retention period, unless the item is still being seen', async () => {
    const seen = new SeenItems(store, 10 * DAY);
    let set = await seen.forFeed('f1', now);
    await set.mark([story('guid:old', 'An old story here'), story('guid:kept', 'A story that stays')], now);
    await set.save(now);
    // Day 6: only the second item is still in the feed; its mark is refreshed (older than half the retention).
    const day6 = new Date(now.getTime() + 6 * DAY);
    set = await seen.forFeed('f1', day6);
    await set.mark([story('guid:kept', 'A story that stays')], day6);
    await set.save(day6);
    // Day 11: the first is forgotten, the second still known.
    const day11 = new Date(now.getTime() + 11 * DAY);
    set = await seen.forFeed('f1', day11);
    await set.mark([story('guid:new', 'Brand new story today')], day11);
    await set.save(day11);
    set = await seen.forFeed('f1', day11);
    expect((await set.unseen([story('guid:old', 'An old story here'), story('guid:kept', 'A story that stays')])).map((s) => s.identity)).toEqual(['guid:old']);
  });

  it('sweeps expired marks out and keeps finding the rest once the recent marks are merged into the archive', async () => {
    // Cap 8: a merge once the recent marks are two more than the latest fetch's.
    const seen = new SeenItems(store, 10 * DAY, 8);
    const fetch = async (day: number, ...items: Array<ReturnType<typeof story>>) => {
      const at = new Date(now.getTime() + day * DAY);
      const set = await seen.forFeed('f1', at);
      await set.mark(items, at);
      await set.save(at);
    };
    await fetch(0, story('guid:old', 'An old story here'), story('guid:kept', 'A story that stays'));
    await fetch(6, story('guid:kept', 'A story that stays'));
    await fetch(11, story('guid:new', 'Brand new story today')); // 6 recent marks, 2 of this fetch: merged
    const day11 = new Date(now.getTime() + 11 * DAY);
    const set = await seen.forFeed('f1', day11);
    expect(set.size).toBe(4); // the old story's two marks swept out; the kept story's in the archive, the new one's recent
    const probes = [story('guid:old', 'An old story here'), story('guid:kept', 'A story that stays'), story('guid:new', 'Brand new story today')];
    expect((await set.unseen(probes)).map((s) => s.identity)).toEqual(['guid:old']);
    expect(await set.has(story('guid:repost', 'A story that stays'))).toBe(true); // by its archived title mark
  });

  it('keeps about the cap: past a quarter more, a save drops the least recently seen down to the cap', async () => {
    const seen = new SeenItems(store, 100 * DAY, 4);
    const set = await seen.forFeed('f1', now);
    await set.mark([story('a', 'x'), story('b', 'y')], now);
    await set.mark([story('c', 'z'), story('d', 'w'), story('e', 'v')], new Date(now.getTime() + MINUTE));
    await set.save(new Date(now.getTime() + MINUTE));
    expect((await seen.forFeed('f1', now)).size).toBe(5); // within a quarter over the cap: no cleanup yet
    const later = new Date(now.getTime() + 2 * MINUTE);
    const more = await seen.forFeed('f1', later);
    await more.mark([story('f', 'u')], later);
    await more.save(later);
    const reloaded = await seen.forFeed('f1', later);
    expect(reloaded.size).toBe(4);
    expect((await reloaded.unseen(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => story(id, 'q')))).map((s) => s.identity)).toEqual(['a', 'b']);
  });

  it('writes nothing when nothing changed, and forgets a removed feed', async () => {
    const seen = new SeenItems(store);
    const set = await seen.forFeed('f1', now);
    await set.mark([story('a', 'Some long title')], now);
    await set.save(now);
    const again = await seen.forFeed('f1', now);
    await again.mark([story('a', 'Some long title')], new Date(now.getTime() + DAY));
    await again.save(new Date(now.getTime() + DAY)); // nothing to refresh yet
    await seen.forgetFeed('f1');
    expect((await seen.forFeed('f1', now)).size).toBe(0);
  });

  it('normalises titles for comparison', () => {
    expect(normaliseTitle('  North-Korea: “Talks” RESUME!! ')).toBe('north korea talks resume');
    expect(normaliseTitle('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
  });
});
