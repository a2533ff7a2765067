import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { readConfig } from '../../src/config.ts';
import type { Article, Corpus } from '../../src/corpus/corpus.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { loadFeedArticles, isBaselineArticle } from '../../src/feeds/feed-articles.ts';
import { createLogger } from '../../src/log.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { loopbackResolver, rss, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

const MINUTE = 60_000;
const T0 = new Date('2024-06-01T00:00:00Z');

/** A feed the test rewrites between polls; it honours ETags. */
class FixtureFeed {
  version = 1;
  body = '';
  status = 200;
  headers: Record<string, string> = {};
  set(body: string): void {
    this.body = body;
    this.version++;
    this.status = 200;
    this.headers = {};
  }
  fail(status: number, body: string, headers: Record<string, string> = {}): void {
    this.version++; // a broken page is never "not modified"
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
  handle = (req: { headers: Record<string, string | string[] | undefined> }, res: ServerResponse) => {
    const etag = `"v${this.version}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(this.status, { 'content-type': this.status === 200 ? 'application/rss+xml' : 'text/html', ...(this.status === 200 ? { etag } : {}), ...this.headers });
    res.end(this.body);
  };
}

let server: LoopbackServer;
let other: LoopbackServer;
let store: Store;
let corpus: Corpus;
let now: Date;
let posts: Array<{ address: string; reply: Reply }>;
let announced: Article[][];
let services: FeedService[];

function makeService(options: { store?: Store; corpus?: Corpus } = {}): FeedService {
  const config = readConfig({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000', STORE_URL: 'sqlite::memory:' });
  const service = new FeedService({
    store: options.store ?? store,
    corpus: options.corpus ?? corpus,
    config,
    log: createLogger('silent'),
    notifier: {
      async post(address: string, reply: Reply) {
        posts.push({ address, reply });
        return { ok: true };
      },
    },
    clock: () => now,
    resolver: loopbackResolver,
  });
  service.onNewArticles((articles) => void announced.push(articles));
  services.push(service);
  return service;
}

const wire = (...items: Parameters<typeof rss>[0]) => rss(items, 'Peninsula Wire');
const item = (n: number, title: string, date = `Mon, 0${Math.min(n, 9)} Mar 2024 08:00:00 GMT`) => ({ title, guid: `g${n}`, link: `https://wire.example/${n}`, date, description: `${title}. Story ${n}.` });

beforeEach(async () => {
  server = await startLoopbackServer();
  other = await startLoopbackServer();
  store = await openStore('sqlite::memory:');
  corpus = createCorpus([]);
  now = new Date(T0);
  posts = [];
  announced = [];
  services = [];
});

afterEach(async () => {
  for (const s of services) await s.close();
  await store.close();
  await server.close();
  await other.close();
});

async function addFeed(service: FeedService, path: string, extra: { name?: string; about?: string; addedInChannel?: string; scope?: string } = {}) {
  const result = await service.add({ url: server.url(path), addedBy: 'admin-1', addedInChannel: 'discord:chan-9', ...extra });
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

describe('GIVEN an admin adds a feed', () => {
  it('ingests the current relevant items as a searchable baseline that is never announced', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(2, 'Kaesong liaison office reopens'), item(1, 'Bakery wins bread prize')));
    server.route('/wire', feed.handle);
    const service = makeService();
    const added = await addFeed(service, '/wire');

    expect(added.items).toBe(2);
    expect(added.baseline.map((a) => a.title)).toEqual(['Kaesong liaison office reopens']);
    expect(corpus.search('Kaesong')[0]?.article).toMatchObject({ title: 'Kaesong liaison office reopens', origin: 'feed' });
    // The feed's title is not the story's outlet: the item names none, so none is shown.
    expect(corpus.search('Kaesong')[0]?.article.outlet).toBeUndefined();
    expect(corpus.search('bakery')).toEqual([]);
    expect(announced).toEqual([]);
    expect(await isBaselineArticle(store, added.baseline[0]!.id)).toBe(true);

    // The next poll brings nothing: the baseline items are already seen.
    now = new Date(T0.getTime() + 11 * MINUTE);
    feed.set(wire(item(2, 'Kaesong liaison office reopens'), item(1, 'Bakery wins bread prize')));
    const round = await service.pollRound();
    expect(round.outcomes.map((o) => o.kind)).toEqual(['nothing-new']);
    expect(announced).toEqual([]);
  });

  it('refuses an HTML page and a blocked address, registering nothing', async () => {
    server.route('/page', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Korea</body></html>'));
    const service = makeService();
    expect(await service.add({ url: server.url('/page'), addedBy: 'a', addedInChannel: 'console' })).toMatchObject({ ok: false, code: 'NOT_A_FEED' });
    expect(await service.add({ url: `http://127.0.0.1:${other.port}/feed`, addedBy: 'a', addedInChannel: 'console' })).toMatchObject({
      ok: false,
      code: 'BLOCKED_ADDRESS',
    });
    expect(other.requests).toEqual([]);
    expect(await service.list()).toEqual([]);
  });

  it('refuses the same URL twice', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(1, 'Korea news')));
    server.route('/wire', feed.handle);
    const service = makeService();
    await addFeed(service, '/wire');
    expect(await service.add({ url: server.url('/wire'), addedBy: 'a', addedInChannel: 'console' })).toMatchObject({ ok: false, code: 'FEED_EXISTS' });
  });
});

describe('GIVEN a registered feed WHEN it is polled', () => {
  it('adds only new relevant items, oldest first, announces them once, and catches a re-published story by its title', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(1, 'Armistice anniversary marked at Panmunjom')));
    server.route('/wire', feed.handle);
    const service = makeService();
    await addFeed(service, '/wire');

    now = new Date(T0.getTime() + 10 * MINUTE);
    feed.set(
      wire(
        item(4, 'Pyongyang test-fires a missile', 'Thu, 07 Mar 2024 08:00:00 GMT'),
        { ...item(9, 'Armistice anniversary marked at Panmunjom'), guid: 'republished-under-new-guid', link: 'https://wire.example/again' },
        item(3, 'Local weather turns cold'),
        item(2, 'Seoul proposes inter-Korean talks', 'Tue, 05 Mar 2024 08:00:00 GMT'),
        item(1, 'Armistice anniversary marked at Panmunjom'),
      ),
    );
    const round = await service.pollRound();
    expect(round.outcomes.map((o) => o.kind)).toEqual(['new']);
    expect(announced.map((batch) => batch.map((a) => a.title))).toEqual([['Seoul proposes inter-Korean talks', 'Pyongyang test-fires a missile']]);
    expect(round.newArticles).toBe(2);
    expect(corpus.search('missile')[0]?.article.title).toBe('Pyongyang test-fires a missile');
    expect(corpus.search('weather')).toEqual([]);
    const [stored] = await service.list();
    expect(stored).toMatchObject({ lastNewItemAt: now.toISOString(), consecutiveFailures: 0, nextAttemptAt: new Date(now.getTime() + 10 * MINUTE).toISOString() });

    // An item that drops out of the feed and comes back is not news again.
    now = new Date(now.getTime() + 10 * MINUTE);
    feed.set(wire(item(4, 'Pyongyang test-fires a missile', 'Thu, 07 Mar 2024 08:00:00 GMT')));
    await service.pollRound();
    now = new Date(now.getTime() + 10 * MINUTE);
    feed.set(wire(item(2, 'Seoul proposes inter-Korean talks'), item(4, 'Pyongyang test-fires a missile')));
    await service.pollRound();
    expect(announced).toHaveLength(1);
  });

  it('treats a 304 as unchanged and keeps everything', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(1, 'North Korea news')));
    server.route('/wire', feed.handle);
    const service = makeService();
    await addFeed(service, '/wire');
    const articlesBefore = corpus.all().length;

    now = new Date(T0.getTime() + 10 * MINUTE);
    const round = await service.pollRound();
    expect(round.outcomes.map((o) => o.kind)).toEqual(['unchanged']);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe(`"v${feed.version}"`);
    expect(corpus.all().length).toBe(articlesBefore);
    expect((await service.list())[0]).toMatchObject({ etag: `"v${feed.version}"`, lastSuccessAt: now.toISOString() });
  });

  it('applies the feed’s about keywords on top of the Korea filter', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(2, 'North Korea sanctions tightened'), item(1, 'North Korea football result')));
    server.route('/wire', feed.handle);
    const added = await addFeed(makeService(), '/wire', { about: 'sanctions, summit' });
    expect(added.baseline.map((a) => a.title)).toEqual(['North Korea sanctions tightened']);
  });

  it('keeps items naming a known person even without a Korea keyword', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(2, 'Ban Ki-moon addresses the General Assembly'), item(1, 'Weather turns cold in Geneva')));
    server.route('/wire', feed.handle);
    const service = makeService();
    service.useEntityNames(() => ['Ban Ki-moon']);
    const added = await addFeed(service, '/wire');
    expect(added.baseline.map((a) => a.title)).toEqual(['Ban Ki-moon addresses the General Assembly']);
  });

  it('polls one request at a time per host', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slowFeed = (n: number) => (_req: unknown, res: ServerResponse) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([item(n, `Korea story ${n} of ${now.getTime()}`)], `Feed ${n}`));
      }, 30);
    };
    for (const n of [1, 2, 3]) server.route(`/f${n}`, slowFeed(n));
    const service = makeService();
    for (const n of [1, 2, 3]) await addFeed(service, `/f${n}`, { name: `Feed ${n}` });
    now = new Date(T0.getTime() + 10 * MINUTE);
    maxInFlight = 0;
    const round = await service.pollRound();
    expect(round.outcomes).toHaveLength(3);
    expect(maxInFlight).toBe(1);
  });
});

describe('GIVEN a feed that starts failing', () => {
  async function failingFeed(where: { addedInChannel?: string; scope?: string } = {}) {
    const feed = new FixtureFeed();
    feed.set(wire(item(1, 'North Korea news')));
    server.route('/wire', feed.handle);
    const service = makeService();
    const added = await addFeed(service, '/wire', where);
    return { feed, service, added };
  }

  it('backs off 5 min × 2^n, leaves validators, seen items and articles untouched, and recovers', async () => {
    const { feed, service } = await failingFeed();
    const before = (await service.list())[0]!;
    const articlesBefore = await loadFeedArticles(store);

    feed.fail(200, '<!DOCTYPE html><html><body>Maintenance</body></html>');
    now = new Date(T0.getTime() + 10 * MINUTE);
    let round = await service.pollRound();
    expect(round.outcomes[0]).toMatchObject({ kind: 'failed', failures: 1, failure: { reason: 'NOT_A_FEED' } });
    let stored = (await service.list())[0]!;
    expect(stored).toMatchObject({
      etag: before.etag,
      lastSuccessAt: before.lastSuccessAt,
      consecutiveFailures: 1,
      lastFailureReason: 'NOT_A_FEED',
      nextAttemptAt: new Date(now.getTime() + 5 * MINUTE).toISOString(),
    });
    expect(await loadFeedArticles(store)).toEqual(articlesBefore);

    // Not due during the backoff: nothing is requested.
    const requests = server.requests.length;
    now = new Date(now.getTime() + 4 * MINUTE);
    round = await service.pollRound();
    expect(round.outcomes).toEqual([]);
    expect(round.waiting.map((f) => f.id)).toEqual([stored.id]);
    expect(server.requests.length).toBe(requests);

    now = new Date(now.getTime() + 1 * MINUTE);
    await service.pollRound();
    stored = (await service.list())[0]!;
    expect(stored.consecutiveFailures).toBe(2);
    expect(stored.nextAttemptAt).toBe(new Date(now.getTime() + 10 * MINUTE).toISOString());

    // It works again: the count resets.
    feed.set(wire(item(1, 'North Korea news')));
    now = new Date(now.getTime() + 10 * MINUTE);
    round = await service.pollRound();
    expect(round.outcomes[0]?.kind).toBe('nothing-new');
    expect((await service.list())[0]).toMatchObject({ consecutiveFailures: 0, enabled: true });
    expect((await service.list())[0]!.lastFailureReason).toBeUndefined();
  });

  it('honours Retry-After on a 429 when it asks for longer than the backoff', async () => {
    const { feed, service } = await failingFeed();
    feed.fail(429, 'slow down', { 'retry-after': '3600' });
    now = new Date(T0.getTime() + 10 * MINUTE);
    await service.pollRound();
    expect((await service.list())[0]).toMatchObject({
      consecutiveFailures: 1,
      lastFailureReason: 'RATE_LIMITED',
      nextAttemptAt: new Date(now.getTime() + 60 * MINUTE).toISOString(),
    });
  });

  it('is disabled after 11 failures in a row, and the admins are told where it was added', async () => {
    const { feed, service, added } = await failingFeed();
    feed.fail(500, 'internal error');
    for (let attempt = 1; attempt <= 11; attempt++) {
      const stored = (await service.list())[0]!;
      now = new Date(Math.max(now.getTime(), Date.parse(stored.nextAttemptAt!)));
      const round = await service.pollRound();
      expect(round.outcomes[0]).toMatchObject({ kind: 'failed', failures: attempt, disabled: attempt === 11 });
      if (attempt < 11) expect(posts).toEqual([]);
    }
    const disabled = (await service.list())[0]!;
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'HTTP_ERROR', consecutiveFailures: 11 });
    expect(disabled.nextAttemptAt).toBeUndefined();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.address).toBe('discord:chan-9');
    expect(posts[0]!.reply.title).toBe(`Feed disabled: ${added.feed.name}`);
    expect(posts[0]!.reply.text?.join(' ')).toContain('HTTP_ERROR');

    // Disabled feeds are not fetched again.
    const requests = server.requests.length;
    now = new Date(now.getTime() + 48 * 60 * MINUTE);
    const round = await service.pollRound();
    expect(round.outcomes).toEqual([]);
    expect(round.disabled.map((f) => f.id)).toEqual([disabled.id]);
    expect(server.requests.length).toBe(requests);
  });

  it('GIVEN a feed stored before channels were platform-qualified (a bare id beside its scope) WHEN it is disabled THEN the admins are told on that platform', async () => {
    const { feed, service } = await failingFeed({ addedInChannel: 'C0NEWS', scope: 'slack:T0TEAM' });
    feed.fail(500, 'internal error');
    for (let attempt = 1; attempt <= 11; attempt++) {
      const stored = (await service.list())[0]!;
      now = new Date(Math.max(now.getTime(), Date.parse(stored.nextAttemptAt!)));
      await service.pollRound();
    }
    expect(posts.map((p) => p.address)).toEqual(['slack:C0NEWS']);
  });
});

describe('GIVEN the bot restarts', () => {
  it('puts stored feed articles back into a fresh corpus', async () => {
    const feed = new FixtureFeed();
    feed.set(wire(item(1, 'Yongbyon reactor activity observed')));
    server.route('/wire', feed.handle);
    await addFeed(makeService(), '/wire');

    const restored = await loadFeedArticles(store);
    expect(restored).toHaveLength(1);
    const freshCorpus = createCorpus(restored);
    expect(freshCorpus.search('Yongbyon')[0]?.article.title).toBe('Yongbyon reactor activity observed');
  });

});

