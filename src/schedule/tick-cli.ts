/**
 * `npx armistice tick --at <ISO-8601 instant> [--dry-run]`: runs exactly the
 * scheduled posts due at that instant and prints each one, so the whole
 * schedule can be tried without waiting for the clock.
 *
 * This command connects to no chat platform: printing IS the delivery. The
 * posts are recorded in the posting ledger as sent (so a bot on the same
 * store will not make them again); with --dry-run nothing is recorded and
 * the same instant can be tried again and again. Recording is refused while
 * a bot leads on the same store: those posts belong in its channels, and
 * recording them here would keep them out for good.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { buildServices } from '../main.ts';
import { renderPlainText } from '../reply/plain-text.ts';
import { runTick, type TickPost } from './run-tick.ts';
import { LEADER_LEASE } from './scheduler.ts';

export interface TickIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const USAGE = 'Usage: armistice tick --at <ISO-8601 instant> [--dry-run]\n  e.g. armistice tick --at 2026-07-27T09:00:00+09:00 --dry-run\n';

/** A full date and time with its offset: `2026-07-27T00:00:00Z`, `2026-07-27T09:00+09:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseInstant(text: string): Date | undefined {
  if (!INSTANT.test(text.trim())) return undefined;
  const date = new Date(text.trim());
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export async function tickCommand(argv: string[], io: TickIO): Promise<number> {
  let at: Date | undefined;
  let dryRun = false;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
      allowPositionals: false,
    });
    dryRun = values['dry-run'] ?? false;
    if (values.at === undefined) return usage(io, 'tick needs --at <instant>.');
    at = parseInstant(values.at);
    if (!at) return usage(io, `“${values.at}” is not an ISO-8601 instant: give the date, the time and the offset (Z or +09:00).`);
  } catch (error) {
    return usage(io, (error as Error).message);
  }

  const config = readConfig(io.env);
  const services = await buildServices(config, createLogger(config.LOG_LEVEL));
  try {
    const leader = dryRun ? undefined : await services.store.leases.read(LEADER_LEASE);
    if (leader?.holder && leader.remainingMs > 0) {
      io.stderr.write(
        `armistice tick: a bot on this store is running (${leader.holder} leads) and posts what is due itself; ` +
          'recording posts here would keep them out of its channels. Use --dry-run to see them, or stop that bot first.\n',
      );
      return 1;
    }
    // No platform is connected here: every post is accepted, and printed below as it is made.
    for (const platform of ['console', 'discord', 'slack']) {
      if (!services.notifier.has(platform)) services.notifier.register({ platform, post: async () => ({ ok: true }) });
    }
    const report = await runTick(services, at, {
      dryRun,
      onPost: (post: TickPost) => io.stdout.write(`[${post.channel}] ${renderPlainText(post.reply)}\n\n`),
    });
    const count = report.posts.length;
    const when = at.toISOString();
    if (count === 0) io.stdout.write(`Nothing is due at ${when}.\n`);
    else io.stdout.write(`${count} ${count === 1 ? 'post' : 'posts'} due at ${when}${dryRun ? ' (dry run: nothing recorded)' : ''}.\n`);
    for (const paused of report.paused) io.stdout.write(`Paused ${paused.channel}: ${paused.reason}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

function usage(io: TickIO, problem: string): number {
  io.stderr.write(`armistice tick: ${problem}\n\n${USAGE}`);
  return 2;
}
