import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from './cli.ts';

/**
 * The real `armistice start` in a child process, as an operator runs it, with
 * its JSON log lines (stderr) followed so a test can await "connected" or
 * "running" instead of sleeping.
 */
export interface BotProcess {
  child: ChildProcess;
  /** Every log line so far, parsed. Lines that are not JSON are kept as { msg }. */
  lines: Array<Record<string, unknown>>;
  /** The first log line whose msg contains `text`, logged before or after this call. */
  waitForLog(text: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The first log line matching, logged before or after this call (`what` names it in the error). */
  waitForLine(what: string, matches: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
// A failed test must not leave a bot running on the machine.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'armistice.mjs'), 'start'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', DATA_DIR: join(projectRoot, 'data'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const lines: Array<Record<string, unknown>> = [];
  const watchers = new Set<(line: Record<string, unknown>) => void>();
  createInterface({ input: child.stderr! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { msg: text };
    }
    lines.push(line);
    for (const watcher of [...watchers]) watcher(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  const waitForLog = (text: string, timeoutMs = 20_000) => waitForLine(`containing "${text}"`, (line) => String(line.msg ?? '').includes(text), timeoutMs);
  const waitForLine = (what: string, matches: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) => {
    const found = lines.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        watchers.delete(watcher);
      };
      const watcher = (line: Record<string, unknown>) => {
        if (!matches(line)) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the bot logged no line ${what} within ${timeoutMs} ms; its log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`));
      }, timeoutMs);
      watchers.add(watcher);
      // A bot that dies at start-up fails the wait at once, with its log.
      void exited.then(({ code, signal }) => {
        if (!watchers.has(watcher)) return;
        done();
        reject(new Error(`the bot exited (code ${code}, signal ${signal}) before logging a line ${what}; its log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`));
      });
    });
  };
  return { child, lines, waitForLog, waitForLine, exited };
}

/**
 * A port that was free a moment ago: listened on with port 0, then closed.
 * The bot's PORT=0 would pick one too, but the test could not learn which.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
