import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import type { FeedService } from '../../src/feeds/feed-service.ts';
import { fixtureBytes, serve, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';
import { startLoopbackFeeds, type LoopbackFeeds } from '../support/loopback-feeds.ts';

// Every fixture feed served over loopback and added the way /feeds add does:
// what an admin would see for each kind of feed on the internet.

let feeds: LoopbackFeeds;
let server: LoopbackServer;
let service: FeedService;
const corpus = createCorpus([]);

beforeAll(async () => {
  feeds = await startLoopbackFeeds({ corpus, clock: () => new Date('2024-06-01T00:00:00Z') });
  ({ server, service } = feeds);
});
afterAll(() => feeds?.close());

const add = (path: string) => service.add({ url: server.url(path), addedBy: 'admin', addedInChannel: 'console' });

describe('GIVEN fixture feeds served over HTTP WHEN an admin adds them', () => {
  it.each([
    ['rss-2.0.xml', 'application/rss+xml', 'Peninsula Wire', 3, 2],
    ['rss-0.91.xml', 'text/xml', 'Old Seoul Letter', 2, 1], // “Seoul café culture” names Seoul, but is not about the two Koreas
    ['rss-1.0.rdf', 'application/rdf+xml', 'RDF Korea Notes', 2, 2],
    ['atom.xml', 'application/atom+xml', '38 Degrees Analysis', 2, 2],
    ['broken-dates.xml', 'application/rss+xml', 'Clockless Korea', 5, 5],
    ['atom-broken-dates.xml', 'application/atom+xml', 'Atom without clocks', 2, 2],
    ['guids.xml', 'application/rss+xml', 'Careless CMS', 5, 5],
    ['proto-tags.xml', 'application/rss+xml', 'Prototype Pollution Weekly', 1, 1],
    ['hostile-titles.xml', 'application/rss+xml', 'Hostile Feed @everyone', 3, 3],
    ['euc-kr.xml', 'application/rss+xml', '한국 뉴스', 1, 1],
    ['shift_jis.xml', 'application/rss+xml', '朝鮮半島ニュース', 1, 1],
    ['windows-1251.xml', 'application/rss+xml', 'Новости Кореи', 1, 1],
  ])('%s is read (%s): named “%s”, %i items, %i about Korea', async (file, contentType, name, items, relevant) => {
    server.route(`/${file}`, serve(gzipSync(fixtureBytes(file)), { 'content-type': contentType, 'content-encoding': 'gzip' }));
    const result = await add(`/${file}`);
    if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
    expect(result.feed.name).toBe(name);
    expect(result.items).toBe(items);
    expect(result.baseline).toHaveLength(relevant);
    for (const article of result.baseline) {
      expect(article.id).toMatch(/^feed-[0-9a-f]{16}$/);
      expect(article.title).not.toMatch(/[<>\u202a-\u202e]/);
      expect(article.url ?? 'https://').toMatch(/^https?:\/\//);
      expect(corpus.get(article.id)).toEqual(article);
    }
  });

  it.each([
    ['html-page.html', 'text/html', 'NOT_A_FEED'],
    ['billion-laughs.xml', 'application/rss+xml', 'NOT_A_FEED'],
    ['external-entity.xml', 'application/rss+xml', 'NOT_A_FEED'],
  ])('%s is refused (%s) as %s, and nothing is registered', async (file, contentType, code) => {
    server.route(`/${file}`, serve(fixtureBytes(file), { 'content-type': contentType }));
    expect(await add(`/${file}`)).toMatchObject({ ok: false, code });
    expect((await service.list()).some((f) => f.url.endsWith(file))).toBe(false);
  });

  it('dates: unknown stays unknown, the far future becomes today (Seoul time)', async () => {
    const feed = (await service.list()).find((f) => f.name === 'Clockless Korea')!;
    const articles = corpus.all().filter((a) => a.feedId === feed.id);
    const byTitle = Object.fromEntries(articles.map((a) => [a.title, a.published]));
    expect(byTitle['North Korea item with a garbage date']).toBeUndefined();
    expect(byTitle['North Korea item from 1970']).toBeUndefined();
    expect(byTitle['North Korea item from the far future']).toEqual({ year: 2024, month: 6, day: 1 });
    expect(byTitle['North Korea item with a good date']).toEqual({ year: 2024, month: 3, day: 4 });
    expect(articles.find((a) => a.title === 'North Korea item with a garbage date')?.dateNote).toContain('date unknown');
  });
});
