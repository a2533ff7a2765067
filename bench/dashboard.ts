/**
 * The dashboard's Feeds page for a server with 1,000 feeds: the whole GET
 * over loopback HTTP (session lookup, reading the feeds from the store,
 * filtering, sorting, rendering, escaping), through the real services on
 * SQLite, and the rendering alone. Run alone by bench/run.ts.
 *
 *   npm run bench -- dashboard
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { buildServices } from '../src/main.ts';
import { dashboardRequestListener, withDashboard } from '../src/dashboard/app.ts';
import { feedsBody, parseFeedQuery } from '../src/dashboard/feeds-page.ts';
import { page } from '../src/dashboard/layout.ts';
import { Sessions } from '../src/dashboard/sessions.ts';
import { feedIdFor, type FeedRecord } from '../src/feeds/feed-registry.ts';
import { contextFigure, figure, percentile, type Figure } from './figures.ts';

const FEEDS = 1000;
const SCOPE = 'discord:100000000000000001';

export async function run(): Promise<Figure[]> {
  let handler: Parameters<typeof createServer>[1];
  const server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = readConfig({ STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', PUBLIC_URL: origin });
  const services = await buildServices(config, createLogger('silent'));
  handler = withDashboard(dashboardRequestListener(services));

  const now = Date.now();
  for (let i = 0; i < FEEDS; i++) await services.feeds.registry.save(feedRecord(i, now));
  const grant = { scope: SCOPE, channel: { id: '200000000000000001', platform: 'discord' as const, guildId: '100000000000000001' }, user: { id: 'bench' } };
  // A session as sign-in makes one (the link round trip is not what is measured).
  const { id, session } = await new Sessions(services.store).start(grant);
  const cookie = `armistice_dashboard=${id}`;

  const views = ['', '?sort=failures&dir=desc', '?state=failing', '?q=wire+1', '?sort=nextAttempt'];
  const get = async (query: string) => {
    const res = await fetch(`${origin}/dashboard/feeds${query}`, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200 || (query === '' && !body.includes('1000 feeds'))) throw new Error(`unexpected answer ${res.status}`);
    return body.length;
  };
  for (let i = 0; i < 20; i++) await get(views[i % views.length]!); // warm-up
  const http: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const size = await get(views[i % views.length]!);
    http.push(performance.now() - t);
    if (i === 0) bytes = size;
  }

  const all = await services.feeds.list();
  const render: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t = performance.now();
    String(await page({ title: 'Feeds', session, body: feedsBody(all, parseFeedQuery({}), session) }));
    if (i >= 20) render.push(performance.now() - t);
  }
  server.closeAllConnections();
  server.close();
  await services.close();
  return [
    figure('feeds page, 1,000 feeds: GET p50 (loopback HTTP, SQLite)', percentile(http, 50), 'ms', 100),
    figure('feeds page, 1,000 feeds: GET p99 (loopback HTTP, SQLite)', percentile(http, 99), 'ms', 100),
    figure('feeds page, 1,000 feeds: rendering alone p99', percentile(render, 99), 'ms', 100),
    contextFigure('feeds page, 1,000 feeds: HTML size', bytes / 1024, 'KiB'),
  ];
}

/** A varied server: most feeds healthy, some failing, some disabled, names and topics with text to escape. */
function feedRecord(i: number, now: number): FeedRecord {
  const url = `https://news${i % 50}.example.org/feeds/${i}.xml`;
  const failing = i % 10 === 3;
  const disabled = i % 25 === 7;
  return {
    id: feedIdFor(url),
    url,
    name: `Peninsula <wire> ${i} & “friends”`,
    about: i % 3 === 0 ? ['summit', 'armistice'] : [],
    addedBy: 'bench',
    addedInChannel: '200000000000000001',
    addedAt: new Date(now - i * 60_000).toISOString(),
    scope: SCOPE,
    enabled: !disabled,
    ...(disabled ? { disabledReason: 'NOT_A_FEED' as const } : {}),
    consecutiveFailures: failing || disabled ? (i % 11) + 1 : 0,
    ...(failing || disabled ? { lastFailureReason: 'HTTP_ERROR' as const, lastFailureMessage: 'the server answered 503' } : {}),
    lastFetchAt: new Date(now - (i % 60) * 60_000).toISOString(),
    lastSuccessAt: new Date(now - (i % 90) * 60_000).toISOString(),
    ...(i % 4 === 0 ? { lastNewItemAt: new Date(now - i * 3_600_000).toISOString() } : {}),
    nextAttemptAt: new Date(now + (i % 30) * 60_000).toISOString(),
  };
}
