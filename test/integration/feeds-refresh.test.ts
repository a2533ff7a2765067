import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { readConfig } from '../../src/config.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { pollAsLeader } from '../../src/feeds/poll/poll-command.ts';
import { createLogger } from '../../src/log.ts';
import { commandsToJSON } from '../../src/platform/discord/registration.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import { LEADER_LEASE } from '../../src/schedule/scheduler.ts';
import { createLease } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { runCli } from '../support/cli.ts';
import { makeTestServices } from '../support/services.ts';
import type { Services } from '../../src/services.ts';
import { loopbackResolver, rss, serve, startLoopbackServer, type Handler, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

/**
 * Poll now: `armistice poll --all` and `/feeds refresh [feed]` fetch
 * regardless of the poll interval, but a failure backoff or a server's
 * Retry-After still holds a feed back, and the reply says until when and why.
 */

const ONE = rss([{ title: 'Panmunjom talks scheduled', guid: 'p1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' }], 'Truce Village');
const TWO = rss(
  [
    { title: 'Panmunjom talks end without agreement', guid: 'p2', date: 'Tue, 05 Mar 2024 08:00:00 GMT' },
    { title: 'Panmunjom talks scheduled', guid: 'p1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' },
  ],
  'Truce Village',
);

let server: LoopbackServer;
let answer: Handler = serve(ONE);
let dir: string;
const fetchesOf = (path: string) => server.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  server = await startLoopbackServer({ '/truce.xml': (req, res) => answer(req, res) });
  dir = mkdtempSync(join(tmpdir(), 'armistice-refresh-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  answer = serve(ONE);
});

function feedService(store: Store, clock?: () => Date) {
  return new FeedService({
    store,
    corpus: createCorpus([]),
    config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort }),
    log: createLogger('silent'),
    resolver: loopbackResolver,
    clock,
  });
}

describe('npx armistice poll --all (the real command)', () => {
  it('GIVEN a feed just added WHEN `poll --once` says none was due THEN `poll --all` fetches it anyway', async () => {
    const env = { STORE_URL: `sqlite://${join(dir, 'cli.sqlite')}`, FEED_ALLOWED_HOSTS: server.hostPort };
    expect((await runCli(['ask', `/feeds add url:${server.url('/truce.xml')} name:Truce`, '--admin'], { env })).stdout).toContain('Added feed “Truce”');
    answer = serve(TWO);
    const once = await runCli(['poll', '--once'], { env });
    expect(once.stdout).toContain('No feed was due.');
    const before = fetchesOf('/truce.xml');

    const all = await runCli(['poll', '--all'], { env });
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('Polled 1 feed');
    expect(all.stdout).toContain('Truce: 1 new article');
    expect(all.stdout).toContain('+ Panmunjom talks end without agreement');
    expect(fetchesOf('/truce.xml')).toBe(before + 1);
  });
});

describe('poll --all on the store of a running bot', () => {
  it('GIVEN a bot holds the leader lease THEN it refuses (exit 1), says who polls, and fetches nothing', async () => {
    const store = await openStore(`sqlite://${join(dir, 'busy.sqlite')}`);
    const feeds = feedService(store);
    const added = await feeds.add({ url: server.url('/truce.xml'), name: 'Truce', addedBy: 'a', addedInChannel: 'console' });
    expect(added.ok).toBe(true);
    expect(await createLease(store, LEADER_LEASE, 'bot-host:4242:abcd1234').acquire()).toBeDefined();
    const before = fetchesOf('/truce.xml');
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => (printed += d.toString()));

    expect(await pollAsLeader({ feeds, store }, ['--all'], out)).toBe(1);
    expect(printed).toContain('bot-host:4242:abcd1234 holds the leader lease');
    expect(fetchesOf('/truce.xml')).toBe(before);
    await feeds.close();
    await store.close();
  });
});

describe('a forced round and the hold-backs', () => {
  let store: Store;
  let feeds: FeedService;
  let now: Date;
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    now = new Date('2024-06-01T00:00:00Z');
    feeds = feedService(store, () => now);
    const added = await feeds.add({ url: server.url('/truce.xml'), name: 'Truce', addedBy: 'a', addedInChannel: 'console' });
    expect(added.ok).toBe(true);
  });
  afterEach(async () => {
    await feeds.close();
    await store.close();
  });

  it('GIVEN the server asked to wait an hour (429 Retry-After) THEN a forced round does not fetch, and says until when and why', async () => {
    answer = serve('slow down', { 'retry-after': '3600', 'content-type': 'text/plain' }, 429);
    const first = await feeds.pollRound({ force: true });
    expect(first.outcomes.map((o) => o.kind)).toEqual(['failed']);
    const before = fetchesOf('/truce.xml');

    now = new Date(now.getTime() + 60_000);
    const refused = await feeds.refresh(await feeds.list());
    expect(fetchesOf('/truce.xml')).toBe(before);
    if (refused.kind !== 'fetched') throw new Error('expected the round to run here');
    expect(refused.summary.outcomes).toEqual([]);
    expect(refused.summary.heldBack.map((h) => [h.feed.name, h.hold.cause, h.hold.until.toISOString()])).toEqual([
      ['Truce', 'retry-after', '2024-06-01T01:00:00.000Z'],
    ]);
  });

  it('GIVEN a failure THEN a forced round waits for the backoff (5 min), then fetches', async () => {
    answer = serve('oops', { 'content-type': 'text/plain' }, 500);
    await feeds.pollRound({ force: true });
    const before = fetchesOf('/truce.xml');
    answer = serve(TWO);

    now = new Date(now.getTime() + 2 * 60_000);
    const held = await feeds.pollRound({ force: true });
    expect(fetchesOf('/truce.xml')).toBe(before);
    expect(held.heldBack.map((h) => h.hold.cause)).toEqual(['backoff']);

    now = new Date(now.getTime() + 4 * 60_000);
    const fetched = await feeds.pollRound({ force: true });
    expect(fetchesOf('/truce.xml')).toBe(before + 1);
    expect(fetched.outcomes.map((o) => o.kind)).toEqual(['new']);
  });
});

describe('/feeds refresh', () => {
  let services: Services;
  const admin: Caller = { user: { id: 'U-admin', isAdmin: true }, channel: { id: 'C-news', platform: 'slack' } };
  const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'C-news', platform: 'slack' } };
  const ask = (line: string, caller = admin) => dispatchLine(services, line, caller);

  beforeEach(async () => {
    services = await makeTestServices({ FEED_ALLOWED_HOSTS: server.hostPort });
    expect((await ask(`/feeds add url:${server.url('/truce.xml')} name:Truce`)).errorCode).toBeUndefined();
  });
  afterEach(() => services.close());

  it('GIVEN a feed just added WHEN an admin refreshes it THEN it is fetched now and the reply lists what came', async () => {
    answer = serve(TWO);
    const reply = await ask('/feeds refresh feed:Truce');
    expect(reply).toMatchObject({ title: 'Fetched 1 feed now', ephemeral: true });
    const text = renderPlainText(reply);
    expect(text).toContain('1 new article.');
    expect(text).toContain('+ Panmunjom talks end without agreement');
    // Searchable at once.
    expect(renderPlainText(await ask('/news end without agreement', member))).toContain('Panmunjom talks end without agreement');
  });

  it('GIVEN the server asks to wait THEN the second refresh says until when and why, and does not fetch', async () => {
    answer = serve('slow down', { 'retry-after': '7200', 'content-type': 'text/plain' }, 429);
    expect(renderPlainText(await ask('/feeds refresh'))).toContain('FAILED RATE_LIMITED');
    const before = fetchesOf('/truce.xml');
    const reply = await ask('/feeds refresh');
    expect(reply.title).toBe('No feed was fetched');
    expect(renderPlainText(reply)).toMatch(/Truce.*held back until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 2 h\): the server asked us to wait that long \(Retry-After\)/s);
    expect(fetchesOf('/truce.xml')).toBe(before);
  });

  it('GIVEN free text as Slack sends it (`/feeds refresh Truce`) THEN the feed is the positional argument', async () => {
    const before = fetchesOf('/truce.xml');
    const reply = await ask('/feeds refresh Truce');
    expect(reply.title).toBe('Fetched 1 feed now');
    expect(fetchesOf('/truce.xml')).toBe(before + 1);
  });

  it('GIVEN a member, or an unknown feed THEN it is refused with why', async () => {
    expect((await ask('/feeds refresh', member)).errorCode).toBeDefined();
    const unknown = await ask('/feeds refresh feed:Nowhere');
    expect(unknown.errorCode).toBe('UNKNOWN_FEED');
    expect(renderPlainText(unknown)).toContain('Feeds: Truce');
  });

  it('is declared once: the Discord registration carries the subcommand and its feed option', () => {
    const feeds = commandsToJSON(allCommands).find((c) => c.name === 'feeds') as { options: Array<{ name: string; options?: Array<{ name: string }> }> };
    const refresh = feeds.options.find((o) => o.name === 'refresh');
    expect(refresh?.options?.map((o) => o.name)).toEqual(['feed']);
  });
});

describe('/feeds refresh in the instance that polls', () => {
  it('GIVEN this process polls (it leads) THEN the refresh runs here, at once, without touching the lease', async () => {
    const store = await openStore('sqlite::memory:');
    const feeds = feedService(store);
    const added = await feeds.add({ url: server.url('/truce.xml'), name: 'Truce', addedBy: 'a', addedInChannel: 'console' });
    if (!added.ok) throw new Error(added.message);
    // The lease record as this process's own leadership loop would hold it (another holder id than a one-off lease).
    expect(await createLease(store, LEADER_LEASE, 'this-host:1:leader').acquire()).toBeDefined();
    const stopPolling = feeds.startPolling(60_000);
    answer = serve(TWO);
    const result = await feeds.refresh([added.feed]);
    expect(result.kind).toBe('fetched');
    if (result.kind === 'fetched') expect(result.summary.outcomes.map((o) => o.kind)).toEqual(['new']);
    expect((await store.leases.read(LEADER_LEASE))?.holder).toBe('this-host:1:leader');
    stopPolling();
    // Once it stops polling, a refresh no longer runs here while the lease is held elsewhere.
    expect((await feeds.refresh([added.feed])).kind).toBe('requested');
    await feeds.close();
    await store.close();
  });
});

describe('/feeds refresh in an instance that does not poll, while another leads', () => {
  it('GIVEN the leader lease is held elsewhere THEN the reply says the polling instance was asked, and its next round fetches the feed though not due', async () => {
    const file = `sqlite://${join(dir, 'shared.sqlite')}`;
    const followerStore = await openStore(file);
    const leaderStore = await openStore(file);
    const follower = feedService(followerStore);
    const leader = feedService(leaderStore);
    const added = await follower.add({ url: server.url('/truce.xml'), name: 'Truce', addedBy: 'a', addedInChannel: 'console' });
    if (!added.ok) throw new Error(added.message);
    expect(await createLease(leaderStore, LEADER_LEASE, 'leader-host:1:abcdef').acquire()).toBeDefined();
    answer = serve(TWO);
    const before = fetchesOf('/truce.xml');

    const result = await follower.refresh([added.feed]);
    expect(result).toMatchObject({ kind: 'requested', holder: 'leader-host:1:abcdef' });
    expect(fetchesOf('/truce.xml')).toBe(before);

    // The leader's ordinary round (the feed is not due for another 10 minutes).
    const round = await leader.pollRound();
    expect(round.outcomes.map((o) => [o.feed.name, o.kind])).toEqual([['Truce', 'new']]);
    // Taken once: the round after does not fetch it again.
    expect((await leader.pollRound()).outcomes).toEqual([]);
    await Promise.all([follower.close(), leader.close()]);
    await Promise.all([followerStore.close(), leaderStore.close()]);
  });
});
