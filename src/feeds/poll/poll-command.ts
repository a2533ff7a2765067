import { parseArgs } from 'node:util';
import type { Services } from '../../services.ts';
import { runAsLeaderOnce } from './as-leader.ts';
import type { FeedOutcome, RoundSummary } from './poller.ts';
import { describeHoldBack, describeInstant, describeOutcome } from '../present.ts';

/**
 * `npx armistice poll [--once | --all]`: poll the due feeds now and print
 * what happened. With --once, one round and exit; with --all, one round of
 * every feed regardless of its poll interval (a failure backoff or a
 * server's Retry-After still holds a feed back, and says until when);
 * otherwise a round every minute (each feed on its own interval) until Ctrl-C.
 */

export interface PollOptions {
  progress?: (done: number, total: number, outcome: FeedOutcome) => void;
}

/** The round as a person reads it. */
export function formatRoundSummary(summary: RoundSummary, now: Date): string {
  const { outcomes } = summary;
  const failed = outcomes.filter((o) => o.kind === 'failed' || o.kind === 'error').length;
  const lines = [
    outcomes.length === 0
      ? summary.forced
        ? 'No feed was fetched.'
        : 'No feed was due.'
      : `Polled ${outcomes.length} feed${outcomes.length === 1 ? '' : 's'} in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.newArticles} new article${
          summary.newArticles === 1 ? '' : 's'
        }${failed > 0 ? `, ${failed} failed` : ''}.`,
  ];
  const sorted = [...outcomes].sort((a, b) => a.feed.name.localeCompare(b.feed.name));
  for (const outcome of sorted) lines.push(`  ${outcome.feed.name}: ${describeOutcome(outcome, now)}`);
  for (const { feed, hold } of summary.heldBack) lines.push(`  ${feed.name}: ${describeHoldBack(feed, hold, now)}`);
  if (summary.waiting.length > 0 && !summary.forced) {
    const next = summary.waiting.map((f) => f.nextAttemptAt ?? '').sort()[0];
    lines.push(`${summary.waiting.length} feed${summary.waiting.length === 1 ? '' : 's'} not due yet (next ${describeInstant(next, now)}).`);
  }
  if (summary.disabled.length > 0) {
    lines.push(`${summary.disabled.length} disabled: ${summary.disabled.map((f) => `${f.name} (${f.disabledReason ?? 'unknown'})`).join(', ')}.`);
  }
  if (outcomes.length === 0 && summary.waiting.length === 0 && summary.disabled.length === 0) {
    lines.push('No feeds are registered. An admin can add one with /feeds add url:https://...');
  }
  return `${lines.join('\n')}\n`;
}

/** Progress on one terminal line, only when a person watches. */
function terminalProgress(stdout: NodeJS.WritableStream): PollOptions['progress'] {
  if (!(stdout as { isTTY?: boolean }).isTTY) return undefined;
  return (done, total, outcome) => {
    const line = `  [${done}/${total}] ${outcome.feed.name}`.slice(0, 78);
    stdout.write(`\r\x1b[2K${line}${done === total ? '\r\x1b[2K' : ''}`);
  };
}

/**
 * The `poll` subcommand on a store a running bot may share: it polls as the
 * holder of the leader lease (as-leader.ts says why), or refuses (exit 1)
 * when a bot holds it. A bot sharing the store meanwhile answers commands,
 * and takes up its leader duties (polling, digests, reminders) once this is done.
 */
export async function pollAsLeader(
  services: Pick<Services, 'feeds' | 'store'>,
  argv: string[],
  stdout: NodeJS.WritableStream,
  options: { roundEveryMs?: number; signal?: AbortSignal; renewEveryMs?: number; leaseTtlMs?: number } = {},
): Promise<number> {
  const run = await runAsLeaderOnce(services.store, (lost) => pollCli(services, argv, stdout, { roundEveryMs: options.roundEveryMs, signal: lost }), options);
  if (!run.ran) {
    stdout.write(
      `A bot sharing this store polls its feeds${run.holder ? ` (${run.holder} holds the leader lease)` : ''}: each feed is fetched when due; /feeds status shows when, and /feeds refresh asks it to fetch now. Stop that bot to poll by hand.\n`,
    );
    return 1;
  }
  if (run.lost) stdout.write('Another process took over the leader lease: stopped polling.\n');
  return run.value;
}

/** The `poll` subcommand, given built services. Exit code 0 when the rounds ran (feed failures included). */
export async function pollCli(
  services: Pick<Services, 'feeds'>,
  argv: string[],
  stdout: NodeJS.WritableStream,
  options: { roundEveryMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: 'boolean', default: false }, all: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const progress = terminalProgress(stdout);
  const round = async (force = false) => stdout.write(formatRoundSummary(await services.feeds.pollRound({ progress, force }), services.feeds.now()));
  if (values.once || values.all) {
    await round(values.all);
    return 0;
  }
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  options.signal?.addEventListener('abort', onSigint, { once: true });
  try {
    stdout.write('Polling feeds every minute (each feed on its own interval). Ctrl-C stops.\n');
    while (!stop.signal.aborted) {
      await round();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.roundEveryMs ?? 60_000);
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
