import { hash } from 'node:crypto';
import type { Collection, Store } from '../store/store.ts';

/**
 * Every item a feed ever showed us, retained for a while, so an item that
 * drops out of the feed and comes back (or a feed that reorders) is not news
 * again. Two marks per item:
 *
 * - its identity (guid, link or hash), and
 * - its normalised title, so the same story re-published under a new guid
 *   is still recognised. Titles of fewer than MIN_TITLE_WORDS words
 *   ("Briefing", "Update") are too generic to identify a story and get no
 *   title mark.
 *
 * A feed's marks live in one record (one read and at most one write per
 * fetch, nothing at all on a 304). A mark is kept for the retention period
 * after the item was last seen (refreshed once it is half that old), and at
 * most MAX_MARKS per feed, the least recently seen going first: cleanup
 * happens on every save, and the record of a removed feed expires with the
 * store's TTL.
 */

export const DEFAULT_RETENTION_MS = 180 * 24 * 60 * 60 * 1000;
/** 5,000 items (two marks each): a hundred times a typical feed's length. */
export const MAX_MARKS = 10_000;
const MIN_TITLE_WORDS = 3;

/**
 * Two parallel arrays rather than one object keyed by mark: a feed's record
 * is read and written on every changed fetch, and an object of a hundred
 * odd keys is a slow dictionary to build, serialise and parse.
 */
interface SeenRecord {
  /** Marks: `i…` identity, `t…` title (16 hex of a SHA-1). */
  ids?: string[];
  /** When each mark of `ids` was last seen, epoch ms. */
  seenAt?: number[];
  /** The earlier layout (mark → epoch ms): still read, never written. */
  marks?: Record<string, number>;
}

function marksOfRecord(record: SeenRecord | undefined): Map<string, number> {
  const marks = new Map<string, number>();
  if (!record) return marks;
  if (record.marks) for (const [mark, at] of Object.entries(record.marks)) marks.set(mark, at);
  const { ids = [], seenAt = [] } = record;
  for (let i = 0; i < ids.length; i++) marks.set(ids[i]!, seenAt[i]!);
  return marks;
}

export interface SeenCandidate {
  identity: string;
  title: string;
}

/** Lower case, compatibility-normalised, punctuation and spacing ignored. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Dedupe keys, not secrets: a fast one-shot hash is enough.
const digest = (text: string) => hash('sha1', text, 'hex').slice(0, 16);

/**
 * An item's marks, each computed once per item object and only when asked:
 * an item already known by its identity never needs its title normalised.
 */
class ItemMarks {
  private titleMark?: string | null;
  readonly identity: string;

  constructor(private readonly item: SeenCandidate) {
    this.identity = `i${digest(item.identity)}`;
  }

  /** Null for titles too generic to identify a story. */
  get title(): string | null {
    if (this.titleMark === undefined) {
      const title = normaliseTitle(this.item.title);
      this.titleMark = title.split(' ').length >= MIN_TITLE_WORDS ? `t${digest(title)}` : null;
    }
    return this.titleMark;
  }
}

/** One feed's marks, loaded for one fetch. */
export class FeedSeenSet {
  private changed = false;
  /**
   * Marks computed during this fetch. Held here, not in a process-wide
   * WeakMap: a WeakMap entry kept every item of a poll (and through its
   * strings the whole feed text) alive across minor GCs, so each round
   * promoted the feeds' texts to the old generation and the heap grew to
   * several times its live size before a full GC.
   */
  private readonly computed = new Map<SeenCandidate, ItemMarks>();

  constructor(
    private readonly collection: Collection<SeenRecord>,
    private readonly feedId: string,
    private readonly marks: Map<string, number>,
    private readonly retentionMs: number,
    private readonly maxMarks: number,
  ) {}

  private marksOf(item: SeenCandidate): ItemMarks {
    let marks = this.computed.get(item);
    if (!marks) this.computed.set(item, (marks = new ItemMarks(item)));
    return marks;
  }

  has(item: SeenCandidate): boolean {
    const marks = this.marksOf(item);
    if (this.marks.has(marks.identity)) return true;
    const title = marks.title;
    return title !== null && this.marks.has(title);
  }

  /**
   * Known by this identity and seen within half the retention: marking such
   * an item again changes nothing, so its text need not even be parsed.
   */
  knowsRecently(identity: string, now: Date): boolean {
    const last = this.marks.get(`i${digest(identity)}`);
    return last !== undefined && last > now.getTime() - this.retentionMs / 2;
  }

  /** Items not seen before (by identity or title), in the same order. */
  unseen<T extends SeenCandidate>(items: readonly T[]): T[] {
    return items.filter((item) => !this.has(item));
  }

  /** Marks items seen now: new ones, and old marks past half the retention (items still in the feed). */
  mark(items: readonly SeenCandidate[], now: Date): void {
    const at = now.getTime();
    const refreshBefore = at - this.retentionMs / 2;
    const refresh = (mark: string | null) => {
      if (mark === null) return;
      const last = this.marks.get(mark);
      if (last !== undefined && last > refreshBefore) return;
      this.marks.set(mark, at);
      this.changed = true;
    };
    for (const item of items) {
      const marks = this.marksOf(item);
      const last = this.marks.get(marks.identity);
      // Known and recently seen: both its marks are fresh (they are always refreshed together).
      if (last !== undefined && last > refreshBefore) continue;
      refresh(marks.identity);
      refresh(marks.title);
    }
  }

  /** Writes the marks when they changed, dropping expired ones and the least recent beyond the cap. */
  async save(now: Date): Promise<void> {
    if (!this.changed) return;
    const oldest = now.getTime() - this.retentionMs;
    let kept = [...this.marks].filter(([, at]) => at > oldest);
    if (kept.length > this.maxMarks) kept = kept.sort((a, b) => b[1] - a[1]).slice(0, this.maxMarks);
    await this.collection.set(this.feedId, { ids: kept.map(([mark]) => mark), seenAt: kept.map(([, at]) => at) }, this.retentionMs);
    this.changed = false;
  }

  get size(): number {
    return this.marks.size;
  }
}

export class SeenItems {
  private readonly records: Collection<SeenRecord>;

  constructor(
    store: Store,
    private readonly retentionMs = DEFAULT_RETENTION_MS,
    private readonly maxMarks = MAX_MARKS,
  ) {
    this.records = store.collection<SeenRecord>('feed-seen');
  }

  async forFeed(feedId: string): Promise<FeedSeenSet> {
    const marks = marksOfRecord(await this.records.get(feedId));
    return new FeedSeenSet(this.records, feedId, marks, this.retentionMs, this.maxMarks);
  }

  /** Forgets a removed feed's marks: if it is added again, it gets a fresh baseline. */
  async forgetFeed(feedId: string): Promise<void> {
    await this.records.delete(feedId);
  }
}
