/**
 * /ask latency on the real corpus and on 10,000 generated articles (the same
 * generator as /news: the seeds' sentences reshuffled, so most questions'
 * words are in thousands of articles). Each question goes through the real
 * command: search, sentence ranking, events, the reply. The knowledge base is
 * the curated one of data/knowledge.
 *
 *   node bin/run-ts.mjs bench/run.ts ask
 */
import ask from '../commands/ask.ts';
import { readConfig } from '../src/config.ts';
import type { Corpus } from '../src/corpus/corpus.ts';
import { readCorpus } from '../src/corpus/load.ts';
import { createCorpus } from '../src/corpus/memory-corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import type { CommandContext } from '../src/router/command.ts';
import type { Services } from '../src/services.ts';
import { contextFigure, figure, percentile, type Figure } from './figures.ts';
import { generateArticles } from './generated-corpus.ts';

const QUESTIONS = [
  'when did Trump and Kim meet at the DMZ?',
  'what is the Korea Peace Appeal?',
  'who called the end-of-war declaration an admirable idea?',
  'who is Moon?',
  'when was the armistice signed?',
  'what did Pompeo say about sanctions?',
  'who founded Women Cross DMZ?',
  'when did Moon call for a peace zone in the DMZ?',
  'why did the talks between the United States and North Korea break down?',
  'what happened in Hanoi?',
  'when were the liaison offices in Gaesong blown up?',
  'how many signatures does the peace appeal want by 2023?',
  'what is the peace treaty about?',
  'korea',
];

export async function run(): Promise<Figure[]> {
  const seeds = (await readCorpus('data')).articles;
  const knowledge = await loadKnowledgeBase('data');
  const small = latencies(createCorpus(seeds), knowledge, 50);
  const big = latencies(createCorpus([...seeds, ...generateArticles(seeds, 10_000)]), knowledge, 20);
  return [
    figure('/ask p50, real corpus (5 articles)', percentile(small.wall, 50), 'ms', 50),
    figure('/ask p99, real corpus (5 articles)', percentile(small.wall, 99), 'ms', 50),
    figure('/ask p50, 10,000 articles', percentile(big.wall, 50), 'ms', 50),
    figure('/ask p99, 10,000 articles', percentile(big.wall, 99), 'ms', 50),
    // On a shared machine the wall-clock tail is mostly waiting for a core; the CPU time is the work itself.
    contextFigure('/ask p99 CPU time, 10,000 articles', percentile(big.cpu, 99), 'ms'),
  ];
}

/** Each question `rounds` times, timed one by one through the real command: wall clock and CPU time (ms). */
function latencies(corpus: Corpus, knowledge: KnowledgeBase, rounds: number): { wall: number[]; cpu: number[] } {
  const services = { corpus, knowledge, config: readConfig({}) } as unknown as Services;
  const ctx: CommandContext = { services, user: { id: 'bench', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(), now: new Date() };
  for (const question of QUESTIONS) ask.run!(ctx, { question }); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const question of QUESTIONS) {
      const t = performance.now();
      const c = process.cpuUsage();
      ask.run!(ctx, { question });
      const used = process.cpuUsage(c);
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return { wall, cpu };
}
