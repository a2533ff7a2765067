/**
 * How long a running instance takes to apply a re-extracted article
 * (knowledge.replaceExtracted: the extracted records rebuilt from every held
 * extraction) with N article extractions held, next to restoring them at
 * start-up. Made-up extractions: one person (2000 distinct, so each is
 * claimed by N/2000 articles) and one dated event per article.
 * Standalone, not part of bench/run.ts: `node bin/run-ts.mjs bench/knowledge-replace.ts 10000`.
 */
import { loadKnowledgeBase, type IngestResult } from '../src/knowledge/knowledge-base.ts';
import type { Entity, KnowledgeEvent } from '../src/knowledge/schema.ts';
const N = Number(process.argv[2] ?? 10000);
const given = ['Min', 'Ji', 'Seo', 'Hyun', 'Anna', 'Mark', 'Sun', 'Tae', 'Paul', 'Lena', 'Chul', 'Yuna', 'Omar', 'Ines'];
const family = ['Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Shin', 'Smith', 'Garcia', 'Ivanov', 'Tanaka'];
const verbs = ['met envoys in Seoul', 'called for a peace treaty', 'visited the demilitarized zone', 'proposed rail links across the border', 'urged talks on denuclearization'];
const records: Array<IngestResult & { articleId: string; savedAt: string }> = [];
for (let i = 0; i < N; i++) {
  const articleId = `feed-${String(i).padStart(16, '0')}`;
  const p = i % 2000;
  const name = `${given[p % 14]} ${given[(p * 5) % 14]!.toLowerCase()}-${p} ${family[(p * 3) % 14]}`;
  const sources = [{ article: articleId, quote: `${name} said.` }];
  const year = 1950 + (i % 76), month = 1 + (i % 12);
  const entity: Entity = { id: `x-${articleId}-person-${p}`, name, kind: 'person', roles: [{ title: `Role ${i % 7}`, from: { year, month }, to: { year, month } }], description: `Role, as named in ${articleId}.`, aliases: [], related: [], sources, status: 'extracted' };
  const summary = `${name} ${verbs[i % 5]} in ${year}.`;
  const event: KnowledgeEvent = { id: `x-${articleId}-event-1`, date: { year, month }, derivation: 'stated', summary, entities: [entity.id], anniversary: false, sources: [{ article: articleId, quote: summary }], status: 'extracted' };
  records.push({ articleId, savedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(), entities: [entity], events: [event] });
}
const kb = await loadKnowledgeBase('data');
let t = performance.now();
kb.restoreExtracted(records);
console.log(`restore ${N} extractions: ${(performance.now() - t).toFixed(0)} ms; entities ${kb.entities().length}, events ${kb.events().length}`);
const times: number[] = [];
for (let k = 0; k < 5; k++) {
  const r = records[Math.floor(N / 2) + k]!;
  const changed = { ...r, entities: r.entities.map((e) => ({ ...e, roles: [{ title: `Improved role ${k}` }] })) };
  t = performance.now();
  kb.replaceExtracted([{ articleId: r.articleId, extraction: changed, savedAt: r.savedAt }]);
  times.push(performance.now() - t);
}
console.log(`replace one (rebuild), ms: ${times.map((x) => x.toFixed(0)).join(', ')}`);
t = performance.now();
const batch = records.slice(0, 500).map((r) => ({ articleId: r.articleId, extraction: { ...r, events: [] }, savedAt: r.savedAt }));
kb.replaceExtracted(batch);
console.log(`replace a batch of 500 (one rebuild): ${(performance.now() - t).toFixed(0)} ms`);
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
