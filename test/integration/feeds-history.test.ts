import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { HISTORY_DAYS } from '../../src/feeds/feed-history.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { loopbackResolver, rss, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * The per-day health history of a feed, recorded by real polls of a feed
 * served on 127.0.0.1, stored in real SQLite and real Redis.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A feed that honours ETags and can be told to break. */
class FixtureFeed {
  version = 1;
  body = '';
  status = 200;
  set(body: string): void {
    this.body = body;
    this.version++;
    this.status = 200;
  }
  fail(status: number): void {
    this.version++;
    this.status = status;
    this.body = '<html>down</html>';
  }
  handle = (req: { headers: Record<string, string | string[] | undefined> }, res: ServerResponse) => {
    const etag = `"v${this.version}"`;
    if (this.status === 200 && req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(this.status, { 'content-type': this.status === 200 ? 'application/rss+xml' : 'text/html', ...(this.status === 200 ? { etag } : {}) });
    res.end(this.body);
  };
}

const item = (n: number, title: string) => ({ title, guid: `g${n}`, link: `https://wire.example/${n}`, date: 'Mon, 04 Mar 2024 08:00:00 GMT', description: `${title}. Story ${n}.` });

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const undo of cleanup.reverse()) await undo();
  cleanup = [];
});

async function setUp(url: string) {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
  const store: Store = await openStore(url, { keyPrefix });
  const server: LoopbackServer = await startLoopbackServer();
  const clock = { now: new Date('2026-11-30T23:30:00Z') };
  const service = new FeedService({
    store,
    corpus: createCorpus([]),
    config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000', FEED_POLL_MINUTES: '10', STORE_URL: url }),
    log: createLogger('silent'),
    clock: () => clock.now,
    resolver: loopbackResolver,
  });
  cleanup.push(async () => {
    await service.close();
    await store.close();
    await server.close();
    if (url.startsWith('redis')) await deleteRedisKeys(REDIS_URL, `${keyPrefix}:*`);
  });
  const feed = new FixtureFeed();
  server.route('/wire', feed.handle);
  return { store, service, clock, feed, url: server.url('/wire'), openAgain: () => openStore(url, { keyPrefix }) };
}

describe.each([
  { name: 'SQLite', url: `sqlite://${join(mkdtempSync(join(tmpdir(), 'armistice-history-')), 'state.sqlite')}` },
  { name: 'Redis', url: REDIS_URL },
])('feed health history on $name', ({ url }) => {
  it('GIVEN polls that bring items, a 304 and failures THEN each UTC day counts them, new items included', async () => {
    const { service, clock, feed, url: feedUrl } = await setUp(url);
    feed.set(rss([item(1, 'Kaesong liaison office reopens')], 'Peninsula Wire'));
    const added = await service.add({ url: feedUrl, addedBy: 'admin', addedInChannel: 'console' });
    if (!added.ok) throw new Error(added.message);
    // The adding fetch is the first fine fetch of 30 November; its baseline items are not new.
    expect(added.feed.history).toEqual([{ day: '2026-11-30', ok: 1 }]);

    // 1 December (UTC), 00:15: two new items about Korea.
    clock.now = new Date('2026-12-01T00:15:00Z');
    feed.set(rss([item(3, 'North Korea and South Korea talk at Panmunjom'), item(2, 'Seoul and Pyongyang reopen hotline'), item(1, 'Kaesong liaison office reopens')], 'Peninsula Wire'));
    expect((await service.pollRound({ force: true })).outcomes.map((o) => o.kind)).toEqual(['new']);
    // Same day: nothing changed, the server says 304.
    clock.now = new Date('2026-12-01T06:00:00Z');
    expect((await service.pollRound({ force: true })).outcomes.map((o) => o.kind)).toEqual(['unchanged']);
    // Same day: the server fails twice (HTTP 500), later the next day the page is not a feed.
    feed.fail(500);
    clock.now = new Date('2026-12-01T12:00:00Z');
    await service.pollRound({ force: true });
    clock.now = new Date('2026-12-01T20:00:00Z');
    await service.pollRound({ force: true });
    feed.set('<html><body>Not a feed</body></html>');
    clock.now = new Date('2026-12-02T20:00:00Z');
    expect((await service.pollRound({ force: true })).outcomes.map((o) => (o.kind === 'failed' ? o.failure.reason : o.kind))).toEqual(['NOT_A_FEED']);

    const stored = await service.find(added.feed.id);
    expect(stored!.history).toEqual([
      { day: '2026-11-30', ok: 1 },
      { day: '2026-12-01', ok: 1, newItems: 2, notModified: 1, failed: { HTTP_ERROR: 2 } },
      { day: '2026-12-02', failed: { NOT_A_FEED: 1 } },
    ]);
  });

  it(`GIVEN a feed polled over ${HISTORY_DAYS + 10} days THEN only the last ${HISTORY_DAYS} days are kept, in one record that survives a restart`, async () => {
    const { service, clock, feed, url: feedUrl, openAgain } = await setUp(url);
    feed.set(rss([item(1, 'Kaesong liaison office reopens')], 'Peninsula Wire'));
    const start = new Date('2026-10-01T09:00:00Z');
    clock.now = start;
    const added = await service.add({ url: feedUrl, addedBy: 'admin', addedInChannel: 'console' });
    if (!added.ok) throw new Error(added.message);
    for (let d = 1; d < HISTORY_DAYS + 10; d++) {
      clock.now = new Date(start.getTime() + d * DAY);
      await service.pollRound({ force: true });
    }
    const history = (await service.find(added.feed.id))!.history!;
    expect(history).toHaveLength(HISTORY_DAYS);
    expect(history[0]).toEqual({ day: '2026-10-11', notModified: 1 });
    expect(history.at(-1)).toEqual({ day: '2026-11-09', notModified: 1 });

    // Another process opening the same store sees the same history.
    const again = await openAgain();
    try {
      const record = await again.collection<{ history?: unknown[] }>('feeds').get(added.feed.id);
      expect(record!.history).toEqual(history);
    } finally {
      await again.close();
    }
  });
});
