/**
 * How well the knowledge extractor does, on two sets, reported separately:
 *
 * - the five seed articles of data/corpus/, against the curated records of
 *   data/knowledge/ (bench/knowledge-eval/seeds.ts says how they serve as gold);
 * - the evaluation set of test/fixtures/knowledge-eval/: 30 real articles
 *   (2019–2025) with gold people, roles and dated events (its README says where
 *   they come from and how the gold was made).
 *
 *   node bin/run-ts.mjs bench/extractor-quality.ts [dataDir] [--verbose]
 *
 * and as part of `npm run bench` (its figures land in bench/results.json and
 * results.md). --verbose lists, per article, every false positive and miss.
 *
 * Each article goes through the project's extractor (extractFromArticle, as
 * KnowledgeBase.ingest runs it) with the curated knowledge base for lookup;
 * eval articles are built as feed articles are, with their outlet and date.
 * What counts as found: the known entities it links and the new ones it
 * proposes (places left out), and the events it dates.
 *
 * Matching rules (bench/knowledge-eval/score.ts holds them):
 * - Entities: names compared without case, spaces, hyphens, dots or diacritics
 *   ("Kim Yo-jong" = "Kim Yo Jong"), any name or alias against any. Each gold
 *   entity matches once; a second entry for it is a false positive. Places and
 *   the gold's `unscored` names count neither way. Kinds are not compared.
 * - Roles: of the gold people found whose article states a role, the share
 *   whose found roles have the gold's key title words (or a subset or superset
 *   of them), countries, nationalities and little words aside: "US Secretary
 *   of State" = "Secretary of State".
 * - Events: a found event matches a gold event of the same article when its
 *   date agrees to the gold's precision and its quote contains or lies within
 *   the gold quote — or, failing that, it shares a person or organisation and
 *   two content words with the gold event. One gold event, one match; a
 *   second find is a false positive.
 * - Dates right: matched events whose date equals the gold's, precision and all.
 * - Invented days: found events dated to a day that no gold event of the
 *   article has.
 * Targets (issue 15): entities precision ≥ 0.9, recall ≥ 0.8; roles ≥ 0.8;
 * events precision ≥ 0.85, recall ≥ 0.7; no invented day.
 */
import { formatPartialDate } from '../src/core/dates.ts';
import type { Article } from '../src/corpus/corpus.ts';
import { readCorpus } from '../src/corpus/load.ts';
import { extractFromArticle, type Extraction } from '../src/knowledge/extract.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { nameKey } from '../src/knowledge/normalize.ts';
import type { Entity } from '../src/knowledge/schema.ts';
import { contextFigure, figure, type Figure } from './figures.ts';
import { loadEvalSet } from './knowledge-eval/load.ts';
import { scoreArticle, type ArticleScore, type FoundEntity, type FoundEvent } from './knowledge-eval/score.ts';
import { seedEntityGold, seedEventGold } from './knowledge-eval/seeds.ts';

export interface Summary {
  label: string;
  articles: number;
  entities: { matched: number; falsePositives: number; missed: number };
  roles: { checked: number; right: number };
  events: { matched: number; falsePositives: number; gold: number; found: number; datesRight: number };
  invented: number;
  /** Per article (for the seeds, entities are in one extra score over all five). */
  scores: ArticleScore[];
  titles: Map<string, string>;
}

const names = (e: Entity) => [e.name, ...e.aliases.filter((a) => !a.ambiguous).map((a) => a.name)];

/**
 * What the extractor found, in the scorer's terms. The one place that knows
 * the shape of an Extraction: when the extractor's output grows (roles for
 * known people, say), this is what changes.
 */
export function foundIn(extraction: Extraction, kb: KnowledgeBase): { entities: FoundEntity[]; events: FoundEvent[] } {
  const fresh = new Map(extraction.entities.map((e) => [e.id, e]));
  const toFound = (e: Entity): FoundEntity => ({ name: e.name, names: names(e), kind: e.kind, roles: e.roles.map((r) => r.title) });
  const known = new Map(extraction.linked.flatMap((id) => kb.entity(id) ?? []).map((e) => [e.id, toFound(e)]));
  const entities: FoundEntity[] = [];
  for (const candidate of extraction.entities) {
    // A candidate the knowledge base knows by name is a claim on that entry (as ingest takes it): its roles join the entry's.
    const result = kb.lookup(candidate.name);
    if (result.kind === 'unknown') entities.push(toFound(candidate));
    else if (result.kind === 'found') {
      const entry = known.get(result.entity.id) ?? toFound(result.entity);
      entry.roles.push(...candidate.roles.map((r) => r.title));
      known.set(result.entity.id, entry);
    }
  }
  entities.unshift(...known.values());
  const events = extraction.events.map((event): FoundEvent => ({
    date: event.date,
    summary: event.summary,
    quote: event.sources[0]?.quote ?? event.summary,
    entities: event.entities.flatMap((id) => {
      const entity = kb.entity(id) ?? fresh.get(id);
      return entity ? [names(entity)] : [];
    }),
  }));
  return { entities, events };
}

const extract = (article: Article, kb: KnowledgeBase) => foundIn(extractFromArticle(article, (name) => kb.lookup(name)), kb);

function summarise(label: string, scores: ArticleScore[], articles: number, titles: Map<string, string>, goldEvents: number, foundEvents: number): Summary {
  const sum = (f: (s: ArticleScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  return {
    label,
    articles,
    entities: { matched: sum((s) => s.entities.matched), falsePositives: sum((s) => s.entities.falsePositives.length), missed: sum((s) => s.entities.missed.length) },
    roles: { checked: sum((s) => s.roles.checked), right: sum((s) => s.roles.right) },
    events: { matched: sum((s) => s.events.matched), falsePositives: sum((s) => s.events.falsePositives.length), gold: goldEvents, found: foundEvents, datesRight: sum((s) => s.events.datesRight) },
    invented: sum((s) => s.invented.length),
    scores,
    titles,
  };
}

export async function measureSeeds(dataDir: string): Promise<Summary> {
  const kb = await loadKnowledgeBase(dataDir);
  const { articles } = await readCorpus(dataDir);
  const entities = new Map<string, FoundEntity>();
  const scores: ArticleScore[] = [];
  const goldIds = new Set<string>();
  const foundIds = new Set<string>();
  for (const article of articles) {
    const found = extract(article, kb);
    for (const e of found.entities) if (!entities.has(nameKey(e.name))) entities.set(nameKey(e.name), e);
    const gold = seedEventGold(kb, article);
    gold.events.forEach((e) => goldIds.add(e.id!));
    const score = scoreArticle(article.id, gold, [], found.events);
    score.events.found.forEach((e) => foundIds.add(e.id!));
    // Entities are scored once over the five articles, below.
    scores.push({ ...score, entities: { matched: 0, falsePositives: [], missed: [] }, roles: { checked: 0, right: 0, wrong: [] } });
  }
  scores.push(scoreArticle('all seeds: people and organisations', seedEntityGold(kb), [...entities.values()], []));
  const titles = new Map(articles.map((a) => [a.id, a.title]));
  return summarise(`seeds (${articles.length} articles)`, scores, articles.length, titles, goldIds.size, foundIds.size);
}

export async function measureEvalSet(dataDir: string): Promise<Summary> {
  const kb = await loadKnowledgeBase(dataDir);
  const set = await loadEvalSet();
  const scores = set.map(({ article, gold }) => {
    const found = extract(article, kb);
    return scoreArticle(article.id, gold, found.entities, found.events);
  });
  const matched = scores.reduce((n, s) => n + s.events.matched, 0);
  const titles = new Map(set.map(({ article }) => [article.id, `${article.title} (${article.outlet}, ${formatPartialDate(article.published!)})`]));
  return summarise(`eval set (${set.length} articles)`, scores, set.length, titles, set.reduce((n, a) => n + a.gold.events.length, 0), matched);
}

const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
export const rates = (s: Summary) => ({
  entityPrecision: ratio(s.entities.matched, s.entities.matched + s.entities.falsePositives),
  entityRecall: ratio(s.entities.matched, s.entities.matched + s.entities.missed),
  roles: ratio(s.roles.right, s.roles.checked),
  eventPrecision: ratio(s.events.matched, s.events.matched + s.events.falsePositives),
  eventRecall: ratio(s.events.found, s.events.gold),
  datesRight: ratio(s.events.datesRight, s.events.matched),
});

/** `npm run bench`: the figures, held to the issue's targets. */
export async function run(): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const s of [await measureSeeds('data'), await measureEvalSet('data')]) {
    const r = rates(s);
    const name = (what: string) => `extractor, ${s.label}: ${what}`;
    out.push(
      figure(name('people/organisations precision'), 100 * r.entityPrecision, '%', 90, '≥'),
      figure(name('people/organisations recall'), 100 * r.entityRecall, '%', 80, '≥'),
      figure(name('roles right (people found)'), 100 * r.roles, '%', 80, '≥'),
      figure(name('events precision'), 100 * r.eventPrecision, '%', 85, '≥'),
      figure(name('events recall'), 100 * r.eventRecall, '%', 70, '≥'),
      contextFigure(name('dates right (matched events)'), 100 * r.datesRight, '%'),
      figure(name('invented days'), s.invented, 'events', 0, '≤'),
    );
  }
  return out;
}

const cell = (n: number, d: number) => (d === 0 ? 'n/a' : `${ratio(n, d).toFixed(2)} (${n}/${d})`);

function table(summaries: Summary[]): string[] {
  const header = ['', 'entities P', 'entities R', 'roles', 'events P', 'events R', 'dates right', 'invented days'];
  const rows = summaries.map((s) => [
    s.label,
    cell(s.entities.matched, s.entities.matched + s.entities.falsePositives),
    cell(s.entities.matched, s.entities.matched + s.entities.missed),
    cell(s.roles.right, s.roles.checked),
    cell(s.events.matched, s.events.matched + s.events.falsePositives),
    cell(s.events.found, s.events.gold),
    cell(s.events.datesRight, s.events.matched),
    String(s.invented),
  ]);
  rows.push(['target', '≥ 0.90', '≥ 0.80', '≥ 0.80', '≥ 0.85', '≥ 0.70', '—', '0']);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

const clip = (text: string, n = 100) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function misses(s: Summary): string[] {
  const lines = [`\n== ${s.label}: misses, article by article ==`];
  for (const a of s.scores) {
    const out: string[] = [];
    for (const f of a.entities.falsePositives) out.push(`  entity, false positive: "${f.name}" — ${f.why}`);
    for (const g of a.entities.missed) out.push(`  entity, missed: ${g.name} (${g.kind})`);
    for (const w of a.roles.wrong) out.push(`  role wrong: ${w.name} — gold "${w.gold.join('" or "')}", found ${w.found.length ? `"${w.found.join('", "')}"` : 'none'}`);
    for (const f of a.events.falsePositives) out.push(`  event, false positive: [${formatPartialDate(f.event.date)}] "${clip(f.event.quote)}" — ${f.why}`);
    for (const f of a.events.wrongDates) out.push(`  event, date wrong: [${formatPartialDate(f.event.date)}] "${clip(f.event.quote)}" — ${f.why}`);
    for (const g of a.events.missed) out.push(`  event, missed: [${formatPartialDate(g.date)}] ${g.summary}`);
    for (const f of a.invented) out.push(`  invented day: [${formatPartialDate(f.date)}] "${clip(f.quote)}"`);
    if (out.length > 0) lines.push(`${a.id} ${s.titles.get(a.id) ?? ''}`.trimEnd(), ...out);
  }
  return lines;
}

async function main(): Promise<void> {
  const dataDir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'data';
  const summaries = [await measureSeeds(dataDir), await measureEvalSet(dataDir)];
  console.log('Extractor quality (issue 15 targets in the last row)\n');
  for (const line of table(summaries)) console.log(line);
  if (process.argv.includes('--verbose')) for (const s of summaries) for (const line of misses(s)) console.log(line);
  else console.log('\n--verbose lists the false positives and misses, article by article.');
}

if (import.meta.filename === process.argv[1]) await main();
