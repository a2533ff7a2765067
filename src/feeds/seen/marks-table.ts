/**
 * The two data structures behind a feed's seen marks (seen-items.ts):
 *
 * - MarksTable: marks with the time each was last seen, as one string of
 *   fixed-width entries sorted by mark: the mark (MARK_LENGTH characters),
 *   then minutes since 1970 in base 36 (TIME_LENGTH characters). A
 *   long-watched feed holds thousands of marks; as a JSON array or object,
 *   parsing them, building a Map and serialising them again cost ~6 ms per
 *   fetch at 10,000 marks, six times parsing the feed itself. One string is
 *   read and written by JSON almost as a copy, a lookup is a binary search,
 *   and a merge splices the few changed entries in.
 * - MarkFilter: a Bloom filter over a table's marks, small enough to travel
 *   with every read, answering "certainly not there" for most absent marks so
 *   the large table need not be read at all.
 *
 * Both are hand-made for one measured figure: "feeds: CPU per changed feed
 * (5 new items) ÷ rss-parser alone", target ≤ 1.5 × (README "Measured
 * figures", bench/feeds.ts, every feed starting at the cap of marks; 1.37 ×
 * on 2026-12-04). Measured with and without on 2026-12-04 (`npm run bench
 * -- feeds`, 2 cores shared, load 3–6, so that ratio moves by ±0.15; base
 * 1.61–1.78 ×), and the seen work of one changed fetch timed alone (a feed
 * at the cap, 45 of 50 items known, 1,500 fetches):
 * - MarksTable against the plain layout (a JSON object of mark → time read
 *   into a Map, same two records and filter): 3.76–3.88 ×; the seen work
 *   2.2 ms a fetch against 0.63 ms. It earns its place.
 * - MarkFilter against none (the archive read at every changed fetch):
 *   1.59–2.46 ×, within the bench's noise; the seen work 0.50–0.55 ms
 *   against 0.43–0.45 ms on SQLite (0.05–0.1 × of the ratio, of a 0.13 ×
 *   margin to the target), 0.88–1.73 ms against 0.63–0.96 ms on Redis,
 *   where each changed fetch would also carry the ~90 KB archive over the
 *   network. Kept for that margin and for Redis.
 */

import { partitionPoint } from '../../core/partition-point.ts';

/** "i" (identity) or "t" (title), then 16 hex digits of a SHA-1. */
const MARK_LENGTH = 17;
const TIME_LENGTH = 6;
const ENTRY_LENGTH = MARK_LENGTH + TIME_LENGTH;
const MINUTE_MS = 60_000;

const encodeTime = (ms: number) => Math.floor(ms / MINUTE_MS).toString(36).padStart(TIME_LENGTH, '0');

export class MarksTable {
  static readonly EMPTY = new MarksTable('');

  constructor(readonly text: string) {}

  /** A table as stored; what is not a whole entry (a damaged record) is left out rather than misread. */
  static parse(text: unknown): MarksTable {
    if (typeof text !== 'string') return MarksTable.EMPTY;
    return new MarksTable(text.slice(0, text.length - (text.length % ENTRY_LENGTH)));
  }

  /** A table of these marks and times (epoch ms); strings that are not marks are left out. */
  static of(entries: ReadonlyMap<string, number>): MarksTable {
    return MarksTable.EMPTY.merged(entries);
  }

  get size(): number {
    return this.text.length / ENTRY_LENGTH;
  }

  private markAt(index: number): string {
    return this.text.slice(index * ENTRY_LENGTH, index * ENTRY_LENGTH + MARK_LENGTH);
  }

  /** Read in place: a merge reads every entry's time, and a slice per entry was most of its garbage. */
  private timeAt(index: number): number {
    return numberAt(this.text, index * ENTRY_LENGTH + MARK_LENGTH, TIME_LENGTH, 36) * MINUTE_MS;
  }

  /** The entry holding `mark`, or where it would go. */
  private search(mark: string): { index: number; found: boolean } {
    const index = partitionPoint(this.size, (i) => this.compareAt(i, mark) < 0);
    return { index, found: index < this.size && this.compareAt(index, mark) === 0 };
  }

  /** The entry's mark against `mark`, as `<` would order them, without cutting a string out (the hot loop of every lookup). */
  private compareAt(index: number, mark: string): number {
    const start = index * ENTRY_LENGTH;
    for (let i = 0; i < MARK_LENGTH; i++) {
      const difference = this.text.charCodeAt(start + i) - mark.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return 0;
  }

  /** When the mark was last seen (epoch ms, to the minute), if it is here. */
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

  /** Every entry as mark → epoch ms (reads them all: for small tables or rare merges). */
  entries(): Map<string, number> {
    const entries = new Map<string, number>();
    for (let index = 0; index < this.size; index++) entries.set(this.markAt(index), this.timeAt(index));
    return entries;
  }

  /** The marks seen after `cutoff`, at most `cap` of them (the most recently seen). */
  cleaned(cutoff: number, cap: number): MarksTable {
    const times = new Float64Array(this.size);
    for (let index = 0; index < times.length; index++) times[index] = this.timeAt(index);
    const live = times.filter((at) => at > cutoff);
    let keep = (at: number) => at > cutoff;
    if (live.length > cap) {
      // The cap-th most recent time is the oldest kept, and only as many of the marks seen at that minute as fit.
      live.sort();
      const oldestKept = live[live.length - cap]!;
      let ties = live.lastIndexOf(oldestKept) - (live.length - cap) + 1;
      keep = (at) => at > oldestKept || (at === oldestKept && ties-- > 0);
    }
    return this.selected((index) => keep(times[index]!));
  }

  /** The entries for which `chosen` holds, copied run by run (most are kept, so few strings are cut). */
  private selected(chosen: (index: number) => boolean): MarksTable {
    const runs: string[] = [];
    let runStart = -1;
    for (let index = 0; index <= this.size; index++) {
      const inRun = index < this.size && chosen(index);
      if (inRun && runStart === -1) runStart = index;
      if (!inRun && runStart !== -1) {
        runs.push(this.text.slice(runStart * ENTRY_LENGTH, index * ENTRY_LENGTH));
        runStart = -1;
      }
    }
    return new MarksTable(runs.join(''));
  }

  /** The table split in two: the entries whose mark is in `marks`, and the others. */
  split(marks: ReadonlySet<string>): [inside: MarksTable, outside: MarksTable] {
    const insideAt = new Set<number>();
    for (const mark of marks) {
      const { index, found } = this.search(mark);
      if (found) insideAt.add(index);
    }
    return [this.selected((index) => insideAt.has(index)), this.selected((index) => !insideAt.has(index))];
  }
}

/** About 1 % false "maybe"s: 9.6 bits per mark, 7 probes. */
const BITS_PER_MARK = 9.6;
const PROBES = 7;
const MIN_BYTES = 64;

export class MarkFilter {
  private constructor(private readonly bits: Uint8Array) {}

  static of(table: MarksTable): MarkFilter {
    const filter = new MarkFilter(new Uint8Array(Math.max(MIN_BYTES, Math.ceil((table.size * BITS_PER_MARK) / 8))));
    const size = filter.bits.length * 8;
    for (let offset = 0; offset < table.text.length; offset += ENTRY_LENGTH) {
      const first = firstHash(table.text, offset);
      const step = stepHash(table.text, offset);
      for (let i = 0; i < PROBES; i++) {
        const position = (first + i * step) % size;
        filter.bits[position >>> 3]! |= 1 << (position & 7);
      }
    }
    return filter;
  }

  /** A filter as toText() wrote it; undefined when there is none or it is damaged (then every mark is a "maybe"). */
  static fromText(text: string | undefined): MarkFilter | undefined {
    if (!text) return undefined;
    const bits = Buffer.from(text, 'base64');
    return bits.length >= MIN_BYTES ? new MarkFilter(new Uint8Array(bits)) : undefined;
  }

  toText(): string {
    return Buffer.from(this.bits).toString('base64');
  }

  /** False: the mark is certainly not in the table. True: it may be. */
  mayHave(mark: string): boolean {
    const size = this.bits.length * 8;
    const first = firstHash(mark, 0);
    const step = stepHash(mark, 0);
    for (let i = 0; i < PROBES; i++) {
      const position = (first + i * step) % size;
      if ((this.bits[position >>> 3]! & (1 << (position & 7))) === 0) return false;
    }
    return true;
  }
}

/*
 * The filter's two hashes of the mark at `offset` in `text` (probe i is at
 * first + i × step): its hex digits are already a hash, so its two 32-bit
 * halves, with the "i"/"t" prefix folded into the first so that an identity
 * and a title mark with the same digits differ.
 */
const firstHash = (text: string, offset: number) => (numberAt(text, offset + 1, 8, 16) ^ (text.charCodeAt(offset) << 24)) >>> 0;
const stepHash = (text: string, offset: number) => (numberAt(text, offset + 9, 8, 16) | 1) >>> 0;

/** The number written in `length` lower-case digits (0-9, a-z) of `radix` at `from`, read without cutting a string out. */
function numberAt(text: string, from: number, length: number, radix: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const code = text.charCodeAt(i);
    value = value * radix + (code <= 57 ? code - 48 : code - 87);
  }
  return value;
}
