/**
 * `npm run bench`: runs every benchmark, each in a fresh process (so one's
 * memory does not count against another) with the Node flags the bot runs
 * with (bot-flags.ts), and writes bench/results.json and
 * bench/results.md — the table README quotes.
 *
 *   npm run bench               every benchmark
 *   npm run bench -- news feeds only those (their rows are replaced, the others kept)
 *   npm run bench -- news-100k  one of issue 16's ten-times-the-load runs (SCALED below)
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { BOT_NODE_FLAGS } from './bot-flags.ts';
import { verdict, type Figure } from './figures.ts';

/** Issue 16's ten times the load: an existing benchmark's module run at a larger size, in its own process like the others. */
const SCALED: Record<string, { module: string; size: number }> = {
  'news-100k': { module: 'news', size: 100_000 },
  'knowledge-100k': { module: 'knowledge', size: 100_000 },
  'feeds-10k': { module: 'feeds', size: 10_000 },
  'schedule-100k': { module: 'schedule', size: 100_000 },
};
const BENCHMARKS = [
  'startup', 'news', 'news-100k', 'ask', 'knowledge', 'knowledge-100k', 'extractor-quality', 'extract-speed', 'feeds', 'feeds-10k', 'relevance-quality',
  'schedule', 'schedule-100k', 'discord', 'slack', 'fanout', 'dashboard', 'picture',
] as const;
const root = join(import.meta.dirname, '..');

interface Result {
  benchmark: string;
  figures: Figure[];
  error?: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    const scaled = SCALED[args[1]!];
    const { run } = (await import(`./${scaled?.module ?? args[1]}.ts`)) as { run(size?: number): Promise<Figure[]> };
    process.stdout.write(`${JSON.stringify(await (scaled ? run(scaled.size) : run()))}\n`);
    process.exit(0); // some benchmarks leave sockets behind; the figures are out
  }
  const chosen = args.length > 0 ? args : [...BENCHMARKS];
  const results: Result[] = [];
  for (const name of chosen) {
    process.stderr.write(`bench: ${name}…\n`);
    results.push(await runOne(name));
    const last = results.at(-1)!;
    for (const f of last.figures) process.stderr.write(`  ${f.informational ? 'info' : f.ok ? 'ok  ' : 'MISS'} ${f.name}: ${f.measured} ${f.unit} (target ${f.target})\n`);
    if (last.error) process.stderr.write(`  failed: ${last.error}\n`);
  }
  // A partial run (`npm run bench -- news`) updates its own rows and keeps the others.
  const previous = args.length > 0 ? await readPrevious() : [];
  const merged = [...previous.filter((p) => !chosen.includes(p.benchmark)), ...results].sort(
    (a, b) => BENCHMARKS.indexOf(a.benchmark as (typeof BENCHMARKS)[number]) - BENCHMARKS.indexOf(b.benchmark as (typeof BENCHMARKS)[number]),
  );
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)} at the end`;
  const when = new Date().toISOString();
  await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify({ when, machine, results: merged }, null, 2)}\n`);
  await writeFile(join(root, 'bench', 'results.md'), markdown(merged, machine, when));
  process.stderr.write('bench: wrote bench/results.json and bench/results.md\n');
}

async function readPrevious(): Promise<Result[]> {
  try {
    return (JSON.parse(await readFile(join(root, 'bench', 'results.json'), 'utf8')) as { results: Result[] }).results;
  } catch {
    return [];
  }
}

function runOne(name: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...BOT_NODE_FLAGS, join(root, 'bin', 'run-ts.mjs'), join(root, 'bench', 'run.ts'), '--one', name], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ benchmark: name, figures: JSON.parse(line) as Figure[] });
      } catch {
        resolve({ benchmark: name, figures: [], error: `exited with ${code}` });
      }
    });
  });
}

function markdown(results: Result[], machine: string, when: string): string {
  const rows = results.flatMap((r) =>
    r.error
      ? [`| ${r.benchmark} | — | — | failed: ${r.error} |`]
      : r.figures.map((f) => `| ${f.name} | ${f.target} | ${f.measured} ${f.unit} | ${verdict(f)} |`),
  );
  return [
    `Measured ${when} on ${machine}.`,
    '',
    '| figure | target | measured | met |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

await main();
