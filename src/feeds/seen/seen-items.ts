import { hash } from 'node:crypto';
import type { Collection, Store } from '../../store/store.ts';
import { MarkFilter, MarksTable } from './marks-table.ts';

/**
 * src/feeds/seen/ — which items a feed has already shown us. Entry point:
 * SeenItems (this file), one FeedSeenSet per feed per fetch; marks-table.ts
 * holds the marks' stored layout and the Bloom filter over the archive.
 * It knows an item only as its identity and title: it must not fetch,
 * parse or judge relevance, and it stores only its own two collections
 * (feed-seen, feed-seen-archive). Imports nothing else of src/feeds/
 * (test/unit/boundaries.test.ts).
 *
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
 * A mark is kept for the retention period after the item was last seen
 * (refreshed once it is half that old) and past it is absent at once; about
 * MAX_MARKS are kept per feed, the least recently seen going first.
 *
 * Two records per feed, so that a fetch reads and writes little however long
 * the feed has been watched (see marks-table.ts for the layout):
 *
 * - "feed-seen": the recent marks (those of the items in the latest fetch,
 *   and those added since the last merge) and a Bloom filter of the
 *   archive. Read once and written at most once per fetch; nothing at all on
 *   a 304.
 * - "feed-seen-archive": all the other marks. Read only when the filter says
 *   a mark the recent ones lack may be in it (an item coming back, or ~1 % of
 *   new marks), and rewritten when the recent marks outgrow the items of the
 *   latest fetch by RECENT_SLACK: that merge also sweeps out expired marks
 *   and applies the cap.
 *
 * A removed feed's records are deleted; abandoned ones expire with the
 * store's TTL. Two processes fetching one feed at the same moment could
 * interleave a merge (the bot's poller runs only in the lease holder).
 */

export const DEFAULT_RETENTION_MS = 180 * 24 * 60 * 60 * 1000;
/** 2,000 items (two marks each): forty times a typical feed's length. */
export const MAX_MARKS = 4_000;
/** Marks beyond those of the latest fetch that the recent record collects before a merge (or a quarter of the cap, if less). */
const RECENT_SLACK = 500;
const MIN_TITLE_WORDS = 3;

interface SeenRecord {
  /** The recent marks (MarksTable text). */
  recent?: string;
  /** Bloom filter of the archive's marks (MarkFilter text); none while there is no archive. */
  filter?: string;
  /** How many marks the archive holds. */
  archived?: number;
  /** The two earlier layouts, still read, never written: marks with their epoch ms as parallel arrays, or as one object. */
  ids?: string[];
  seenAt?: number[];
  marks?: Record<string, number>;
}

interface ArchiveRecord {
  table: string;
}

function recentOf(record: SeenRecord | undefined): MarksTable {
  if (!record) return MarksTable.EMPTY;
  if (record.recent !== undefined) return MarksTable.parse(record.recent);
  const earlier = new Map<string, number>(record.marks ? Object.entries(record.marks) : []);
  const { ids = [], seenAt = [] } = record;
  for (let i = 0; i < ids.length; i++) earlier.set(ids[i]!, seenAt[i]!);
  return MarksTable.of(earlier);
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
   * The marks of the items in this fetch (marked, or known recently and so
   * left out of the parse): they stay in the recent record at a merge, where
   * the next fetch's knowsRecently finds them without reading the archive.
   */
  private readonly current = new Set<string>();
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
  /** The archive, once read. */
  private archive: MarksTable | undefined;
  /** Answers of stored(), null for "not there"; forgotten whenever a record is read or written. */
  private readonly lookedUp = new Map<string, number | null>();

  constructor(
    private readonly records: SeenRecords,
    private readonly feedId: string,
    private recent: MarksTable,
    private filter: MarkFilter | undefined,
    private archived: number,
    loadedAt: Date,
    private readonly limits: { retentionMs: number; maxMarks: number },
  ) {
    this.expiredBefore = loadedAt.getTime() - limits.retentionMs;
  }

  private marksOf(item: SeenCandidate): ItemMarks {
    let marks = this.computed.get(item);
    if (!marks) this.computed.set(item, (marks = new ItemMarks(item)));
    return marks;
  }

  /** When the mark was last seen, unless never or too long ago, as far as the records read so far tell. */
  private lastSeen(mark: string): number | undefined {
    const at = this.changes.get(mark) ?? this.stored(mark);
    return at !== undefined && at > this.expiredBefore ? at : undefined;
  }

  /** What the records read so far say of a mark; each mark is looked up once (a fetch asks about each several times). */
  private stored(mark: string): number | undefined {
    let at = this.lookedUp.get(mark);
    if (at === undefined) this.lookedUp.set(mark, (at = this.recent.lastSeen(mark) ?? this.archive?.lastSeen(mark) ?? null));
    return at ?? undefined;
  }

  /** Whether the archive must be read to know this mark: not found so far, and the filter cannot rule it out. */
  private mayBeArchived(mark: string | null): boolean {
    if (mark === null || this.archive !== undefined || this.archived === 0) return false;
    return this.lastSeen(mark) === undefined && (this.filter?.mayHave(mark) ?? true); // no filter (damaged?): read it
  }

  /** Reads the archive when some mark of these items may be in it. */
  private async prepare(items: readonly SeenCandidate[]): Promise<void> {
    if (this.archive !== undefined || this.archived === 0) return;
    const needed = items.some((item) => {
      const marks = this.marksOf(item);
      return this.mayBeArchived(marks.identity) || (this.lastSeen(marks.identity) === undefined && this.mayBeArchived(marks.title));
    });
    if (needed) await this.readArchive();
  }

  private async readArchive(): Promise<MarksTable> {
    if (this.archive === undefined) {
      this.archive = MarksTable.parse((await this.records.archive.get(this.feedId))?.table);
      this.lookedUp.clear();
    }
    return this.archive;
  }

  private known(item: SeenCandidate): boolean {
    const marks = this.marksOf(item);
    if (this.lastSeen(marks.identity) !== undefined) return true;
    const title = marks.title;
    return title !== null && this.lastSeen(title) !== undefined;
  }

  async has(item: SeenCandidate): Promise<boolean> {
    await this.prepare([item]);
    return this.known(item);
  }

  /**
   * Known by this identity and seen within half the retention: marking such
   * an item again changes nothing, so its text need not even be parsed.
   * Answers from what is read already: a mark only the archive holds reads
   * as unknown here (the item is parsed, and unseen() then finds it).
   */
  knowsRecently(identity: string, now: Date): boolean {
    const mark = `i${digest(identity)}`;
    const last = this.lastSeen(mark);
    const known = last !== undefined && last > now.getTime() - this.limits.retentionMs / 2;
    // Such an item is left out of the parse, and so never marked, but it is in the feed: its mark stays recent at a merge.
    if (known) this.current.add(mark);
    return known;
  }

  /** Items not seen before (by identity or title), in the same order. */
  async unseen<T extends SeenCandidate>(items: readonly T[]): Promise<T[]> {
    await this.prepare(items);
    return items.filter((item) => !this.known(item));
  }

  /** Marks items seen now: new ones, and old marks past half the retention (items still in the feed). */
  async mark(items: readonly SeenCandidate[], now: Date): Promise<void> {
    await this.prepare(items);
    const at = now.getTime();
    const refreshBefore = at - this.limits.retentionMs / 2;
    const refresh = (mark: string | null) => {
      if (mark === null) return;
      this.current.add(mark);
      const last = this.lastSeen(mark);
      if (last === undefined || last <= refreshBefore) this.changes.set(mark, at);
    };
    for (const item of items) {
      const marks = this.marksOf(item);
      this.current.add(marks.identity); // what knowsRecently looks up next time
      const last = this.lastSeen(marks.identity);
      // Known and recently seen: both its marks are fresh (they are always refreshed together).
      if (last !== undefined && last > refreshBefore) continue;
      refresh(marks.identity);
      refresh(marks.title);
    }
  }

  /** Writes the marks when they changed, merging the recent ones into the archive when they have outgrown the latest fetch. */
  async save(now: Date): Promise<void> {
    if (this.changes.size === 0) return;
    const { retentionMs, maxMarks } = this.limits;
    let recent = this.recent.merged(this.changes);
    if (recent.size > this.current.size + Math.min(RECENT_SLACK, Math.ceil(maxMarks / 4))) {
      const all = (await this.readArchive()).merged(recent.entries()).cleaned(now.getTime() - retentionMs, maxMarks);
      const [kept, archive] = all.split(this.current);
      // The archive first: should the process stop in between, the recent record still holds what was merged.
      await this.records.archive.set(this.feedId, { table: archive.text }, retentionMs);
      recent = kept;
      this.archive = archive;
      this.archived = archive.size;
      this.filter = archive.size > 0 ? MarkFilter.of(archive) : undefined;
    }
    await this.records.recent.set(this.feedId, { recent: recent.text, filter: this.filter?.toText(), archived: this.archived }, retentionMs);
    this.recent = recent;
    this.changes.clear();
    this.lookedUp.clear();
  }

  /** How many marks are held (expired ones not yet swept out, and an archived mark refreshed since, counted too). */
  get size(): number {
    let added = 0;
    for (const mark of this.changes.keys()) if (this.recent.lastSeen(mark) === undefined) added++;
    return this.recent.size + added + this.archived;
  }
}

interface SeenRecords {
  recent: Collection<SeenRecord>;
  archive: Collection<ArchiveRecord>;
}

export class SeenItems {
  private readonly records: SeenRecords;

  constructor(
    store: Store,
    private readonly retentionMs = DEFAULT_RETENTION_MS,
    private readonly maxMarks = MAX_MARKS,
  ) {
    this.records = { recent: store.collection<SeenRecord>('feed-seen'), archive: store.collection<ArchiveRecord>('feed-seen-archive') };
  }

  /** The feed's marks as they stand at `now`. */
  async forFeed(feedId: string, now: Date): Promise<FeedSeenSet> {
    const record = await this.records.recent.get(feedId);
    const limits = { retentionMs: this.retentionMs, maxMarks: this.maxMarks };
    return new FeedSeenSet(this.records, feedId, recentOf(record), MarkFilter.fromText(record?.filter), record?.archived ?? 0, now, limits);
  }

  /** Forgets a removed feed's marks: if it is added again, it gets a fresh baseline. */
  async forgetFeed(feedId: string): Promise<void> {
    await this.records.archive.delete(feedId);
    await this.records.recent.delete(feedId);
  }
}
