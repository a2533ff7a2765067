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
 * after the item was last seen (refreshed once it is half that old), and
 * about MAX_MARKS per feed, the least recently seen going first. A mark past
 * its retention is absent at once; it leaves the record at the next cleanup,
 * which runs on a save once enough marks are expired or the record holds a
 * quarter more than the cap (so a save rarely has to look at every mark).
 * The record of a removed feed expires with the store's TTL.
 */

export const DEFAULT_RETENTION_MS = 180 * 24 * 60 * 60 * 1000;
/** 2,000 items (two marks each): forty times a typical feed's length. */
export const MAX_MARKS = 4_000;
const MIN_TITLE_WORDS = 3;

/**
 * The marks as one string: fixed-width entries sorted by mark, each the mark
 * (MARK_LENGTH characters) then when it was last seen (minutes since 1970 in
 * base 36, TIME_LENGTH characters). A long-watched feed holds thousands of
 * marks and every changed fetch reads and rewrites them: as a JSON array or
 * object, parsing them, building a Map and serialising them again cost ~6 ms
 * per fetch at 10,000 marks, six times parsing the feed itself. One string is
 * read and written by JSON almost as a copy, a lookup is a binary search, and
 * a save splices the few changed entries in.
 */
const MARK_LENGTH = 17; // "i" (identity) or "t" (title), then 16 hex digits of a SHA-1
const TIME_LENGTH = 6;
const ENTRY_LENGTH = MARK_LENGTH + TIME_LENGTH;
const MINUTE_MS = 60_000;

interface SeenRecord {
  /** The current layout (see ENTRY_LENGTH). */
  table?: string;
  /** The earliest time in `table`, epoch ms: tells a save whether cleanup is due without reading every entry. */
  oldest?: number;
  /** The two earlier layouts, still read, never written: marks with their epoch ms as parallel arrays, or as one object. */
  ids?: string[];
  seenAt?: number[];
  marks?: Record<string, number>;
}

const encodeTime = (ms: number) => Math.floor(ms / MINUTE_MS).toString(36).padStart(TIME_LENGTH, '0');

class MarksTable {
  constructor(readonly text: string) {}

  static fromRecord(record: SeenRecord | undefined): MarksTable {
    if (!record) return new MarksTable('');
    if (record.table !== undefined) return new MarksTable(record.table);
    const earlier = new Map<string, number>(record.marks ? Object.entries(record.marks) : []);
    const { ids = [], seenAt = [] } = record;
    for (let i = 0; i < ids.length; i++) earlier.set(ids[i]!, seenAt[i]!);
    return new MarksTable('').merged(earlier);
  }

  get size(): number {
    return this.text.length / ENTRY_LENGTH;
  }

  private markAt(index: number): string {
    return this.text.slice(index * ENTRY_LENGTH, index * ENTRY_LENGTH + MARK_LENGTH);
  }

  private timeAt(index: number): number {
    const start = index * ENTRY_LENGTH + MARK_LENGTH;
    return parseInt(this.text.slice(start, start + TIME_LENGTH), 36) * MINUTE_MS;
  }

  /** The entry holding `mark`, or where it would go. */
  private search(mark: string): { index: number; found: boolean } {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const here = this.markAt(middle);
      if (here < mark) low = middle + 1;
      else if (here > mark) high = middle;
      else return { index: middle, found: true };
    }
    return { index: low, found: false };
  }

  lastSeen(mark: string): number | undefined {
    const { index, found } = this.search(mark);
    return found ? this.timeAt(index) : undefined;
  }

  /** A table with these marks added or their times replaced; the rest copied as they are. */
  merged(changes: ReadonlyMap<string, number>): MarksTable {
    const parts: string[] = [];
    let copied = 0;
    for (const mark of [...changes.keys()].sort()) {
      if (mark.length !== MARK_LENGTH) continue; // not a mark this code ever wrote
      const { index, found } = this.search(mark);
      parts.push(this.text.slice(copied * ENTRY_LENGTH, index * ENTRY_LENGTH), mark, encodeTime(changes.get(mark)!));
      copied = found ? index + 1 : index;
    }
    parts.push(this.text.slice(copied * ENTRY_LENGTH));
    return new MarksTable(parts.join(''));
  }

  /** The marks seen after `cutoff`, at most `cap` of them (the most recently seen), and the earliest time kept. */
  cleaned(cutoff: number, cap: number): { table: MarksTable; oldest: number | undefined } {
    let kept: Array<{ index: number; at: number }> = [];
    for (let index = 0; index < this.size; index++) {
      const at = this.timeAt(index);
      if (at > cutoff) kept.push({ index, at });
    }
    if (kept.length > cap) kept = kept.sort((a, b) => b.at - a.at).slice(0, cap).sort((a, b) => a.index - b.index);
    const text = kept.map(({ index }) => this.text.slice(index * ENTRY_LENGTH, (index + 1) * ENTRY_LENGTH)).join('');
    let oldest: number | undefined;
    for (const { at } of kept) oldest = Math.min(oldest ?? at, at);
    return { table: new MarksTable(text), oldest };
  }

  /** The earliest time in the table (reads every entry: for records of an earlier layout). */
  oldest(): number | undefined {
    let oldest: number | undefined;
    for (let index = 0; index < this.size; index++) oldest = Math.min(oldest ?? Infinity, this.timeAt(index));
    return oldest;
  }
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

/** One feed's marks, loaded for one fetch at one instant. */
export class FeedSeenSet {
  /** Marks added or refreshed by this fetch, epoch ms; written by save(). */
  private readonly changes = new Map<string, number>();
  /**
   * Marks computed during this fetch. Held here, not in a process-wide
   * WeakMap: a WeakMap entry kept every item of a poll (and through its
   * strings the whole feed text) alive across minor GCs, so each round
   * promoted the feeds' texts to the old generation and the heap grew to
   * several times its live size before a full GC.
   */
  private readonly computed = new Map<SeenCandidate, ItemMarks>();
  /** Marks last seen at or before this are past their retention: absent. */
  private readonly expiredBefore: number;

  constructor(
    private readonly collection: Collection<SeenRecord>,
    private readonly feedId: string,
    private table: MarksTable,
    private oldest: number | undefined,
    loadedAt: Date,
    private readonly retentionMs: number,
    private readonly maxMarks: number,
  ) {
    this.expiredBefore = loadedAt.getTime() - retentionMs;
  }

  private marksOf(item: SeenCandidate): ItemMarks {
    let marks = this.computed.get(item);
    if (!marks) this.computed.set(item, (marks = new ItemMarks(item)));
    return marks;
  }

  /** When the mark was last seen, unless never or too long ago. */
  private lastSeen(mark: string): number | undefined {
    const at = this.changes.get(mark) ?? this.table.lastSeen(mark);
    return at !== undefined && at > this.expiredBefore ? at : undefined;
  }

  has(item: SeenCandidate): boolean {
    const marks = this.marksOf(item);
    if (this.lastSeen(marks.identity) !== undefined) return true;
    const title = marks.title;
    return title !== null && this.lastSeen(title) !== undefined;
  }

  /**
   * Known by this identity and seen within half the retention: marking such
   * an item again changes nothing, so its text need not even be parsed.
   */
  knowsRecently(identity: string, now: Date): boolean {
    const last = this.lastSeen(`i${digest(identity)}`);
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
      const last = this.lastSeen(mark);
      if (last === undefined || last <= refreshBefore) this.changes.set(mark, at);
    };
    for (const item of items) {
      const marks = this.marksOf(item);
      const last = this.lastSeen(marks.identity);
      // Known and recently seen: both its marks are fresh (they are always refreshed together).
      if (last !== undefined && last > refreshBefore) continue;
      refresh(marks.identity);
      refresh(marks.title);
    }
  }

  /** Writes the marks when they changed, cleaning up expired ones and the least recent beyond the cap when due. */
  async save(now: Date): Promise<void> {
    if (this.changes.size === 0) return;
    let table = this.table.merged(this.changes);
    let oldest = this.oldest ?? now.getTime();
    for (const at of this.changes.values()) oldest = Math.min(oldest, at);
    const cutoff = now.getTime() - this.retentionMs;
    // Expired marks are absent already; they are swept out once an eighth of the retention has passed over them.
    if (oldest <= cutoff - this.retentionMs / 8 || table.size > this.maxMarks + this.maxMarks / 4) {
      ({ table, oldest = now.getTime() } = table.cleaned(cutoff, this.maxMarks));
    }
    await this.collection.set(this.feedId, { table: table.text, oldest }, this.retentionMs);
    this.table = table;
    this.oldest = oldest;
    this.changes.clear();
  }

  /** How many marks are held (expired ones not yet swept out included). */
  get size(): number {
    let added = 0;
    for (const mark of this.changes.keys()) if (this.table.lastSeen(mark) === undefined) added++;
    return this.table.size + added;
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

  /** The feed's marks as they stand at `now`. */
  async forFeed(feedId: string, now: Date): Promise<FeedSeenSet> {
    const record = await this.records.get(feedId);
    const table = MarksTable.fromRecord(record);
    const oldest = record?.table !== undefined ? record.oldest : table.oldest();
    return new FeedSeenSet(this.records, feedId, table, oldest, now, this.retentionMs, this.maxMarks);
  }

  /** Forgets a removed feed's marks: if it is added again, it gets a fresh baseline. */
  async forgetFeed(feedId: string): Promise<void> {
    await this.records.delete(feedId);
  }
}
