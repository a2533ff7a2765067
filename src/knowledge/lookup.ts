import { partitionPoint } from '../core/partition-point.ts';
import { boundedEditDistance, nameKey, stripTitles } from './normalize.ts';
import type { Alias, Entity } from './schema.ts';

/**
 * Finds entities by the names people type. Every key is normalised once, when
 * an entity is added; a lookup is then a few Map reads, and a prefix search a
 * binary search in a sorted array of keys.
 */

export type LookupResult =
  | { kind: 'found'; entity: Entity; via: 'name' | 'alias' | 'surname'; alias?: Alias }
  | { kind: 'ambiguous'; candidates: Entity[] }
  /** Nearest names by edit distance, best first (possibly none). */
  | { kind: 'unknown'; suggestions: Entity[] };

export interface Completion {
  id: string;
  name: string;
  /** The name or alias the prefix matched. */
  matched: string;
}

interface KeyEntry {
  key: string;
  id: string;
  label: string;
  via: 'name' | 'alias' | 'surname';
  alias?: Alias;
}

export class NameIndex {
  private readonly byId = new Map<string, Entity>();
  /** Canonical names and aliases. */
  private readonly exact = new Map<string, KeyEntry[]>();
  /** People's surnames, consulted only when no name or alias matches. */
  private readonly surnames = new Map<string, KeyEntry[]>();
  /** Every key, sorted, for prefix search. */
  private sorted: KeyEntry[] = [];
  /** The fuzzy fallback's indexes, over distinct keys numbered in order of arrival. */
  private readonly keys: string[] = [];
  private readonly keyNumbers = new Map<string, number>();
  /** Each key with one letter deleted → the keys it came from: distance-1 matches by hashing. */
  private readonly deletions = new Map<string, number[]>();
  /** Letter pair → keys containing it, for the q-gram filter at distance 2-3. */
  private readonly byBigram = new Map<string, number[]>();
  private readonly byLength = new Map<number, number[]>();

  constructor(entities: Iterable<Entity> = []) {
    const batch: KeyEntry[] = [];
    for (const entity of entities) batch.push(...this.register(entity));
    this.sorted = batch.sort(compareEntries);
  }

  /** Adds an entity after construction (ingested records); keeps the sorted array sorted. */
  add(entity: Entity): void {
    for (const entry of this.register(entity)) {
      this.sorted.splice(lowerBound(this.sorted, entry.key, entry.label), 0, entry);
    }
  }

  get(id: string): Entity | undefined {
    return this.byId.get(id);
  }

  /**
   * `suggest: false` skips the nearest-name search for an unknown name: the
   * check "is this name taken?" (ingest, start-up restore) needs no suggestions,
   * and they are most of an unknown name's cost.
   */
  lookup(input: string, options: { suggest?: boolean } = {}): LookupResult {
    const key = nameKey(input);
    if (key === '') return { kind: 'unknown', suggestions: [] };
    const stripped = stripTitles(input);
    const strippedKey = stripped === undefined ? undefined : nameKey(stripped);
    const attempts = [
      this.exact.get(key),
      strippedKey ? this.exact.get(strippedKey) : undefined,
      this.surnames.get(key),
      strippedKey ? this.surnames.get(strippedKey) : undefined,
    ];
    for (const entries of attempts) {
      if (!entries || entries.length === 0) continue;
      const ids = unique(entries.map((e) => e.id));
      if (ids.length === 1) {
        const entry = entries[0]!;
        return { kind: 'found', entity: this.byId.get(entry.id)!, via: entry.via, alias: entry.alias };
      }
      return { kind: 'ambiguous', candidates: ids.map((id) => this.byId.get(id)!) };
    }
    return { kind: 'unknown', suggestions: options.suggest === false ? [] : this.nearest(strippedKey ?? key) };
  }

  /** Entities whose name, alias or surname starts with `prefix`, in key order, at most `limit`. */
  complete(prefix: string, limit = 25): Completion[] {
    let key = nameKey(prefix);
    let start = lowerBound(this.sorted, key, '');
    if (key !== '' && !this.sorted[start]?.key.startsWith(key)) {
      const stripped = stripTitles(prefix);
      if (stripped !== undefined) {
        key = nameKey(stripped);
        start = lowerBound(this.sorted, key, '');
      }
    }
    const out: Completion[] = [];
    const seen = new Set<string>();
    for (let i = start; i < this.sorted.length && out.length < limit; i++) {
      const entry = this.sorted[i]!;
      if (!entry.key.startsWith(key)) break;
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      out.push({ id: entry.id, name: this.byId.get(entry.id)!.name, matched: entry.label });
    }
    return out;
  }

  private register(entity: Entity): KeyEntry[] {
    this.byId.set(entity.id, entity);
    const entries: KeyEntry[] = [{ key: nameKey(entity.name), id: entity.id, label: entity.name, via: 'name' }];
    for (const alias of entity.aliases) entries.push({ key: nameKey(alias.name), id: entity.id, label: alias.name, via: 'alias', alias });
    const out: KeyEntry[] = [];
    for (const entry of entries) {
      if (entry.key === '' || (this.exact.get(entry.key) ?? []).some((e) => e.id === entity.id)) continue;
      push(this.exact, entry.key, entry);
      out.push(entry);
    }
    const surname = surnameOf(entity);
    if (surname) {
      const entry: KeyEntry = { key: nameKey(surname), id: entity.id, label: surname, via: 'surname' };
      if (!out.some((e) => e.key === entry.key)) {
        push(this.surnames, entry.key, entry);
        out.push(entry);
      }
    }
    for (const entry of out) this.indexForFuzzy(entry.key);
    return out;
  }

  private indexForFuzzy(key: string): void {
    if (this.keyNumbers.has(key)) return;
    const n = this.keys.length;
    this.keys.push(key);
    this.keyNumbers.set(key, n);
    for (const variant of new Set(oneDeleted(key))) push(this.deletions, variant, n);
    for (const pair of new Set(bigrams(key))) push(this.byBigram, pair, n);
    push(this.byLength, key.length, n);
  }

  /**
   * Up to `count` entities whose keys are within a small edit distance,
   * closest first. Distance 1 is found by hashing one-letter deletions (a
   * typo, a missing or extra letter); wider distances only when that finds
   * nothing, through the q-gram filter, checking at most MAX_CHECKED keys so
   * a query costs the same however many entities there are.
   */
  private nearest(key: string, count = 5): Entity[] {
    const max = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
    const distances = new Map<number, number>();
    const consider = (n: number, limit: number) => {
      if (distances.has(n)) return;
      const d = boundedEditDistance(key, this.keys[n]!, limit);
      if (d <= limit) distances.set(n, d);
    };
    for (const variant of [key, ...oneDeleted(key)]) {
      for (const n of this.deletions.get(variant) ?? []) consider(n, 1);
      const same = this.keyNumbers.get(variant);
      if (same !== undefined) consider(same, 1);
    }
    if (distances.size === 0 && max > 1) {
      for (const n of this.wideCandidates(key, max)) consider(n, max);
    }
    return this.entitiesOf(distances).slice(0, count);
  }

  /** Keys sharing enough letter pairs with `key` to be within `max` edits, most shared first. */
  private wideCandidates(key: string, max: number): number[] {
    const pairs = [...new Set(bigrams(key))];
    // One edit destroys at most two of the key's letter pairs.
    const needed = pairs.length - 2 * max;
    const fits = (n: number) => Math.abs(this.keys[n]!.length - key.length) <= max;
    if (needed <= 0) {
      const out: number[] = [];
      for (let length = key.length - max; length <= key.length + max && out.length < MAX_CHECKED; length++) out.push(...(this.byLength.get(length) ?? []));
      return out.slice(0, MAX_CHECKED);
    }
    const shared = new Int32Array(this.keys.length);
    const touched: number[] = [];
    for (const pair of pairs) {
      for (const n of this.byBigram.get(pair) ?? []) {
        if (shared[n] === 0) touched.push(n);
        shared[n] = shared[n]! + 1;
      }
    }
    return touched
      .filter((n) => shared[n]! >= needed && fits(n))
      .sort((a, b) => shared[b]! - shared[a]!)
      .slice(0, MAX_CHECKED);
  }

  /** The entities of the keys found, nearest first (ties by id), each once. */
  private entitiesOf(distances: Map<number, number>): Entity[] {
    const scored: Array<{ id: string; distance: number }> = [];
    for (const [n, distance] of distances) {
      const key = this.keys[n]!;
      for (const entry of [...(this.exact.get(key) ?? []), ...(this.surnames.get(key) ?? [])]) scored.push({ id: entry.id, distance });
    }
    scored.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
    return unique(scored.map((s) => s.id)).map((id) => this.byId.get(id)!);
  }
}

/** How many keys the wide fuzzy search checks at most. */
const MAX_CHECKED = 300;

/** A person's surname: given, or the last word of the name ("Mike Pompeo" → Pompeo). */
export function surnameOf(entity: Entity): string | undefined {
  if (entity.kind !== 'person') return undefined;
  if (entity.surname) return entity.surname;
  const words = entity.name.split(/\s+/);
  return words.length > 1 ? words[words.length - 1] : undefined;
}

function compareEntries(a: KeyEntry, b: KeyEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.label.localeCompare(b.label);
}

/** First index whose entry sorts at or after (key, label). */
function lowerBound(sorted: readonly KeyEntry[], key: string, label: string): number {
  return partitionPoint(sorted.length, (i) => {
    const entry = sorted[i]!;
    return entry.key < key || (entry.key === key && entry.label.localeCompare(label) < 0);
  });
}

/** The overlapping letter pairs of a key ("moon" → mo, oo, on). */
function bigrams(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < key.length; i++) out.push(key.slice(i, i + 2));
  return out;
}

/** The key with each one of its letters deleted ("moon" → oon, mon, moo). */
function oneDeleted(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + key.slice(i + 1));
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
