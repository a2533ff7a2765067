import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { request } from 'undici';
import { readConfig } from '../src/config.ts';
import { createCorpus } from '../src/corpus/memory-corpus.ts';
import { FeedService } from '../src/feeds/feed-service.ts';
import { feedIdFor } from '../src/feeds/feed-registry.ts';
import { createLogger } from '../src/log.ts';
import { openStore } from '../src/store/open.ts';
import { contextFigure, figure, rssMegabytes, type Figure } from './figures.ts';

/**
 * Feeds at scale: 1,000 feeds × 50 items (10,000 for feeds-10k, issue 16's
 * ten times the load) served gzipped by a loopback
 * server in a child process (so its memory and CPU are not the bot's),
 * spread over SITES ports, i.e. SITES hosts, as real feeds come from many
 * sites (the poller sends one request at a time per host).
 *
 * Every feed starts with a seen history at the cap, as after months of
 * polling (feeds-history.ts), in a SQLite file, as in production.
 *
 * - first round: every feed fetched and parsed, every item new (no
 *   baseline): the relevant half cleaned, stored and indexed;
 * - a round of 304s: the same feeds, all unchanged;
 * - steady state, the poll the CPU target is about: rounds in which every
 *   feed gained 5 items of its 50, the bot's CPU per feed against
 *   rss-parser alone parsing the same documents;
 * - the process's peak RSS through all of it.
 */

const root = join(import.meta.dirname, '..');
const ITEMS = 50;
const SITES = 10;

/** The targets per number of feeds: 1,000 (README's first table) and 10,000 (issue 16's ten times the load, no RSS target). */
const TARGETS: Record<number, { firstS: number; unchangedS: number; peakRssMb?: number; changedRounds: number; settlingRounds: number }> = {
  1000: { firstS: 20, unchangedS: 3, peakRssMb: 300, changedRounds: 5, settlingRounds: 2 },
  // At 10,000: fewer changed rounds, each taking ten times as long. Writing the seen history first takes ~3 of
  // the run's ~6.5 minutes on 2 cores; it is kept, since the changed-feed CPU depends on it.
  10_000: { firstS: 120, unchangedS: 15, changedRounds: 3, settlingRounds: 1 },
};

// The fixture server, run with `node -e` in a child process.
const serverSource = (FEEDS: number) => `
const http = require('node:http');
const zlib = require('node:zlib');
const FEEDS = ${FEEDS}, ITEMS = ${ITEMS}, SITES = ${SITES};
const lorem = 'Officials said the meeting covered the schedule of further talks, humanitarian exchanges and the reconnection of roads and railways across the border. ';
let version = 0;
// Version v of feed i holds items v*NEW .. v*NEW+ITEMS-1, newest first: each /advance brings NEW new items per feed.
const NEW = 5;
function feed(i) {
  let items = '';
  for (let k = ITEMS - 1; k >= 0; k--) {
    const j = version * NEW + k;
    const korea = (i + j) % 2 === 0;
    const title = korea ? 'North Korea and South Korea envoys meet at Panmunjom, round ' + i + '-' + j : 'Market report ' + i + '-' + j + ': shares close higher in Frankfurt';
    const date = new Date(Date.UTC(2024, 2, 1) + (i * ITEMS + j) * 60000).toUTCString();
    items += '<item><title>' + title + '</title><link>https://site' + (i % SITES) + '.example/story/' + i + '/' + j + '</link><guid isPermaLink="false">f' + i + '-i' + j + '</guid><pubDate>' + date + '</pubDate><description>&lt;p&gt;' + lorem + '&lt;/p&gt;&lt;p&gt;' + lorem + '&lt;/p&gt;</description></item>\\n';
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\\n<rss version="2.0"><channel><title>Site ' + i + '</title><link>https://site' + i + '.example/</link><description>Bench feed</description>\\n' + items + '</channel></rss>\\n';
}
let bodies = [];
const build = () => { bodies = []; for (let i = 0; i < FEEDS; i++) bodies.push(zlib.gzipSync(feed(i))); };
build();
const ports = [];
let listening = 0;
for (let s = 0; s < SITES; s++) {
  const server = http.createServer((req, res) => {
    if (req.url === '/advance') { version++; build(); return res.end('ok'); }
    const i = Number((req.url || '').split('/')[2]);
    const etag = '"f' + i + '-v' + version + '"';
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); return res.end(); }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-encoding': 'gzip', etag });
    res.end(bodies[i]);
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => {
    ports[s] = server.address().port;
    if (++listening === SITES) process.stdout.write(JSON.stringify(ports) + '\\n');
  });
}
`;

async function startServer(feeds: number): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, ['-e', serverSource(feeds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, ports: JSON.parse(line.toString()) as number[] };
}

/**
 * BENCH_PROFILE=file.cpuprofile writes a CPU profile of one round (open it in
 * Chrome DevTools); BENCH_PROFILE_ROUND picks it: changed (default) or first.
 */
async function startProfile(round: 'first' | 'changed'): Promise<{ stop(): Promise<void> } | undefined> {
  const file = process.env.BENCH_PROFILE;
  if (!file || (process.env.BENCH_PROFILE_ROUND ?? 'changed') !== round) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

export async function run(feeds = Number(process.env.BENCH_FEEDS ?? 1000)): Promise<Figure[]> {
  const FEEDS = feeds;
  const target = TARGETS[FEEDS];
  if (!target) throw new Error(`no targets for ${FEEDS} feeds`);
  const { changedRounds: CHANGED_ROUNDS, settlingRounds: SETTLING_ROUNDS } = target;
  const { child, ports } = await startServer(FEEDS);
  const dir = mkdtempSync(join(tmpdir(), 'armistice-bench-feeds-'));
  const file = join(dir, 'bench.sqlite');
  const store = await openStore(`sqlite://${file}`);
  const corpus = createCorpus([]);
  let now = new Date('2024-06-01T00:00:00Z');
  const urls = Array.from({ length: FEEDS }, (_, i) => `http://127.0.0.1:${ports[i % SITES]}/feed/${i}`);
  const service = new FeedService({
    store,
    corpus,
    config: readConfig({ FEED_ALLOWED_HOSTS: ports.map((p) => `127.0.0.1:${p}`).join(','), STORE_URL: 'sqlite::memory:' }),
    log: createLogger('silent'),
    clock: () => now,
  });
  let peakRss = rssMegabytes();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMegabytes())), 50);
  try {
    // Registered, never fetched: the first round fetches them all.
    for (const [i, url] of urls.entries()) {
      await service.registry.save({
        id: feedIdFor(url),
        url,
        name: `Site ${i}`,
        about: [],
        addedBy: 'bench',
        addedInChannel: 'console',
        addedAt: now.toISOString(),
        enabled: true,
        consecutiveFailures: 0,
      });
    }

    // Each feed has been watched for months: its seen history, written by another process (see feeds-history.ts).
    const seedStarted = performance.now();
    const seeder = spawn(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join(root, 'bench', 'feeds-history.ts'), file, now.toISOString(), ...urls.map(feedIdFor)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const [status] = (await once(seeder, 'exit')) as [number | null];
    if (status !== 0) throw new Error(`writing the seen history failed (exit ${status})`);
    console.error(`feeds bench: seen history of ${FEEDS} feeds written in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const firstProfile = await startProfile('first');
    const cpuBefore = process.cpuUsage();
    let started = performance.now();
    const first = await service.pollRound();
    const firstMs = performance.now() - started;
    const firstCpuMs = cpuMs(process.cpuUsage(cpuBefore));
    await firstProfile?.stop();
    const newArticles = first.newArticles;
    const failed = first.outcomes.filter((o) => o.kind !== 'new').length;
    if (failed > 0 || first.outcomes.length !== FEEDS) throw new Error(`first round: ${failed} feeds without new items out of ${first.outcomes.length}`);

    now = new Date(now.getTime() + 11 * 60_000);
    started = performance.now();
    const second = await service.pollRound();
    const secondMs = performance.now() - started;
    if (second.outcomes.some((o) => o.kind !== 'unchanged')) throw new Error('the second round should be all 304s');

    peakRss = Math.max(peakRss, rssMegabytes());

    // Steady state: rounds in which every feed changed, 5 new items of 50 each. Several rounds, and the median
    // taken, because one round's CPU moves by ±10 % with where the garbage collector and SQLite's checkpoints fall.
    // The first SETTLING_ROUNDS are not counted: the history written in bulk leaves many feeds' recent marks due
    // for a merge at their next change, all at once, and the first round's garbage is still being collected.
    const changedPerFeed: number[] = [];
    let changedArticles = 0;
    for (let round = -SETTLING_ROUNDS; round < CHANGED_ROUNDS; round++) {
      await (await request(`http://127.0.0.1:${ports[0]}/advance`)).body.text();
      now = new Date(now.getTime() + 11 * 60_000);
      const changedProfile = round === CHANGED_ROUNDS - 1 ? await startProfile('changed') : undefined;
      const changedCpuBefore = process.cpuUsage();
      const changed = await service.pollRound();
      const perFeed = cpuMs(process.cpuUsage(changedCpuBefore)) / FEEDS;
      await changedProfile?.stop();
      if (changed.outcomes.some((o) => o.kind !== 'new')) throw new Error('every feed should have new items in a changed round');
      if (round >= 0) changedPerFeed.push(perFeed);
      if (round >= 0) changedArticles += changed.newArticles;
      peakRss = Math.max(peakRss, rssMegabytes());
    }
    clearInterval(sampler);

    // rss-parser alone on the documents of the last round (the bytes fetched outside the measurement), warm; median of three passes.
    const texts: string[] = [];
    for (const url of urls) {
      const response = await request(url);
      texts.push(gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8'));
    }
    const parser = new Parser();
    for (const text of texts) await parser.parseString(text);
    const parserPasses: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const parseBefore = process.cpuUsage();
      for (const text of texts) await parser.parseString(text);
      parserPasses.push(cpuMs(process.cpuUsage(parseBefore)) / FEEDS);
    }
    const parserPerFeed = median(parserPasses);

    const firstPerFeed = firstCpuMs / FEEDS;
    const ms = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');
    console.error(
      `feeds bench: ${FEEDS} feeds × ${ITEMS} items on ${SITES} hosts; first round ${newArticles} relevant articles stored and indexed, ` +
        `${firstPerFeed.toFixed(2)} ms CPU/feed; ${CHANGED_ROUNDS} changed rounds (5 new items/feed, ${changedArticles} articles in all) ` +
        `${ms(changedPerFeed)} ms CPU/feed; rss-parser alone ${ms(parserPasses)} ms CPU/feed`,
    );
    const at = FEEDS === 1000 ? '' : `, ${FEEDS} feeds`;
    return [
      figure(`feeds: first round, ${FEEDS} feeds × ${ITEMS} items`, firstMs / 1000, 's', target.firstS),
      figure(`feeds: round of ${FEEDS} 304s`, secondMs / 1000, 's', target.unchangedS),
      figure(`feeds: CPU per changed feed (5 new items; median of ${CHANGED_ROUNDS} rounds${at}) ÷ rss-parser alone`, median(changedPerFeed) / parserPerFeed, '×', 1.5),
      // Not the poll the target is about: every item is new, so the round ingests (cleans, stores, indexes) 25 articles per
      // feed and merges each feed's seen history, none of which parsing alone does. README discusses it.
      contextFigure(`feeds: CPU per feed in the first round (50 new items, 25 articles ingested${at}) ÷ rss-parser alone`, firstPerFeed / parserPerFeed, '×'),
      target.peakRssMb === undefined
        ? contextFigure(`feeds: peak RSS, ${FEEDS} feeds (${newArticles + changedArticles} articles ingested)`, peakRss, 'MB')
        : figure('feeds: peak RSS', peakRss, 'MB', target.peakRssMb),
    ];
  } finally {
    clearInterval(sampler);
    await service.close();
    await store.close();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
