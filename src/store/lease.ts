import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

/**
 * A leader lease: among the processes sharing a store, at most one holds a
 * given lease at a time, and it keeps it only by renewing it before its TTL
 * runs out. When the holder dies or loses the store, the lease expires in
 * the store and another process takes it.
 *
 * Two clocks are at play. The store decides expiry with its own clock,
 * counted from when it performed the acquisition or renewal. The holder
 * counts from when it *sent* the request (which is earlier) and gives the
 * lease up a little before that, so it always believes itself leader for
 * less time than the store grants it: two processes never both believe they
 * lead. Work that may outlive a tenure (a long digest round) carries the
 * fencing token, which grows with every new acquisition, so a write by a
 * deposed leader can be told apart.
 */

export const DEFAULT_LEASE_TTL_MS = 15_000;
export const DEFAULT_RENEW_EVERY_MS = 5_000;
export const DEFAULT_RETRY_EVERY_MS = 5_000;
/** Share of the TTL the holder gives up early, covering clock-rate differences between machines. */
const SAFETY_SHARE = 0.05;

export interface Lease {
  readonly name: string;
  readonly holderId: string;
  readonly ttlMs: number;
  /** The fencing token of the current tenure, while this process believes it holds the lease. */
  readonly token: number | undefined;
  /** True while this process holds the lease by its own (conservative) clock. Synchronous: check it before each unit of leader work. */
  isHeld(): boolean;
  /** How much longer this process counts itself the holder without a renewal (0 when not held). */
  remainingMs(): number;
  /** Takes the lease if it is free or expired. Returns the new fencing token, or undefined when another holds it. Throws StoreError. */
  acquire(): Promise<number | undefined>;
  /** Extends the current tenure. False (and no longer held) when the store says it is not ours anymore. Throws StoreError. */
  renew(): Promise<boolean>;
  /** Gives the lease up (in the store too, if it is still ours). Throws StoreError; locally it is let go either way. */
  release(): Promise<void>;
  /** Asks the store whether this tenure is still the current one (a fencing check before an irreversible step). */
  verify(): Promise<boolean>;
}

/** A holder id that differs between processes and restarts: host, pid and a random part. */
export function defaultHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function createLease(store: Store, name: string, holderId = defaultHolderId(), ttlMs = DEFAULT_LEASE_TTL_MS): Lease {
  if (!(Number.isInteger(ttlMs) && ttlMs >= 100)) throw new TypeError(`A lease TTL must be a whole number of milliseconds, at least 100, not ${ttlMs}`);
  const records = store.leases;
  let token: number | undefined;
  /** performance.now() after which this process no longer counts itself the holder. */
  let heldUntil = 0;
  const deadlineFrom = (sentAt: number) => sentAt + ttlMs * (1 - SAFETY_SHARE);

  return {
    name,
    holderId,
    ttlMs,
    get token() {
      return token;
    },
    isHeld: () => token !== undefined && performance.now() < heldUntil,
    remainingMs: () => (token === undefined ? 0 : Math.max(0, heldUntil - performance.now())),
    async acquire() {
      token = undefined;
      const sentAt = performance.now();
      const granted = await records.acquire(name, holderId, ttlMs);
      if (granted !== undefined) {
        token = granted;
        heldUntil = deadlineFrom(sentAt);
      }
      return granted;
    },
    async renew() {
      const current = token;
      if (current === undefined) return false;
      const sentAt = performance.now();
      const renewed = await records.renew(name, holderId, current, ttlMs);
      // A concurrent acquire() or release() has already moved on from this tenure.
      if (token !== current) return false;
      if (renewed) heldUntil = deadlineFrom(sentAt);
      else token = undefined;
      return renewed;
    },
    async release() {
      const current = token;
      token = undefined;
      if (current !== undefined) await records.release(name, holderId, current);
    },
    async verify() {
      const current = token;
      if (current === undefined) return false;
      const record = await records.read(name);
      return record?.holder === holderId && record.token === current;
    },
  };
}

export interface LeaderOptions {
  lease: Lease;
  /** How often the leader renews. Default 5 s; must leave room for a couple of attempts within the TTL. */
  renewEveryMs?: number;
  /** How often a follower tries to take the lease. Default 5 s. */
  retryEveryMs?: number;
  /** Called (in order with onDemoted, never concurrently) when this process becomes leader. */
  onElected?: (token: number) => void | Promise<void>;
  /** Called when leadership ends: lost to another holder, store unreachable past the TTL, or stop(). */
  onDemoted?: (reason: DemotionReason, token: number) => void | Promise<void>;
  log?: LeaseLog;
}

/** What the loop logs through: a pino Logger fits. */
export type LeaseLog = Record<'info' | 'warn' | 'error', (details: object, message: string) => void>;

export type DemotionReason = 'lost' | 'expired' | 'stopped';

export interface Leadership {
  /** True while this process leads (checked against the lease's own clock, not a timer). */
  isLeader(): boolean;
  /** The fencing token of the current tenure, while leading. */
  readonly token: number | undefined;
  /** Stops trying, demotes (onDemoted 'stopped') and releases the lease if held. */
  stop(): Promise<void>;
}

/**
 * Keeps trying to lead: a follower tries to acquire every `retryEveryMs`; a
 * leader renews every `renewEveryMs` and is demoted when the store says the
 * lease is gone ('lost') or when its tenure runs out without a successful
 * renewal, e.g. while the store is unreachable ('expired'). Then it goes back
 * to trying. Timers are unref'd: leadership never keeps a process alive.
 */
export function runAsLeader(options: LeaderOptions): Leadership {
  const { lease, log } = options;
  const renewEveryMs = options.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS;
  const retryEveryMs = options.retryEveryMs ?? DEFAULT_RETRY_EVERY_MS;
  if (renewEveryMs >= lease.ttlMs / 2) {
    throw new TypeError(`Renewing every ${renewEveryMs} ms leaves no room for a retry within a ${lease.ttlMs} ms lease: renew at least twice per TTL`);
  }

  let leading: number | undefined; // the token of the tenure announced through onElected
  let stopped = false;
  let stopping: Promise<void> | undefined;
  let stepTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  // Callbacks run one after another, off the renewal loop, so a slow onElected never delays a renewal.
  let callbacks: Promise<void> = Promise.resolve();
  const callback = (what: string, run: () => void | Promise<void>) => {
    callbacks = callbacks.then(run).catch((error: unknown) => log?.error({ err: error, lease: lease.name }, `lease: ${what} callback failed`));
  };

  const elect = (token: number) => {
    leading = token;
    log?.info({ lease: lease.name, fencingToken: token }, 'lease: elected leader');
    callback('onElected', () => options.onElected?.(token));
  };
  const demote = (reason: DemotionReason) => {
    const token = leading;
    if (token === undefined) return;
    leading = undefined;
    clearTimeout(expiryTimer);
    log?.[reason === 'stopped' ? 'info' : 'warn']({ lease: lease.name, fencingToken: token, reason }, 'lease: no longer leader');
    callback('onDemoted', () => options.onDemoted?.(reason, token));
  };
  /** Demotes exactly when the tenure runs out, even if the renewal in flight never answers. */
  const armExpiry = () => {
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(() => (lease.isHeld() ? armExpiry() : demote('expired')), lease.remainingMs() + 1).unref();
  };

  const step = async () => {
    if (stopped) return;
    if (leading === undefined) {
      try {
        const token = await lease.acquire();
        if (token !== undefined && !stopped) {
          elect(token);
          armExpiry();
        }
      } catch (error) {
        log?.warn({ err: error, lease: lease.name }, 'lease: could not try to acquire (will retry)');
      }
    } else {
      const token = leading;
      try {
        const renewed = await lease.renew();
        if (leading !== token) {
          // Demoted by the expiry timer while the renewal was in flight: do not keep a lease nobody uses.
          if (renewed) await lease.release().catch(() => undefined);
        } else if (renewed) armExpiry();
        else demote('lost');
      } catch (error) {
        log?.warn({ err: error, lease: lease.name, fencingToken: token }, 'lease: renewal failed (leader until the lease runs out)');
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    running = step().finally(() => {
      if (!stopped) stepTimer = setTimeout(loop, leading === undefined ? retryEveryMs : renewEveryMs).unref();
    });
  };
  loop();

  return {
    isLeader: () => leading !== undefined && lease.isHeld(),
    get token() {
      return leading !== undefined && lease.isHeld() ? leading : undefined;
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(stepTimer);
        await running;
        demote('stopped');
        // onDemoted has stopped the leader's work before the lease is let go.
        await callbacks;
        if (lease.token === undefined) return;
        try {
          await lease.release();
        } catch (error) {
          log?.warn({ err: error, lease: lease.name }, 'lease: could not release (it will expire by itself)');
        }
      })();
      return stopping;
    },
  };
}
