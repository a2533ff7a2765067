/**
 * How well the knowledge extractor does on the five seed articles, measured
 * against the curated records of data/knowledge/:
 *
 *   npx tsx bench/extractor-quality.ts [dataDir]
 *
 * People and organisations: the extractor's mentions that name one (its
 * own classification by compromise, or a known name) are resolved to
 * canonical ids; a hit is a curated person or organisation. Unresolved
 * names it classifies as people/organisations are misses of precision.
 * Events: an extracted event matches a curated one when their dates overlap
 * and they share an entity.
 */
import { dateRange } from '../src/core/dates.ts';
import { readCorpus } from '../src/corpus/load.ts';
import { extractFromArticle, type Mention } from '../src/knowledge/extract.ts';
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { nameKey } from '../src/knowledge/normalize.ts';
import type { KnowledgeEvent } from '../src/knowledge/schema.ts';

const dataDir = process.argv[2] ?? 'data';
const { articles } = await readCorpus(dataDir);
const kb = await loadKnowledgeBase(dataDir);

const gold = new Set(kb.entities().filter((e) => e.kind !== 'place').map((e) => e.id));
const curatedEvents = kb.events();

interface Tally {
  predicted: Set<string>;
  ambiguous: number;
}

function tally(mentions: Mention[], onlyClassified: boolean): Tally {
  const predicted = new Set<string>();
  let ambiguous = 0;
  for (const mention of mentions) {
    if (onlyClassified && mention.kind !== 'person' && mention.kind !== 'organisation') continue;
    const result = kb.lookup(mention.text);
    if (result.kind === 'found') {
      if (result.entity.kind !== 'place' || onlyClassified) predicted.add(result.entity.id);
    } else if (result.kind === 'ambiguous') {
      ambiguous++;
    } else if (mention.kind === 'person' || mention.kind === 'organisation') {
      predicted.add(`new:${nameKey(mention.text)}`);
    }
  }
  return { predicted, ambiguous };
}

const allMentions: Mention[] = [];
const extractedEvents: KnowledgeEvent[] = [];
for (const article of articles) {
  const extraction = extractFromArticle(article, (name) => kb.lookup(name));
  allMentions.push(...extraction.mentions);
  extractedEvents.push(...extraction.events);
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
function report(label: string, t: Tally): void {
  const hits = [...t.predicted].filter((id) => gold.has(id));
  console.log(
    `${label}: precision ${pct(hits.length, t.predicted.size)} (${hits.length}/${t.predicted.size}), ` +
      `recall ${pct(hits.length, gold.size)} (${hits.length}/${gold.size})` +
      (t.ambiguous ? `; ${t.ambiguous} ambiguous mentions ("Kim") not counted` : ''),
  );
  const missed = [...gold].filter((id) => !t.predicted.has(id));
  const wrong = [...t.predicted].filter((id) => !gold.has(id));
  if (process.argv.includes('--verbose')) {
    console.log(`  missed: ${missed.join(', ')}`);
    console.log(`  not people/organisations of the curated set: ${wrong.join(', ')}`);
  }
}

console.log(`Extractor quality on ${articles.length} seed articles against ${gold.size} curated people/organisations and ${curatedEvents.length} curated events`);
report('People/organisations, compromise classification only', tally(allMentions, true));
report('People/organisations, full extractor (compromise + capitalised names linked by lookup)', tally(allMentions, false));

const overlaps = (a: KnowledgeEvent, b: KnowledgeEvent) => {
  const x = dateRange(a.date);
  const y = dateRange(b.date);
  return x.start <= y.end && y.start <= x.end;
};
const shares = (a: KnowledgeEvent, b: KnowledgeEvent) => a.entities.some((id) => b.entities.includes(id));
const correct = extractedEvents.filter((x) => curatedEvents.some((c) => overlaps(x, c) && shares(x, c)));
const found = curatedEvents.filter((c) => extractedEvents.some((x) => overlaps(x, c) && shares(x, c)));
console.log(
  `Events (date overlap + shared entity): precision ${pct(correct.length, extractedEvents.length)} (${correct.length}/${extractedEvents.length}), ` +
    `recall ${pct(found.length, curatedEvents.length)} (${found.length}/${curatedEvents.length})`,
);
if (process.argv.includes('--verbose')) {
  for (const x of extractedEvents.filter((e) => !correct.includes(e))) console.log(`  unmatched extracted: ${JSON.stringify(x.date)} ${x.summary.slice(0, 90)}`);
  for (const c of curatedEvents.filter((e) => !found.includes(e))) console.log(`  missed curated: ${c.id}`);
}
