/**
 * How well the topic filter (src/feeds/relevance.ts) tells items about the
 * Korean peace process and the two Koreas from the rest, on the labelled set
 * test/fixtures/relevance/labelled.yaml: the items of four real feeds
 * (../shared/peer-feeds/, read through the project's own decoder and parser)
 * and Korea-news look-alikes found with the search tool.
 *
 *   node bin/run-ts.mjs bench/relevance-quality.ts [--verbose]
 *
 * The filter runs as the bot runs it: with the names koreaEvidenceNames takes
 * from the curated knowledge base (data/knowledge/), no per-feed `about`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decodeFeedBytes } from '../src/feeds/fetch/charset.ts';
import { parseFeed } from '../src/feeds/parse/parse.ts';
import { createRelevanceTest, koreaEvidenceNames, type RelevanceInput } from '../src/feeds/relevance.ts';
import { readKnowledge } from '../src/knowledge/load.ts';
import { contextFigure, figure, type Figure } from './figures.ts';

const root = join(import.meta.dirname, '..');
const PEER_FEEDS = join(root, '..', 'shared', 'peer-feeds');

interface LabelledSet {
  feeds: Array<{ file: string; items: Array<{ identity: string; label: 'yes' | 'no' }> }>;
  items: Array<{ source: string; title: string; opening: string; label: 'yes' | 'no' }>;
}

interface Case {
  source: string;
  item: RelevanceInput;
  about: boolean;
}

async function labelledCases(): Promise<Case[]> {
  const set = parse(await readFile(join(root, 'test', 'fixtures', 'relevance', 'labelled.yaml'), 'utf8')) as LabelledSet;
  const cases: Case[] = [];
  for (const feed of set.feeds) {
    const { text } = decodeFeedBytes(await readFile(join(PEER_FEEDS, feed.file)));
    const parsed = await parseFeed(text, new Date());
    if (!parsed.ok) throw new Error(`${feed.file}: ${parsed.message}`);
    const byIdentity = new Map(parsed.feed.items.map((item) => [item.identity, item]));
    for (const { identity, label } of feed.items) {
      const item = byIdentity.get(identity);
      if (!item) throw new Error(`${feed.file}: no item ${identity}`);
      cases.push({ source: `${feed.file} ${identity}`, item: { title: item.title, paragraphs: item.paragraphs }, about: label === 'yes' });
    }
  }
  for (const entry of set.items) {
    cases.push({ source: entry.source, item: { title: entry.title, paragraphs: entry.opening ? [entry.opening] : [] }, about: entry.label === 'yes' });
  }
  return cases;
}

export async function run(verbose = false): Promise<Figure[]> {
  const cases = await labelledCases();
  const { entities } = await readKnowledge(join(root, 'data'));
  const relevant = createRelevanceTest({ entityNames: koreaEvidenceNames(entities) });
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const c of cases) {
    const said = relevant(c.item);
    if (said && c.about) truePositives++;
    if (said && !c.about) falsePositives++;
    if (!said && c.about) falseNegatives++;
    if (verbose && said !== c.about) console.log(`${said ? 'FALSE POSITIVE' : 'MISSED'}: ${c.item.title} (${c.source})`);
  }
  const precision = truePositives / (truePositives + falsePositives);
  const recall = truePositives / (truePositives + falseNegatives);
  return [
    figure('topic filter precision ("about Korea" that are)', precision, 'ratio', 0.95, '≥'),
    figure('topic filter recall (about Korea and found)', recall, 'ratio', 0.9, '≥'),
    contextFigure('labelled items (about Korea / not)', cases.length, `items (${truePositives + falseNegatives} / ${cases.length - truePositives - falseNegatives})`),
  ];
}

if (process.argv[1]?.endsWith('relevance-quality.ts')) {
  for (const f of await run(process.argv.includes('--verbose'))) console.log(`${f.ok ? 'ok  ' : 'MISS'} ${f.name}: ${f.measured} ${f.unit} (target ${f.target})`);
}
