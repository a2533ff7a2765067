import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/config.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { StoreError } from '../../src/store/store.ts';
import { rss, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

// The real composition root on a real SQLite file, restarted: what the
// extractor learnt from a feed article before the restart is still known
// after it, marked "extracted, unreviewed", and curated records are untouched.

const admin: Caller = { user: { id: 'U-admin', isAdmin: true }, channel: { id: 'slack:C-news', platform: 'slack' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'slack:C-news', platform: 'slack' } };

const OLD_ITEM = { title: 'Korea talks: a quiet week', guid: 'old', date: 'Mon, 01 Mar 2021 08:00:00 GMT', description: 'Nothing moved on the Korean peninsula.' };
const ENVOY_ITEM = {
  title: 'Seoul and Washington discuss an end-of-war declaration',
  guid: 'envoy',
  date: 'Fri, 05 Mar 2021 08:00:00 GMT',
  creator: 'Example Wire News',
  description:
    'South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration. The Stimson Center said in January that the talks could resume.',
};
const SANCTIONS_ITEM = {
  title: 'Korea sanctions review',
  guid: 'sanctions',
  date: 'Fri, 05 Mar 2021 09:00:00 GMT',
  description: 'Lindsey Ford of the Brookings Institution said on Wednesday that sanctions on North Korea would stay.',
};

let dir: string;
let server: LoopbackServer;
let feedBody: string;
let logLines: string[];
const open: Services[] = [];

/** The bot as `npm start` builds it, on the test's SQLite file; its log lines (warn and up) are kept. */
async function start(): Promise<Services> {
  const config = readConfig({
    STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
    DATA_DIR: join(import.meta.dirname, '..', '..', 'data'),
    FEED_ALLOWED_HOSTS: server.hostPort,
    FEED_TIMEOUT_MS: '2000',
  });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const services = await buildServices(config, createLogger('warn', sink));
  open.push(services);
  return services;
}

async function stop(services: Services): Promise<void> {
  open.splice(open.indexOf(services), 1);
  await services.close();
}

/** Registers the feed (its current items are a baseline), then publishes `items` and runs a poll round. */
async function pollNewItems(services: Services, items: Parameters<typeof rss>[0]): Promise<Article[]> {
  feedBody = rss([OLD_ITEM], 'Peninsula Wire');
  expect((await dispatchLine(services, `/feeds add url:${server.url('/wire.xml')}`, admin)).errorCode).toBeUndefined();
  feedBody = rss([...items, OLD_ITEM], 'Peninsula Wire');
  // Due now rather than after FEED_POLL_MINUTES.
  const [feed] = await services.feeds.list();
  await services.feeds.registry.save({ ...feed!, nextAttemptAt: undefined });
  const announced: Article[] = [];
  services.feeds.onNewArticles((articles) => void announced.push(...articles));
  const round = await services.feeds.pollRound();
  expect(round.newArticles).toBe(items.length);
  return announced;
}

const curated = (services: Services) => ({
  entities: services.knowledge.entities().filter((e) => e.status === 'curated'),
  events: services.knowledge.events().filter((e) => e.status === 'curated'),
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'armistice-extracted-'));
  logLines = [];
  server = await startLoopbackServer({
    '/wire.xml': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(feedBody);
    },
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const services of open.splice(0)) await services.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('extracted knowledge across a restart', () => {
  it('GIVEN a feed article ingested and the bot stopped WHEN it starts again on the same store THEN /whois and /timeline still show what was extracted, marked, and curated records are unchanged', async () => {
    const first = await start();
    const curatedBefore = structuredClone(curated(first));
    const [article] = await pollNewItems(first, [ENVOY_ITEM]);
    expect(renderPlainText(await dispatchLine(first, '/whois Sung Kim', member))).toContain('extracted, unreviewed');
    await stop(first);

    const second = await start();
    const whois = await dispatchLine(second, '/whois Sung Kim', member);
    expect(whois.title).toBe('Sung Kim');
    expect(renderPlainText(whois)).toContain('extracted, unreviewed');
    expect(whois.sources?.[0]).toMatchObject({ articleId: article!.id, title: ENVOY_ITEM.title, outlet: 'Example Wire News' });

    const timeline = await dispatchLine(second, '/timeline from:2021-03 to:2021-03', member);
    const thursday = timeline.items?.find((i) => i.title.startsWith('4 March 2021 — '));
    expect(thursday).toMatchObject({ note: 'extracted, unreviewed', sourceIds: [article!.id] });

    expect(curated(second)).toEqual(curatedBefore);
    expect(logLines).toEqual([]);
  });

  it('GIVEN a restart WHEN the same article is ingested again THEN nothing is added, in memory or in the store', async () => {
    const first = await start();
    const [article] = await pollNewItems(first, [ENVOY_ITEM]);
    await stop(first);

    const second = await start();
    const stored = await new ExtractedStore(second.store).loadAll();
    expect(stored.map((r) => r.articleId)).toEqual([article!.id]);
    const entities = second.knowledge.entities().length;
    const events = second.knowledge.events().length;

    expect(await second.knowledge.ingest(article!)).toEqual({ entities: [], events: [] });
    expect(second.knowledge.entities().length).toBe(entities);
    expect(second.knowledge.events().length).toBe(events);
    expect(await new ExtractedStore(second.store).loadAll()).toEqual(stored);
  });

  it('GIVEN the extractor fails on one article THEN it is logged and the other articles of the round are still mined', async () => {
    const first = await start();
    const ingest = KnowledgeBase.prototype.ingest;
    vi.spyOn(KnowledgeBase.prototype, 'ingest').mockImplementation(function (this: KnowledgeBase, article: Article) {
      if (article.title === ENVOY_ITEM.title) return Promise.reject(new Error('extractor bug'));
      return ingest.call(this, article);
    });
    const [envoy] = await pollNewItems(first, [SANCTIONS_ITEM, ENVOY_ITEM]);
    const failures = logLines.map((line) => JSON.parse(line) as { msg: string; articleId?: string });
    expect(failures).toEqual([expect.objectContaining({ msg: 'knowledge could not be extracted from a feed article', articleId: envoy!.id })]);
    expect(renderPlainText(await dispatchLine(first, '/whois Lindsey Ford', member))).toContain('extracted, unreviewed');
    expect(renderPlainText(await dispatchLine(first, '/news end-of-war declaration', member))).toContain(ENVOY_ITEM.title);
  });

  it('GIVEN the store fails while saving an extraction THEN it is logged, the round goes on, the article is searchable and the next article is kept', async () => {
    const first = await start();
    vi.spyOn(ExtractedStore.prototype, 'save').mockRejectedValueOnce(new StoreError('Could not write knowledge-extracted in the sqlite store: database is locked'));
    const [envoy, sanctions] = await pollNewItems(first, [SANCTIONS_ITEM, ENVOY_ITEM]);
    // Oldest first: the envoy article's save is the one that failed.
    expect([envoy!.title, sanctions!.title]).toEqual([ENVOY_ITEM.title, SANCTIONS_ITEM.title]);

    const failures = logLines.map((line) => JSON.parse(line) as { msg: string; articleId?: string });
    expect(failures).toEqual([expect.objectContaining({ msg: 'extracted knowledge could not be saved; it will be missing after a restart', articleId: envoy!.id })]);
    expect(renderPlainText(await dispatchLine(first, '/news end-of-war declaration', member))).toContain(ENVOY_ITEM.title);
    // In this run the extraction is still known.
    expect(renderPlainText(await dispatchLine(first, '/whois Sung Kim', member))).toContain('extracted, unreviewed');
    await stop(first);

    const second = await start();
    expect(renderPlainText(await dispatchLine(second, '/news end-of-war declaration', member))).toContain(ENVOY_ITEM.title);
    expect(await new ExtractedStore(second.store).loadAll()).toEqual([expect.objectContaining({ articleId: sanctions!.id })]);
    expect(renderPlainText(await dispatchLine(second, '/whois Lindsey Ford', member))).toContain('extracted, unreviewed');
  });
});
