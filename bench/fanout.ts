import { once } from 'node:events';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { REST } from 'discord.js';
import { DiscordDouble } from '../test/support/discord-double.ts';
import { createLogger } from '../src/log.ts';
import { NotifierHub } from '../src/notify.ts';
import { createDiscordNotifier } from '../src/platform/discord/notifier.ts';
import { Schedule } from '../src/schedule/schedule.ts';
import { runTick } from '../src/schedule/run-tick.ts';
import type { LoggedArticle } from '../src/schedule/article-log.ts';
import type { Subscription } from '../src/schedule/subscription.ts';
import { openStore } from '../src/store/open.ts';
import { figure, type Figure } from './figures.ts';
import { tsWorkerUrl } from './ts-worker.ts';

/**
 * Fan-out: one scheduled tick posts the daily digest to 1,000 Discord
 * channels through the real path (runTick → NotifierHub → the Discord
 * notifier → discord.js's REST queue) to the Discord test double, which
 * enforces Discord's global limit of 50 requests per second with the
 * X-RateLimit headers and answers 429 (Retry-After, X-RateLimit-Global)
 * beyond it. Measured: the rate achieved over the whole tick (ledger and
 * cursor writes to SQLite included) against 90 % of the limit, and the 429s
 * the double had to send (a storm would be many; ≤ 1 % of the posts is the
 * target).
 *
 * discord.js sends a window's 50 requests, then waits for its window to end
 * plus a 50 ms margin: about 47.6 requests/s in the steady state. The
 * figure is over the whole tick, 20 windows of which the last does not wait
 * for its end, so it comes out a little higher (about 49.8/s).
 *
 * The double runs in a worker thread, as Discord runs elsewhere.
 */
const CHANNELS = 1000;
const LIMIT_PER_SECOND = 50;
const TOKEN = 'bench-token.not-a-secret';
/** 09:00 in Seoul, when every channel's daily digest is due. */
const AT = new Date('2026-07-27T00:00:00.000Z');

interface DoubleStats {
  channelPosts: number;
  channels: number;
  refused: number;
}

export async function run(): Promise<Figure[]> {
  const worker = new Worker(tsWorkerUrl(import.meta.url), { workerData: { role: 'fanout-double', limit: LIMIT_PER_SECOND } });
  const store = await openStore('sqlite::memory:');
  try {
    const [apiUrl] = (await once(worker, 'message')) as [string];
    const schedule = new Schedule(store, () => []);
    for (let i = 0; i < CHANNELS; i++) await schedule.subscriptions.save(subscription(i));
    await schedule.articles.record(articles());

    const log = createLogger('silent');
    const notifier = new NotifierHub();
    notifier.register(createDiscordNotifier(new REST({ api: apiUrl }).setToken(TOKEN), log));

    const started = performance.now();
    const report = await runTick({ schedule, notifier, log }, AT);
    const seconds = (performance.now() - started) / 1000;

    worker.postMessage('stats');
    const [stats] = (await once(worker, 'message')) as [DoubleStats];
    const sent = report.posts.filter((p) => p.outcome === 'sent').length;
    // The figures mean nothing unless every channel got its one digest message.
    if (sent !== CHANNELS || stats.channels !== CHANNELS || stats.channelPosts - stats.refused !== CHANNELS) {
      throw new Error(`fan-out bench: ${sent} posts sent, ${stats.channels} channels reached, ${stats.channelPosts - stats.refused} accepted; expected ${CHANNELS} of each`);
    }
    const admitted = stats.channelPosts - stats.refused;
    return [
      figure(
        `fan-out: digest to ${CHANNELS} Discord channels under a ${LIMIT_PER_SECOND} requests/s limit, achieved rate (${admitted} posts in ${seconds.toFixed(1)} s)`,
        admitted / seconds,
        'requests/s',
        LIMIT_PER_SECOND * 0.9,
        '≥',
      ),
      figure(`fan-out: 429 answers during the ${CHANNELS}-channel digest`, stats.refused, '429s', CHANNELS * 0.01),
    ];
  } finally {
    await store.close();
    await worker.terminate();
  }
}

function subscription(i: number): Subscription {
  return {
    channel: `discord:${900000000000100000n + BigInt(i)}`,
    guildId: String(900000000000000003n + BigInt(i % 20)),
    digest: 'daily',
    time: '09:00',
    timeZone: 'Asia/Seoul',
    reminders: false,
    createdBy: 'bench',
    createdAt: '2026-07-01T00:00:00.000Z',
    activeSince: '2026-07-01T00:00:00.000Z',
  };
}

/** A day's news: six articles, so the digest is one message. */
function articles(): LoggedArticle[] {
  const subjects = ['summit', 'peace treaty', 'DMZ guard posts', 'war remains', 'family reunions', 'sanctions'];
  return subjects.map((subject, i) => ({
    id: `feed:fanout-${i}`,
    title: `Officials discuss ${subject} in Seoul`,
    outlet: 'Yonhap',
    url: `https://news.example/fanout/${i}`,
    published: { year: 2026, month: 7, day: 26 },
    feedId: 'fanout',
    ingestedAt: new Date(AT.getTime() - 12 * 3_600_000 + i * 3_600_000).toISOString(),
    lead: `Officials discussed the ${subject} on Sunday, the agency said.`,
  }));
}

/** The worker's side: the rate-limited double; its counts on request. */
async function serveDouble(limit: number): Promise<void> {
  const double = await DiscordDouble.start({ token: TOKEN, rateLimit: { perSecond: limit } });
  parentPort!.on('message', () => {
    const posts = double.requests.filter((r) => r.method === 'POST' && /^\/api\/v10\/channels\/\d+\/messages$/.test(r.path));
    const stats: DoubleStats = {
      channelPosts: posts.length,
      channels: new Set(posts.map((r) => r.path)).size,
      refused: double.globalLimitHits,
    };
    parentPort!.postMessage(stats);
  });
  parentPort!.postMessage(double.apiUrl);
}

if (!isMainThread && workerData?.role === 'fanout-double') {
  await serveDouble(workerData.limit);
} else if (import.meta.filename === process.argv[1]) {
  for (const f of await run()) console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.name}: ${f.measured} ${f.unit} (target ${f.target})`);
}
