import { parseArgs } from 'node:util';
import { LEADER_LEASE } from '../schedule/scheduler.ts';
import type { Services } from '../services.ts';
import { createLease, defaultHolderId, DEFAULT_RENEW_EVERY_MS } from '../store/lease.ts';
import { REASON_EXPLANATIONS } from './failure.ts';
import type { FeedOutcome, RoundSummary } from './poller.ts';
import { describeInstant } from './present.ts';

/**
 * `npx armistice poll [--once]`: poll the due feeds now and print what
 * happened. With --once, one round and exit; otherwise a round every
 * minute (each feed still on its own interval) until Ctrl-C.
 */

export interface PollOptions {
  progress?: (done: number, total: number, outcome: FeedOutcome) => void;
}

export function runPollRound(services: Pick<Services, 'feeds'>, options: PollOptions = {}): Promise<RoundSummary> {
  return services.feeds.pollRound({ progress: options.progress });
}

function describeOutcome(outcome: FeedOutcome, now: Date): string {
  const name = outcome.feed.name;
  switch (outcome.kind) {
    case 'new':
      return `${name}: ${outcome.articles.length} new article${outcome.articles.length === 1 ? '' : 's'} (${outcome.items} items in the feed)\n${outcome.articles
        .map((a) => `    + ${a.title}`)
        .join('\n')}`;
    case 'nothing-new':
      return `${name}: nothing new (${outcome.items} items in the feed)`;
    case 'unchanged':
      return `${name}: unchanged since the last fetch (304)`;
    case 'failed': {
      const { reason, message } = outcome.failure;
      const next = outcome.disabled ? 'feed disabled, admins told' : `next attempt ${describeInstant(outcome.feed.nextAttemptAt, now)}`;
      return `${name}: FAILED ${reason} — ${REASON_EXPLANATIONS[reason]} (${message}); failure ${outcome.failures} in a row, ${next}`;
    }
    case 'error':
      return `${name}: not polled, the bot hit an error (${outcome.message}); it will be tried next round`;
  }
}

/** The round as a person reads it. */
export function formatRoundSummary(summary: RoundSummary, now: Date): string {
  const { outcomes } = summary;
  const failed = outcomes.filter((o) => o.kind === 'failed' || o.kind === 'error').length;
  const lines = [
    outcomes.length === 0
      ? 'No feed was due.'
      : `Polled ${outcomes.length} feed${outcomes.length === 1 ? '' : 's'} in ${(summary.durationMs / 1000).toFixed(1)} s: ${summary.newArticles} new article${
          summary.newArticles === 1 ? '' : 's'
        }${failed > 0 ? `, ${failed} failed` : ''}.`,
  ];
  const sorted = [...outcomes].sort((a, b) => a.feed.name.localeCompare(b.feed.name));
  for (const outcome of sorted) lines.push(`  ${describeOutcome(outcome, now)}`);
  if (summary.waiting.length > 0) {
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
 * The `poll` subcommand on a store a running bot may share: the bot polls
 * only in the holder of the leader lease, and this takes that lease for as
 * long as it polls, or refuses (exit 1) when a bot holds it. Two processes
 * fetching one feed at once would each write its seen marks, the later write
 * dropping what the other had just recorded, so items could be announced
 * twice. A bot sharing the store meanwhile answers commands, and takes up
 * its leader duties (polling, digests, reminders) once this is done.
 */
export async function pollAsLeader(
  services: Pick<Services, 'feeds' | 'store'>,
  argv: string[],
  stdout: NodeJS.WritableStream,
  options: { roundEveryMs?: number; signal?: AbortSignal; renewEveryMs?: number; leaseTtlMs?: number } = {},
): Promise<number> {
  const lease = createLease(services.store, LEADER_LEASE, defaultHolderId(), options.leaseTtlMs);
  if ((await lease.acquire()) === undefined) {
    const holder = (await services.store.leases.read(LEADER_LEASE))?.holder;
    stdout.write(
      `A bot sharing this store polls its feeds${holder ? ` (${holder} holds the leader lease)` : ''}: each feed is fetched when due; /feeds status shows when. Stop that bot to poll by hand.\n`,
    );
    return 1;
  }
  const lost = new AbortController();
  options.signal?.addEventListener('abort', () => lost.abort(), { once: true });
  const renewal = setInterval(() => {
    // A store that does not answer: still the holder until the lease runs out.
    void lease.renew().then(
      (held) => held || lost.abort(),
      () => lease.isHeld() || lost.abort(),
    );
  }, options.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS);
  try {
    const code = await pollCli(services, argv, stdout, { roundEveryMs: options.roundEveryMs, signal: lost.signal });
    if (lost.signal.aborted && !options.signal?.aborted) stdout.write('Another process took over the leader lease: stopped polling.\n');
    return code;
  } finally {
    clearInterval(renewal);
    await lease.release().catch(() => undefined); // it expires by itself
  }
}

/** The `poll` subcommand, given built services. Exit code 0 when the rounds ran (feed failures included). */
export async function pollCli(
  services: Pick<Services, 'feeds'>,
  argv: string[],
  stdout: NodeJS.WritableStream,
  options: { roundEveryMs?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { once: { type: 'boolean', default: false } }, allowPositionals: false });
  const progress = terminalProgress(stdout);
  const round = async () => stdout.write(formatRoundSummary(await runPollRound(services, { progress }), services.feeds.now()));
  if (values.once) {
    await round();
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
