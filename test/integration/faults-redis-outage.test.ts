import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { openStore } from '../../src/store/open.ts';
import { loopbackResolver, rss, startLoopbackServer } from '../fixtures/feeds/loopback-server.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';
import { LogCapture } from '../support/slack-double.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

/**
 * Redis unreachable for 10 s (the figure of issue 8) under a bot that keeps
 * polling a feed every 250 ms: nothing crashes, a poll that fetched a new
 * item while the store could not answer marks nothing seen and announces
 * nothing, and when Redis is back the poller picks the item up by itself,
 * announcing it once, the items known before the outage never again.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const OUTAGE_MS = 10_000;
const keyPrefix = `test-outage-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await deleteRedisKeys(REDIS_URL, `${keyPrefix}:*`);
});

const item = (n: number, title: string) => ({ title, guid: `outage-${n}`, link: `https://wire.example/${n}`, date: `Mon, 0${n} Mar 2024 08:00:00 GMT`, description: `${title}. Story ${n}.` });

describe('Redis unreachable for 10 s', () => {
  it('no crash, no false “new”, and polling resumes by itself', { timeout: 20_000 }, async () => {
    const proxy = await startTcpProxy(6379);
    const server = await startLoopbackServer();
    const store = await openStore(`redis://127.0.0.1:${proxy.port}`, { keyPrefix });
    let now = new Date('2024-03-10T00:00:00Z');
    const corpus = createCorpus([]);
    const announced: Article[][] = [];
    const logs = new LogCapture('warn');
    const service = new FeedService({
      store,
      corpus,
      config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000' }),
      log: logs.logger,
      clock: () => now,
      resolver: loopbackResolver,
    });
    let announce: (() => void) | undefined;
    service.onNewArticles((articles) => {
      announced.push(articles);
      announce?.();
    });
    let stopPolling: (() => void) | undefined;
    try {
      let body = rss([item(2, 'Kaesong liaison office reopens'), item(1, 'Korea and US hold talks')], 'Peninsula Wire');
      server.route('/wire', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
      const added = await service.add({ url: server.url('/wire'), addedBy: 'admin', addedInChannel: 'console' });
      if (!added.ok) throw new Error(added.message);
      expect(added.baseline).toHaveLength(2);

      proxy.cut();
      const cutAt = performance.now();
      // A new item appears and the feed comes due while the store is away.
      body = rss([item(3, 'Red Cross talks on family reunions in Korea'), item(2, 'Kaesong liaison office reopens'), item(1, 'Korea and US hold talks')], 'Peninsula Wire');
      now = new Date(now.getTime() + 11 * 60_000);
      stopPolling = service.startPolling(250);

      // A poll that fetches the new item but cannot read or write what was seen: an error, nothing new.
      const fetchesBefore = server.requests.length;
      const outcome = await service.poller.pollFeed(added.feed);
      expect(outcome.kind).toBe('error');
      expect(server.requests.length).toBe(fetchesBefore + 1);

      await sleep(OUTAGE_MS - (performance.now() - cutAt));
      expect(announced).toEqual([]);
      expect(corpus.search('family reunions')).toEqual([]);
      // The running poller tried all along and said why it could not.
      expect(logs.lines.filter((l) => l.msg === 'feed poll round failed').length).toBeGreaterThan(10);

      // Back: the running poller gets the new item within a couple of its rounds.
      const announcedAgain = new Promise<void>((resolve) => (announce = resolve));
      proxy.restore();
      const restoredAt = performance.now();
      await announcedAgain;
      expect(performance.now() - restoredAt).toBeLessThan(5000);
      expect(announced.map((articles) => articles.map((a) => a.title))).toEqual([['Red Cross talks on family reunions in Korea']]);
      expect(corpus.search('family reunions')[0]?.article.title).toBe('Red Cross talks on family reunions in Korea');

      // The outage was the bot's, not the feed's: no failure is held against it.
      expect(await service.find(added.feed.id)).toMatchObject({ consecutiveFailures: 0, enabled: true });

      // The next poll knows all three items: nothing is announced twice.
      stopPolling();
      now = new Date(now.getTime() + 11 * 60_000);
      const round = await service.pollRound();
      expect(round.outcomes.map((o) => o.kind)).toEqual(['nothing-new']);
      expect(announced).toHaveLength(1);
    } finally {
      stopPolling?.();
      await service.close();
      await store.close();
      await server.close();
      await proxy.close();
    }
  });
});
