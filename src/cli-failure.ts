import type { Logger } from './log.ts';

/**
 * What an operator reads when a subcommand cannot do its job: one line
 * saying what failed and how to fix it. The stack is for developers: it goes
 * to the debug log (LOG_LEVEL=debug), never to the terminal, where a wall of
 * `at …` lines buries the one thing worth reading.
 */

/** Connection failures, from Node's net/dns and undici, as a person says them. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'name lookup failed (DNS)',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** File-system failures (data files, the SQLite folder). */
const FILE_CODES: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** Where to look, per subcommand, when a connection failed. */
const NETWORK_HINTS: Record<string, string> = {
  'deploy-commands': 'check DISCORD_API_URL (if set), the proxy and that Discord is reachable from this machine',
  start: 'check DISCORD_API_URL / SLACK_API_URL (if set), the proxy and the network',
};

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  status?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  path?: unknown;
  syscall?: unknown;
  cause?: unknown;
  /** @slack/web-api's request errors carry the network error here. */
  original?: unknown;
  errors?: unknown;
  data?: { error?: unknown };
}

/** The error and its causes (and an AggregateError's parts), outermost first. */
function chain(error: unknown): ErrorLike[] {
  const found: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 10) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || found.includes(next as ErrorLike)) continue;
    const e = next as ErrorLike;
    found.push(e);
    if (e.cause !== undefined) queue.push(e.cause);
    if (e.original !== undefined) queue.push(e.original);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return found;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** The failure as one line: `armistice <command>: <what failed> — <how to fix it>.` */
export function failureLine(command: string, error: unknown): string {
  const errors = chain(error);
  const first = errors[0];
  const described = describe(command, errors);
  if (described) return `armistice ${command}: ${oneLine(described.what).slice(0, 500)} — ${described.fix}.`;
  // A plain Error was thrown with a message written for operators; a TypeError and the like is a bug.
  const plain = first?.name === undefined || first.name === 'Error';
  const what = plain ? first?.message || String(error) : `${first.name}: ${first.message ?? ''}`;
  const fix = plain ? 'details with LOG_LEVEL=debug' : 'this looks like a bug: run again with LOG_LEVEL=debug for the details and report them';
  return `armistice ${command}: ${oneLine(what).slice(0, 500)} (${fix})`;
}

function describe(command: string, errors: ErrorLike[]): { what: string; fix: string } | undefined {
  const store = errors.find((e) => e.code === 'STORE_UNAVAILABLE');
  if (store) {
    return {
      what: (store.message ?? "the store is unavailable").replace(" (reconnecting in the background)", ""),
      fix: /redis/i.test(store.message ?? '')
        ? 'check STORE_URL and that Redis runs and accepts connections there'
        : 'check STORE_URL: the SQLite file and its folder must be writable (for example STORE_URL=sqlite://var/armistice.sqlite)',
    };
  }
  // Wrappers (axios, undici) repeat the code without the address: the innermost error that has one says where.
  const networkErrors = errors.filter((e) => typeof e.code === 'string' && e.code in NETWORK_CODES);
  const network = networkErrors.find((e) => typeof e.address === 'string' || typeof e.hostname === 'string') ?? networkErrors[0];
  if (network) {
    const where = typeof network.address === 'string' ? `${network.address}${network.port ? `:${network.port}` : ''}` : typeof network.hostname === 'string' ? network.hostname : 'the server';
    return {
      what: `cannot reach ${where}: ${NETWORK_CODES[network.code as string]}`,
      fix: NETWORK_HINTS[command] ?? 'check the address, the proxy and the network',
    };
  }
  const listen = errors.find((e) => e.syscall === 'listen' && (e.code === 'EADDRINUSE' || e.code === 'EACCES'));
  if (listen) {
    return {
      what: `cannot listen on port ${String(listen.port ?? '?')}: ${listen.code === 'EADDRINUSE' ? 'another process already uses it' : 'permission denied'}`,
      fix: 'set PORT to a free port (above 1023 unless the bot may bind privileged ports), or stop the other process',
    };
  }
  const slack = errors.find((e) => typeof e.data?.error === 'string');
  if (slack) {
    const code = String(slack.data!.error);
    return {
      what: `Slack refused the request: ${code}`,
      fix: /auth|token/.test(code) ? 'check SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-…) and SLACK_APP_TOKEN' : 'check the Slack app’s scopes and settings',
    };
  }
  const http = errors.find((e) => typeof e.status === 'number');
  if (http) {
    const status = http.status as number;
    return {
      what: `the server answered ${status} (${http.message ?? ''})`,
      fix: status === 401 ? 'check the token (DISCORD_TOKEN or SLACK_BOT_TOKEN)' : status === 403 ? 'check the bot’s permissions and scopes' : 'try again later',
    };
  }
  const file = errors.find((e) => typeof e.code === 'string' && e.code in FILE_CODES && typeof e.path === 'string');
  if (file) {
    return {
      what: `${file.path}: ${FILE_CODES[file.code as string]}${typeof file.syscall === 'string' ? ` (${file.syscall})` : ''}`,
      fix: 'check DATA_DIR and STORE_URL, and the permissions of the files and folders they name',
    };
  }
  return undefined;
}

/**
 * The stacks of the error and its causes, and nothing else: an error's other
 * properties can hold a request's configuration, Authorization header and
 * all (an axios error inside a Slack error does), which must never reach a log.
 */
export function debugDetails(error: unknown): { type: string; message: string; stack: string } {
  const errors = chain(error);
  const stackOf = (e: ErrorLike) => (typeof (e as { stack?: unknown }).stack === 'string' ? (e as { stack: string }).stack : `${e.name ?? 'Error'}: ${e.message ?? ''}`);
  return {
    type: errors[0]?.name ?? typeof error,
    message: errors[0]?.message ?? String(error),
    stack: errors.length > 0 ? errors.map(stackOf).join('\ncaused by: ') : String(error),
  };
}

/** Prints the failure's line and sends its stack to the debug log. */
export function reportFailure(command: string, error: unknown, stderr: NodeJS.WritableStream, log: Logger): void {
  log.debug({ err: debugDetails(error), command }, 'armistice command failed');
  stderr.write(`${failureLine(command, error)}\n`);
}

/**
 * A running bot's last resort. A promise nobody awaited that rejects is
 * logged (one line at error level, the stack at debug) and the bot goes on:
 * one stray failure must not take every channel down. An exception nothing
 * caught leaves the process in an unknown state, so after the same log it
 * exits 1 and the supervisor restarts it.
 */
export function guardProcess(command: string, log: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onRejection = (reason: unknown) => {
    log.error({ problem: failureLine(command, reason) }, 'a background task failed (unhandled rejection); carrying on');
    log.debug({ err: debugDetails(reason) }, 'unhandled rejection');
  };
  const onException = (error: unknown) => {
    log.fatal({ problem: failureLine(command, error) }, 'uncaught exception; exiting (a supervisor restarts the bot)');
    log.debug({ err: debugDetails(error) }, 'uncaught exception');
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
