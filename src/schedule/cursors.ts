/**
 * Where each channel's digests have got to: the ingestion instant up to
 * which articles were offered, and the round in progress, if any.
 */
import type { Collection, Store } from '../store/store.ts';

export interface DigestCursor {
  /** Articles ingested at or before this ISO instant were offered already. */
  through: string;
  /**
   * A round that started and did not finish (crash, transient failure):
   * its period and upper bound, so the next run recomposes exactly the same
   * messages and the ledger skips the parts already made.
   */
  open?: { job: string; period: string; upper: string };
  /**
   * The last scheduled digest period finished for this channel. Written
   * before the ledger's marker, so it is never behind it: a cold tick reads
   * this one record instead of the cursor and the marker.
   */
  done?: string;
}

export class DigestCursors {
  private readonly entries: Collection<DigestCursor>;

  constructor(store: Store) {
    this.entries = store.collection<DigestCursor>('digest-cursors');
  }

  get(channel: string): Promise<DigestCursor | undefined> {
    return this.entries.get(channel);
  }

  set(channel: string, cursor: DigestCursor): Promise<void> {
    return this.entries.set(channel, cursor);
  }

  remove(channel: string): Promise<boolean> {
    return this.entries.delete(channel);
  }
}

/** The later of two ISO instants. */
export function laterOf(a: string, b: string): string {
  return a >= b ? a : b;
}
