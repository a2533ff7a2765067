import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BOT_NODE_FLAGS } from './bot-flags.ts';
import { figure, percentile, type Figure } from './figures.ts';

const root = join(import.meta.dirname, '..');

/**
 * Start-to-first-answer: the time from spawning `armistice start` with
 * "/help" on stdin to the first byte of the answer on stdout, as a user of
 * `echo "/help" | npm start` waits for it (npm's own start-up excluded).
 * The shipped path: dist/ is built first when it is missing or stale, as
 * `npm start`'s prestart does, and the bin then runs the compiled JavaScript.
 */
export async function run(runs = 7): Promise<Figure[]> {
  const build = spawnSync(process.execPath, [join(root, 'bin', 'build.mjs'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed; the shipped path cannot be measured');
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await firstAnswerMs());
  return [
    figure('start to first answer (median)', percentile(samples, 50), 'ms', 300),
    figure('start to first answer (worst)', Math.max(...samples), 'ms', 300),
  ];
}

function firstAnswerMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...BOT_NODE_FLAGS, join(root, 'bin', 'armistice.mjs'), 'start'], {
      cwd: root,
      env: { ...process.env, STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let answered = false;
    child.stdout.once('data', () => {
      answered = true;
      resolve(performance.now() - started);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!answered) reject(new Error(`armistice exited with ${code} before answering`));
    });
    child.stdin.end('/help\n');
  });
}
