import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readConfig } from '../../src/config.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { pollAsLeader, pollCli } from '../../src/feeds/poll/poll-command.ts';
import { LEADER_LEASE } from '../../src/schedule/scheduler.ts';
import { createLease } from '../../src/store/lease.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/open.ts';
import { runCli } from '../support/cli.ts';
import { loopbackResolver, rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

let server: LoopbackServer;
let feedBody = rss([{ title: 'Panmunjom talks scheduled', guid: 'p1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' }], 'Truce Village');

beforeAll(async () => {
  server = await startLoopbackServer({
    '/truce.xml': (req, res) => serve(feedBody)(req, res),
    '/broken.xml': serve('<html><body>gone</body></html>', { 'content-type': 'text/html' }),
  });
});
afterAll(() => server.close());

describe('pollCli (in process, with a clock)', () => {
  it('prints new articles, failures with their reason code and the next attempt', async () => {
    const store = await openStore('sqlite::memory:');
    let now = new Date('2024-06-01T00:00:00Z');
    const feeds = new FeedService({
      store,
      corpus: createCorpus([]),
      config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort }),
      log: createLogger('silent'),
      clock: () => now,
      resolver: loopbackResolver,
    });
    await feeds.add({ url: server.url('/truce.xml'), addedBy: 'a', addedInChannel: 'console' });
    const broken = await feeds.add({ url: server.url('/truce.xml?copy'), name: 'Broken copy', addedBy: 'a', addedInChannel: 'console' });
    if (!broken.ok) throw new Error(broken.message);
    // The copy's URL now serves a page, not a feed.
    server.route('/truce.xml', (req, res) =>
      req.url?.includes('copy') ? serve('<!DOCTYPE html><html></html>', { 'content-type': 'text/html' })(req, res) : serve(feedBody)(req, res),
    );
    feedBody = rss(
      [
        { title: 'Panmunjom talks end without agreement', guid: 'p2', date: 'Tue, 05 Mar 2024 08:00:00 GMT' },
        { title: 'Panmunjom talks scheduled', guid: 'p1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' },
      ],
      'Truce Village',
    );
    now = new Date(now.getTime() + 10 * 60_000);
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += d));
    expect(await pollCli({ feeds }, ['--once'], out)).toBe(0);
    expect(printed).toContain('Polled 2 feeds');
    expect(printed).toContain('1 new article, 1 failed.');
    expect(printed).toContain('Truce Village: 1 new article');
    expect(printed).toContain('+ Panmunjom talks end without agreement');
    expect(printed).toMatch(/Broken copy: FAILED NOT_A_FEED .* failure 1 in a row, next attempt \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 5 min\)/);
    await feeds.close();
    await store.close();
  });
});

describe('pollCli without --once', () => {
  it('keeps polling round after round until stopped', async () => {
    const store = await openStore('sqlite::memory:');
    const feeds = new FeedService({
      store,
      corpus: createCorpus([]),
      config: readConfig({}),
      log: createLogger('silent'),
      resolver: loopbackResolver,
    });
    const out = new PassThrough();
    const stop = new AbortController();
    let rounds = 0;
    out.on('data', (d: Buffer) => {
      rounds += (d.toString().match(/No feeds are registered/g) ?? []).length;
      if (rounds === 2) stop.abort();
    });
    expect(await pollCli({ feeds }, [], out, { roundEveryMs: 10, signal: stop.signal })).toBe(0);
    expect(rounds).toBe(2);
    await feeds.close();
    await store.close();
  });
});

describe('polling by hand on the store of a running bot', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'armistice-poll-lease-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function setUp(file: string) {
    const store = await openStore(`sqlite://${join(dir, file)}`);
    const feeds = new FeedService({
      store,
      corpus: createCorpus([]),
      config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort }),
      log: createLogger('silent'),
      resolver: loopbackResolver,
    });
    const added = await feeds.add({ url: server.url('/truce.xml'), name: 'Truce', addedBy: 'a', addedInChannel: 'console' });
    if (!added.ok) throw new Error(added.message);
    const output = new PassThrough();
    const printed = { text: '' };
    output.on('data', (d: Buffer) => (printed.text += d.toString()));
    return { store, feeds, feed: added.feed, output, printed, close: async () => (await feeds.close(), await store.close()) };
  }

  it('refuses while a bot holds the leader lease, says so, and fetches nothing', async () => {
    const { store, feeds, feed, output, printed, close } = await setUp('busy.sqlite');
    const bot = createLease(store, LEADER_LEASE, 'bot-host:4242:abcd1234');
    expect(await bot.acquire()).toBeDefined();

    expect(await pollAsLeader({ feeds, store }, ['--once'], output)).toBe(1);
    expect(printed.text).toContain('A bot sharing this store polls its feeds (bot-host:4242:abcd1234 holds the leader lease)');
    expect((await feeds.registry.get(feed.id))?.lastFetchAt).toBe(feed.lastFetchAt); // untouched
    expect((await store.leases.read(LEADER_LEASE))?.holder).toBe('bot-host:4242:abcd1234');
    await close();
  });

  it('holds the lease while it polls and lets it go after, so a bot can take over', async () => {
    const { store, feeds, output, printed, close } = await setUp('free.sqlite');
    const stop = new AbortController();
    const holders: Array<string | null | undefined> = [];
    output.on('data', async () => {
      holders.push((await store.leases.read(LEADER_LEASE))?.holder);
      stop.abort();
    });
    expect(await pollAsLeader({ feeds, store }, [], output, { roundEveryMs: 10, signal: stop.signal })).toBe(0);
    expect(printed.text).toContain('Polling feeds every minute');
    expect(holders[0]).toMatch(/:\d+:/); // this process, while it printed
    expect(await createLease(store, LEADER_LEASE, 'bot-host:1:after').acquire()).toBeDefined();
    await close();
  });

  it('stops polling when another process takes the lease over, and says so', async () => {
    const { store, feeds, output, printed, close } = await setUp('taken.sqlite');
    let takenOver = false;
    output.on('data', async () => {
      if (takenOver) return;
      takenOver = true;
      // As if this process had stalled past its lease and a bot had been elected meanwhile.
      const held = (await store.leases.read(LEADER_LEASE))!;
      await store.leases.release(LEADER_LEASE, held.holder, held.token);
      await store.leases.acquire(LEADER_LEASE, 'bot-host:7:elected', 60_000);
    });
    expect(await pollAsLeader({ feeds, store }, [], output, { roundEveryMs: 20, renewEveryMs: 20 })).toBe(0);
    expect(printed.text).toContain('Another process took over the leader lease: stopped polling.');
    expect((await store.leases.read(LEADER_LEASE))?.holder).toBe('bot-host:7:elected');
    await close();
  });
});

describe('npx armistice poll (the real command)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'armistice-poll-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says when no feed is registered', async () => {
    const run = await runCli(['poll', '--once'], { env: { STORE_URL: `sqlite://${join(dir, 'empty.sqlite')}` } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No feeds are registered');
  });

  it('polls what /feeds add registered in the same store, and says when the next feed is due', async () => {
    const env = { STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, FEED_ALLOWED_HOSTS: server.hostPort };
    const added = await runCli(['ask', `/feeds add url:${server.url('/truce.xml')} name:Truce`, '--admin'], { env });
    expect(added.stdout).toContain('Added feed “Truce”');
    const run = await runCli(['poll', '--once'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No feed was due.');
    expect(run.stdout).toMatch(/1 feed not due yet \(next .*\(in (9|10) min\)\)/);
  });

  it('exits 2 on misuse', async () => {
    const run = await runCli(['poll', '--sometimes']);
    expect(run.code).toBe(2);
  });
});
