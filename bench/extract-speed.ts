/**
 * How long the knowledge extractor takes on one 1,000-word article (issue
 * 15: ≤ 200 ms). The articles are real news text: the evaluation set's
 * articles (test/fixtures/knowledge-eval/) run together and cut into pieces
 * of 1,000 words at paragraph ends, each dated and looked up against the
 * curated knowledge as KnowledgeBase.ingest runs it. The first article
 * (compromise loading its lexicon) is reported apart.
 *
 *   node bin/run-ts.mjs bench/extract-speed.ts
 */
import type { Article } from '../src/corpus/corpus.ts';
import { extractFromArticle } from '../src/knowledge/extract.ts';
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { contextFigure, figure, percentile, type Figure } from './figures.ts';
import { loadEvalSet } from './knowledge-eval/load.ts';

const WORDS = 1000;

export async function run(): Promise<Figure[]> {
  const kb = await loadKnowledgeBase('data');
  const articles = thousandWordArticles((await loadEvalSet()).map((e) => e.article));
  const lookup = (name: string) => kb.lookup(name);
  const first = performance.now();
  extractFromArticle(articles[0]!, lookup);
  const firstMs = performance.now() - first;
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const article of articles) {
      const started = performance.now();
      extractFromArticle(article, lookup);
      samples.push(performance.now() - started);
    }
  }
  return [
    figure(`extractor, one ${WORDS}-word article, median (${articles.length} articles × 3)`, percentile(samples, 50), 'ms', 200),
    figure(`extractor, one ${WORDS}-word article, p95`, percentile(samples, 95), 'ms', 200),
    contextFigure('extractor, first article of a process (NLP libraries warming up)', firstMs, 'ms'),
  ];
}

/** The articles' paragraphs in order, cut into articles of about WORDS words (whole paragraphs, split if one is longer). */
function thousandWordArticles(sources: readonly Article[]): Article[] {
  const out: Article[] = [];
  let paragraphs: string[] = [];
  let words = 0;
  let from = sources[0]!;
  for (const source of sources) {
    for (const paragraph of source.paragraphs) {
      if (words === 0) from = source;
      paragraphs.push(paragraph);
      words += paragraph.split(/\s+/).length;
      if (words >= WORDS) {
        out.push({ ...from, id: `speed-${out.length}`, paragraphs, origin: 'feed' });
        paragraphs = [];
        words = 0;
      }
    }
  }
  return out;
}

if (process.argv[1]?.endsWith('extract-speed.ts')) {
  for (const f of await run()) console.log(`${f.informational ? 'info' : f.ok ? 'ok  ' : 'SLOW'} ${f.name}: ${f.measured} ${f.unit} (target ${f.target})`);
}
