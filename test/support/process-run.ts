import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startBotProcess, type BotProcess } from './bot-process.ts';

/**
 * What a test file running `armistice start` as processes owns: a scratch
 * folder for the SQLite files, the bot processes, and the platform doubles
 * they talk to. After the file's tests every bot still running is killed
 * (and awaited), then every double is closed and the folder removed, so a
 * failed test leaves nothing behind.
 */
export interface ProcessRun {
  /** A `sqlite://` URL for `file` in the scratch folder. */
  storeUrl(file: string): string;
  /** startBotProcess, the process ended after the file's tests. */
  start(env: Record<string, string>): BotProcess;
  /** Closes `double` after the file's tests, once the bots are gone; returns it. */
  own<D extends { close(): Promise<void> }>(double: D): D;
}

/** Call at the top of a test file; `prefix` names the scratch folder. */
export function processRun(prefix: string): ProcessRun {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const bots: BotProcess[] = [];
  const doubles: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const bot of bots) bot.child.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    for (const double of doubles) await double.close();
    rmSync(scratch, { recursive: true, force: true });
  });
  return {
    storeUrl: (file) => `sqlite://${join(scratch, file)}`,
    start(env) {
      const bot = startBotProcess(env);
      bots.push(bot);
      return bot;
    },
    own(double) {
      doubles.push(double);
      return double;
    },
  };
}
