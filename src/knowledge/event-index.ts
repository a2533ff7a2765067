import { comparePartialDates, dateRange } from '../core/dates.ts';
import { partitionPoint } from '../core/partition-point.ts';
import { keywordKeys } from './normalize.ts';
import type { KnowledgeEvent } from './schema.ts';

/**
 * Events in chronological order, with what /timeline filters on indexed:
 * the period (binary search on the first day), the entities involved and the
 * words of summaries and entity names (inverted lists), so a query over tens
 * of thousands of events touches only the ones that can match.
 */

interface Entry {
  event: KnowledgeEvent;
  /** First and last day the date covers, `YYYY-MM-DD`. */
  start: string;
  end: string;
  /** Order of arrival: ties of equal dates keep it. */
  seq: number;
}

export interface EventFilter {
  /** Events involving any of these entities match... */
  entityIds: ReadonlySet<string>;
  /** ...and so do those whose words start with every one of these keys. */
  keywords: readonly string[];
}

export interface Window {
  offset?: number;
  limit?: number;
}

export interface Selected {
  /** How many events match in all. */
  total: number;
  /** Those in the window asked for. */
  events: KnowledgeEvent[];
}

export class EventIndex {
  /** Chronological. */
  private entries: Entry[] = [];
  /**
   * Added since `entries` was last put in order, merged in by the first
   * query that needs the order: a knowledge base restoring or rebuilding
   * tens of thousands of extracted events adds them one by one, and putting
   * each in its place at once moved half the array every time (quadratic).
   */
  private pending: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private readonly byEntity = new Map<string, Entry[]>();
  private readonly byWord = new Map<string, Entry[]>();
  /** Sorted distinct words, for prefix matching ("summit" finds "summits"); rebuilt when stale. */
  private vocabulary: string[] = [];
  private vocabularyStale = false;
  private seq = 0;
  private anniversaryList: KnowledgeEvent[] = [];

  /** `namesOf(entityId)` gives an entity's name and aliases: an event is found by them too. */
  constructor(events: readonly KnowledgeEvent[], private readonly namesOf: (entityId: string) => string[]) {
    for (const event of events) this.entries.push(this.register(event));
    this.entries.sort(chronological);
    this.anniversaryList = this.entries.filter(isAnniversary).map((e) => e.event);
  }

  add(event: KnowledgeEvent): void {
    this.pending.push(this.register(event));
  }

  get(id: string): KnowledgeEvent | undefined {
    return this.byId.get(id)?.event;
  }

  get size(): number {
    return this.entries.length + this.pending.length;
  }

  all(): KnowledgeEvent[] {
    return this.ordered().map((e) => e.event);
  }

  /** Events flagged as anniversaries with a full date, chronological; kept apart because reminders ask often. */
  anniversaries(): readonly KnowledgeEvent[] {
    this.ordered();
    return this.anniversaryList;
  }

  /**
   * Events overlapping [from, to] (`YYYY-MM-DD`, either open) that pass the
   * filter, chronological: how many in all, and those in the window
   * [offset, offset + limit) — a page, without building the whole list.
   */
  select(from: string | undefined, to: string | undefined, filter?: EventFilter, window: Window = {}): Selected {
    const entries = this.ordered();
    const offset = window.offset ?? 0;
    const end = offset + (window.limit ?? Number.POSITIVE_INFINITY);
    // A date covers at most one year, so nothing starting before from's year can reach it.
    const first = from === undefined ? 0 : this.firstStartingAtOrAfter(`${from.slice(0, 4)}-01-01`);
    const last = to === undefined ? entries.length : this.firstStartingAtOrAfter(`${to}~`);
    const inRange = (e: Entry) => (from === undefined || e.end >= from) && (to === undefined || e.start <= to);
    const matching = filter ? this.matching(filter) : undefined;
    // Few matches: sort them. Many (or no filter): walk the period in order.
    if (matching && matching.size * 8 < last - first) {
      const sorted = [...matching].filter(inRange).sort(chronological);
      return { total: sorted.length, events: sorted.slice(offset, end).map((e) => e.event) };
    }
    // How many match: counted from the set, or, without a filter, from the positions (every entry from the first
    // starting on `from` up to `last` is in the period; before it, only those reaching into it). Then the period is
    // walked only up to the page's end: walking all of it took ~4-8 ms at 100,000 events (issue 16).
    let total = 0;
    if (matching) {
      for (const entry of matching) if (inRange(entry)) total++;
    } else {
      const startingInside = Math.min(last, Math.max(first, from === undefined ? first : this.firstStartingAtOrAfter(from)));
      total = last - startingInside;
      for (let i = first; i < startingInside; i++) if (inRange(entries[i]!)) total++;
    }
    const events: KnowledgeEvent[] = [];
    let seen = 0;
    for (let i = first; i < last && seen < end; i++) {
      const entry = entries[i]!;
      if ((matching && !matching.has(entry)) || !inRange(entry)) continue;
      if (seen >= offset) events.push(entry.event);
      seen++;
    }
    return { total, events };
  }

  /** Events whose period overlaps [start, end] and that involve one of `entityIds`. */
  overlapping(start: string, end: string, entityIds: readonly string[]): KnowledgeEvent[] {
    return entityIds
      .flatMap((id) => this.byEntity.get(id) ?? [])
      .filter((e) => e.start <= end && e.end >= start)
      .map((e) => e.event);
  }

  private matching(filter: EventFilter): Set<Entry> {
    const out = new Set<Entry>();
    for (const id of filter.entityIds) for (const entry of this.byEntity.get(id) ?? []) out.add(entry);
    if (filter.keywords.length === 0) return out;
    let withAll: Set<Entry> | undefined;
    for (const keyword of filter.keywords) {
      const withThis = new Set<Entry>();
      for (const word of this.wordsStartingWith(keyword)) {
        for (const entry of this.byWord.get(word)!) if (!withAll || withAll.has(entry)) withThis.add(entry);
      }
      withAll = withThis;
      if (withAll.size === 0) break;
    }
    for (const entry of withAll ?? []) out.add(entry);
    return out;
  }

  private wordsStartingWith(prefix: string): string[] {
    if (this.vocabularyStale) {
      this.vocabulary = [...this.byWord.keys()].sort();
      this.vocabularyStale = false;
    }
    const vocabulary = this.vocabulary;
    const out: string[] = [];
    for (let i = partitionPoint(vocabulary.length, (j) => vocabulary[j]! < prefix); i < vocabulary.length && vocabulary[i]!.startsWith(prefix); i++) {
      out.push(vocabulary[i]!);
    }
    return out;
  }

  private register(event: KnowledgeEvent): Entry {
    const { start, end } = dateRange(event.date);
    const entry: Entry = { event, start, end, seq: this.seq++ };
    this.byId.set(event.id, entry);
    for (const id of new Set(event.entities)) push(this.byEntity, id, entry);
    const texts = [event.summary, ...event.entities.flatMap((id) => this.namesOf(id))];
    for (const word of new Set(texts.flatMap(keywordKeys))) {
      if (!this.byWord.has(word)) this.vocabularyStale = true;
      push(this.byWord, word, entry);
    }
    return entry;
  }

  /** The entries in order, with those added since merged in. */
  private ordered(): Entry[] {
    if (this.pending.length === 0) return this.entries;
    const added = this.pending.sort(chronological);
    this.pending = [];
    this.entries = mergeSorted(this.entries, added);
    if (added.some(isAnniversary)) this.anniversaryList = this.entries.filter(isAnniversary).map((e) => e.event);
    return this.entries;
  }

  private firstStartingAtOrAfter(day: string): number {
    return partitionPoint(this.entries.length, (i) => this.entries[i]!.start < day);
  }
}

function isAnniversary(entry: Entry): boolean {
  return entry.event.anniversary && entry.event.date.day !== undefined;
}

/** Chronological; a less precise date before the days it contains; then order of arrival. */
function chronological(a: Entry, b: Entry): number {
  return comparePartialDates(a.event.date, b.event.date) || a.seq - b.seq;
}

/** Two chronological lists as one (no two entries are equal: each has its own seq). */
function mergeSorted(a: readonly Entry[], b: readonly Entry[]): Entry[] {
  const out: Entry[] = new Array<Entry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = chronological(a[i]!, b[j]!) < 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
