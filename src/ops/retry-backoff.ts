import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Connecting to a platform that may be out of reach for a while (a network
 * blip at boot, a proxy not up yet, an outage): a network failure is tried
 * again after a capped exponential backoff with jitter, one log line per
 * attempt; a refusal (bad token, missing scope) is not, because it will not
 * fix itself and Discord bans an IP after 10,000 invalid requests in ten
 * minutes.
 */

export interface BackoffPolicy {
  /** The wait after the first failure; it doubles after each further one. */
  firstMs: number;
  /** The longest wait. */
  maxMs: number;
  /** Source of jitter (tests fix it). Default Math.random. */
  random?: () => number;
}

/** 1 s doubling to 5 min: quick after a blip, gentle during an outage. */
export const DEFAULT_BACKOFF: BackoffPolicy = { firstMs: 1000, maxMs: 5 * 60_000 };

/**
 * The wait before the next attempt after `failures` failures in a row (≥ 1):
 * first × 2^(failures−1), capped, then spread over 80–120 % (never above the
 * cap) so bots restarted together by the same outage do not knock at the
 * same instant.
 */
export function retryDelayMs(failures: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, Math.min(failures - 1, 40));
  const plain = Math.min(policy.firstMs * 2 ** exponent, policy.maxMs);
  const random = policy.random ?? Math.random;
  return Math.round(Math.min(policy.maxMs, plain * (0.8 + 0.4 * random())));
}

/** What a failed attempt means: try again later, or stop and tell the operator. */
export type ConnectFailure = { kind: 'unreachable'; reason: string } | { kind: 'refused'; reason: string };

/** The platform refused the credentials: `message` says how to fix it. */
export class PlatformRefusedError extends Error {
  constructor(
    readonly platform: string,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformRefusedError';
  }
}

export interface RetryOptions<T> {
  /** The platform's name in messages: `Discord`, `Slack`. */
  platform: string;
  attempt: () => Promise<T>;
  classify: (error: unknown) => ConnectFailure;
  policy?: BackoffPolicy;
  /** Called after each unreachable attempt, before waiting `delayMs`. */
  onUnreachable: (reason: string, delayMs: number, failures: number) => void;
  /** Aborted on shutdown: the wait ends and the result is undefined. */
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds (its result), is refused
 * (PlatformRefusedError with the classified reason), or `signal` aborts
 * (undefined).
 */
export async function retryUntilConnected<T>(options: RetryOptions<T>): Promise<T | undefined> {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  for (let failures = 1; ; failures++) {
    if (options.signal?.aborted) return undefined;
    try {
      return await options.attempt();
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      const failure = options.classify(error);
      if (failure.kind === 'refused') throw new PlatformRefusedError(options.platform, failure.reason);
      const delayMs = retryDelayMs(failures, policy);
      options.onUnreachable(failure.reason, delayMs, failures);
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch {
        return undefined;
      }
    }
  }
}

/** "8 s", "2.5 s", "5 min": a wait as an operator reads it in a log line. */
export function describeDelay(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out',
  UND_ERR_SOCKET: 'connection closed',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNABORTED: 'connection aborted',
};

/**
 * The network failure behind an error, in a few words ("connection
 * refused"), looking through `cause` and `original` chains (undici's
 * "fetch failed", Slack's RequestError); undefined when it is not one.
 */
export function networkFailure(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    const { code, name, cause, original, errors } = current as { code?: unknown; name?: unknown; cause?: unknown; original?: unknown; errors?: unknown };
    if (typeof code === 'string' && NETWORK_CODES[code]) return NETWORK_CODES[code];
    if (name === 'AbortError' || name === 'TimeoutError') return 'timed out';
    // Happy eyeballs: an AggregateError of one failure per address.
    current = cause ?? original ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}
