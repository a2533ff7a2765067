import { LEADER_LEASE } from '../../schedule/scheduler.ts';
import { createLease, defaultHolderId, DEFAULT_RENEW_EVERY_MS } from '../../store/lease.ts';
import type { Store } from '../../store/store.ts';

/**
 * Polling by hand (`armistice poll`, `/feeds refresh` in a process that does
 * not poll) on a store a running bot may share: the bot polls only in the
 * holder of the leader lease, so this takes that lease for as long as the
 * work lasts, or does nothing when a bot holds it. Two processes fetching one
 * feed at once would each write its seen marks, the later write dropping
 * what the other had just recorded, so items could be announced twice.
 */

export type LeaderRun<T> =
  /** `lost`: another process took the lease during the work (the signal given to the work was aborted). */
  | { ran: true; value: T; lost: boolean }
  /** A bot holds the lease: `holder` names it. */
  | { ran: false; holder?: string };

export interface LeaderRunOptions {
  /** Aborts the work from outside (not counted as losing the lease). */
  signal?: AbortSignal;
  renewEveryMs?: number;
  leaseTtlMs?: number;
}

export async function runAsLeaderOnce<T>(store: Store, work: (lost: AbortSignal) => Promise<T>, options: LeaderRunOptions = {}): Promise<LeaderRun<T>> {
  const lease = createLease(store, LEADER_LEASE, defaultHolderId(), options.leaseTtlMs);
  if ((await lease.acquire()) === undefined) return { ran: false, holder: (await store.leases.read(LEADER_LEASE))?.holder };
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
    const value = await work(lost.signal);
    return { ran: true, value, lost: lost.signal.aborted && !options.signal?.aborted };
  } finally {
    clearInterval(renewal);
    await lease.release().catch(() => undefined); // it expires by itself
  }
}
