/**
 * /news latency on the real corpus and on 10,000 generated articles, and the
 * memory of the process holding the larger corpus. Run alone by bench/run.ts
 * (a fresh process), so the RSS is this corpus's own.
 *
 *   node bin/run-ts.mjs bench/run.ts news
 */
import news from '../commands/news.ts';
import { readConfig } from '../src/config.ts';
import { readCorpus } from '../src/corpus/load.ts';
import { createCorpus } from '../src/corpus/memory-corpus.ts';
import type { Corpus } from '../src/corpus/corpus.ts';
import type { Args, CommandContext } from '../src/router/command.ts';
import type { Services } from '../src/services.ts';
import { figure, percentile, rssMegabytes, type Figure } from './figures.ts';
import { generateArticles } from './generated-corpus.ts';

const QUERIES = [
  'peace treaty', 'armistice', 'Moon', 'Kim Jong Un', 'denuclearization', 'sanctions relief', 'Pompeo visit', 'DMZ peace zone',
  'summit', 'Hanoi', 'korea', 'end of war declaration', 'Bolton', 'civic groups', 'denucl', 'armistic', 'Pyongyng', 'liaison office',
  'United Nations', 'Women Cross DMZ', '',
];

export async function run(): Promise<Figure[]> {
  const seeds = (await readCorpus('data')).articles;
  const small = latencies(createCorpus(seeds), 50);
  const started = performance.now();
  const large = createCorpus([...seeds, ...generateArticles(seeds, 10_000)]);
  const buildMs = performance.now() - started;
  const big = latencies(large, 50);
  return [
    figure('/news p50, real corpus (5 articles)', percentile(small, 50), 'ms', 20),
    figure('/news p99, real corpus (5 articles)', percentile(small, 99), 'ms', 20),
    figure('/news p50, 10,000 articles', percentile(big, 50), 'ms', 20),
    figure('/news p99, 10,000 articles', percentile(big, 99), 'ms', 20),
    figure('index build, 10,000 articles', buildMs, 'ms', 10_000),
    figure('RSS with 10,000 articles loaded', rssMegabytes(), 'MB', 200),
  ];
}

/** Each query (and its second page) `rounds` times, timed one by one through the real command. */
function latencies(corpus: Corpus, rounds: number): number[] {
  const services = { corpus, config: readConfig({}) } as unknown as Services;
  const ctx: CommandContext = { services, user: { id: 'bench', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(), now: new Date() };
  const calls: Args[] = QUERIES.flatMap((query) => (query ? [{ query }, { query, page: 2 }] : [{}]));
  for (const args of calls) news.run!(ctx, args); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const args of calls) {
      const t = performance.now();
      news.run!(ctx, args);
      samples.push(performance.now() - t);
    }
  }
  return samples;
}
