import type { LedgerKey } from './ledger.ts';

/**
 * Posts this process could not make yet for a passing reason (the platform
 * away, rate limited), retried at every tick while their window is open.
 * Remembered so that the log says it once when a post is first held back
 * (and again if the reason changes) and once when it finally goes out —
 * not a warning per owed post every minute while Discord is away.
 */
/** Longer than any post's window (a weekly digest's): what is older was never made, and is forgotten. */
const FORGET_AFTER_MS = 8 * 86_400_000;

export class HeldBackPosts {
  private readonly held = new Map<string, { reason: string; since: Date }>();

  /** Records the failure; true when it is news (first time, or another reason). */
  note(key: LedgerKey, reason: string, at: Date): boolean {
    for (const [id, { since }] of this.held) if (at.getTime() - since.getTime() > FORGET_AFTER_MS) this.held.delete(id);
    const id = idOf(key);
    const known = this.held.get(id);
    if (known?.reason === reason) return false;
    this.held.set(id, { reason, since: known?.since ?? at });
    return true;
  }

  /** Forgets the post (it was made, or settled otherwise); when it had been held back, since when. */
  release(key: LedgerKey): Date | undefined {
    const id = idOf(key);
    const known = this.held.get(id);
    this.held.delete(id);
    return known?.since;
  }
}

function idOf(key: LedgerKey): string {
  return `${key.channel}|${key.job}|${key.period}|${key.part ?? ''}`;
}
