/**
 * Writes generated articles into a SQLite store as feed batches, the way
 * feed polling leaves them for the next start-up, in a process of its own so
 * that writing them leaves nothing in the measured process's memory:
 *
 *   node bin/run-ts.mjs bench/generated-store.ts <sqlite file> <count>
 *
 * 100 feeds, batches of 25 articles, each batch ingested a minute after the last.
 */
import { readCorpus } from '../src/corpus/load.ts';
import type { Article } from '../src/corpus/corpus.ts';
import { saveFeedArticles } from '../src/feeds/feed-articles.ts';
import { openStore } from '../src/store/open.ts';
import { generateArticles } from './generated-corpus.ts';

const BATCH = 25;
const FEEDS = 100;

const [file, countText] = process.argv.slice(2);
const count = Number(countText);
if (!file || !Number.isInteger(count) || count <= 0) throw new Error('usage: generated-store.ts <sqlite file> <count>');
const seeds = (await readCorpus('data')).articles;
const store = await openStore(`sqlite://${file}`);
let at = Date.parse('2026-01-01T00:00:00Z');
let batch: Article[] = [];
const flush = async () => {
  const feedId = `bench-feed-${(at / 60_000) % FEEDS}`;
  const now = new Date(at);
  await saveFeedArticles(store, feedId, batch.map((article) => ({ ...article, feedId, ingestedAt: now.toISOString() })), false, now);
  batch = [];
  at += 60_000;
};
for (const article of generateArticles(seeds, count)) {
  batch.push(article);
  if (batch.length === BATCH) await flush();
}
if (batch.length > 0) await flush();
await store.close();
