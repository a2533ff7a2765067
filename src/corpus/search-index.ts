import SearchableMap from 'minisearch/SearchableMap';
import type { Article } from './corpus.ts';

/**
 * The full-text index over articles: title boosted, prefix and fuzzy
 * matching, every query term required unless that finds nothing.
 *
 * The term dictionary is MiniSearch's radix tree (SearchableMap), which does
 * the prefix and fuzzy lookups; scoring is MiniSearch's BM25+ with its
 * default parameters and prefix/fuzzy weights. The postings are compact
 * arrays of small integers instead of MiniSearch's per-document Maps: on a
 * generated corpus of 10,000 articles MiniSearch's own index took ~160 MB of
 * heap and tens of milliseconds for a query whose words are in most articles
 * ("korea"), against targets of RSS ≤ 200 MB and /news p99 ≤ 20 ms; this
 * layout takes ~10 MB and a few milliseconds.
 */

/** The result of a query, best first, as parallel lists (no object per hit: a query may match every article). */
export interface RankedIds {
  ids: string[];
  scores: number[];
  /** The indexed words the query matched (lower case), for the snippets. */
  terms: readonly string[];
}

const NO_HITS: RankedIds = { ids: [], scores: [], terms: [] };

const FIELDS = ['title', 'text', 'outlet'] as const;
const BOOST = [3, 1, 1.5]; // per field, in FIELDS order
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Prefix matching from three letters: shorter prefixes match half the vocabulary. */
const MIN_PREFIX_LENGTH = 3;
/** Fuzzy matching from four letters, up to a fifth of the word's letters wrong. */
const MIN_FUZZY_LENGTH = 4;
const FUZZY_FRACTION = 0.2;
const MAX_QUERY_WORDS = 32;

/**
 * A posting packs (document slot, field, term frequency) into one small
 * integer, so a term's postings are one array of numbers.
 */
const TF_BITS = 8;
const FIELD_BITS = 2;
const MAX_TF = (1 << TF_BITS) - 1;
const SLOT_SHIFT = 1 << (TF_BITS + FIELD_BITS);
/** Keeps packed postings within V8's small integers. */
const MAX_SLOTS = 1 << 20;

/**
 * Words too common to tell articles apart. Dropping them keeps the index
 * smaller and spares queries a prefix expansion of "the" or "and".
 */
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his',
  'i', 'if', 'in', 'is', 'it', 'its', 'of', 'on', 'or', 's', 'she', 'so', 't', 'that', 'the', 'their', 'them',
  'then', 'there', 'they', 'this', 'to', 'was', 'we', 'were', 'which', 'who', 'will', 'with',
]);

/** MiniSearch's default tokenizer: split on spaces and punctuation. */
const SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;

/**
 * The words of a text, lower case, stop words included (they count in a
 * field's length). The text is lowered once, not word by word: this runs
 * over every article at start-up.
 */
function tokenize(text: string): string[] {
  const tokens = text.toLowerCase().split(SEPARATOR);
  if (tokens[0] === '') tokens.shift();
  if (tokens[tokens.length - 1] === '') tokens.pop();
  return tokens;
}

/** The words that are indexed and searched for. */
export function indexTerms(text: string): string[] {
  return tokenize(text).filter((t) => !STOP_WORDS.has(t));
}

function fieldText(article: Article, field: number): string {
  if (field === 0) return article.title;
  if (field === 1) return article.paragraphs.join('\n');
  return article.outlet ?? '';
}

/** One query word and the indexed words it stands for, each with a weight. */
interface Expansion {
  term: string;
  postings: Postings;
  weight: number;
}

/** Growable while articles are added; packed into an Int32Array (4 bytes a posting) after a bulk load. */
type Postings = number[] | Int32Array;

export class ArticleSearchIndex {
  /** Every indexed word, for prefix and fuzzy lookups; a word enters once. */
  private readonly vocabulary = new SearchableMap<true>();
  /** Word -> postings: a plain Map, the fastest lookup while indexing. */
  private readonly postings = new Map<string, Postings>();
  /** Slot -> article id; a replaced or removed article leaves a dead slot behind. */
  private readonly slotIds: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private alive = new Uint8Array(1024);
  /** Field lengths (in terms) per slot, field-major: fieldLengths[field * capacity + slot]. */
  private fieldLengths = new Uint32Array(1024 * FIELDS.length);
  private readonly totalFieldLength = FIELDS.map(() => 0);
  private liveCount = 0;
  /** Per-query scratch space, reused so a query allocates little. */
  private scores = new Float64Array(0);
  private matched = new Uint8Array(0);
  private lastSeen = new Int32Array(0);

  get size(): number {
    return this.liveCount;
  }

  addAll(articles: readonly Article[]): void {
    for (const article of articles) this.upsert(article);
    this.compact();
  }

  /** Packs every term's postings tightly: half the memory of an array of numbers, no spare capacity. */
  compact(): void {
    for (const [term, postings] of this.postings) {
      if (Array.isArray(postings)) this.postings.set(term, Int32Array.from(postings));
    }
  }

  /** Adds the article, or re-indexes it when its id is already there. */
  upsert(article: Article): void {
    this.remove(article.id);
    const slot = this.slotIds.length;
    if (slot >= MAX_SLOTS) throw new Error(`the search index is full (${MAX_SLOTS} articles added since start-up)`);
    this.ensureCapacity(slot + 1);
    this.slotIds.push(article.id);
    this.slotOf.set(article.id, slot);
    this.alive[slot] = 1;
    this.liveCount++;
    for (let field = 0; field < FIELDS.length; field++) {
      const tokens = tokenize(fieldText(article, field));
      this.fieldLengths[field * this.alive.length + slot] = tokens.length;
      this.totalFieldLength[field]! += tokens.length;
      const frequencies = new Map<string, number>();
      for (const term of tokens) if (!STOP_WORDS.has(term)) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      for (const [term, tf] of frequencies) {
        let postings = this.postings.get(term);
        if (!postings) this.vocabulary.set(term, true);
        if (!Array.isArray(postings)) this.postings.set(term, (postings = postings ? Array.from(postings) : []));
        postings.push(slot * SLOT_SHIFT + (field << TF_BITS) + Math.min(tf, MAX_TF));
      }
    }
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.alive[slot] = 0;
    this.liveCount--;
    for (let field = 0; field < FIELDS.length; field++) this.totalFieldLength[field]! -= this.fieldLengths[field * this.alive.length + slot]!;
  }

  /**
   * Best first. Every query word must match (exactly or as a prefix); when
   * no article has them all, typo-tolerant matching is tried, then any word.
   */
  search(query: string): RankedIds {
    // A query longer than this is not a search anyone types; the cap keeps per-article counters in a byte.
    const words = [...new Set(indexTerms(query))].slice(0, MAX_QUERY_WORDS);
    if (words.length === 0 || this.liveCount === 0) return NO_HITS;
    const exact = words.map((w) => this.expand(w, false));
    let hits = this.score(exact, true);
    if (hits.ids.length > 0) return hits;
    const fuzzy = words.map((w) => this.expand(w, true));
    hits = this.score(fuzzy, true);
    return hits.ids.length > 0 ? hits : this.score(fuzzy, false);
  }

  private expand(word: string, fuzzy: boolean): Expansion[] {
    const found = new Map<string, Expansion>();
    const add = (term: string, weight: number) => found.set(term, { term, postings: this.postings.get(term)!, weight });
    if (this.postings.has(word)) add(word, 1);
    if (word.length >= MIN_PREFIX_LENGTH) {
      for (const term of this.vocabulary.atPrefix(word).keys()) {
        const distance = term.length - word.length;
        if (distance > 0) add(term, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    if (fuzzy && word.length >= MIN_FUZZY_LENGTH) {
      const maxDistance = Math.round(word.length * FUZZY_FRACTION);
      for (const [term, [, distance]] of this.vocabulary.fuzzyGet(word, maxDistance)) {
        if (distance > 0 && !found.has(term)) add(term, (FUZZY_WEIGHT * term.length) / (term.length + distance));
      }
    }
    return [...found.values()];
  }

  /** BM25+ per field, boosted, summed over the words; `all`: a hit must match every word. */
  private score(words: Expansion[][], all: boolean): RankedIds {
    const slots = this.slotIds.length;
    if (this.scores.length < slots) {
      this.scores = new Float64Array(this.alive.length);
      this.matched = new Uint8Array(this.alive.length);
      this.lastSeen = new Int32Array(this.alive.length);
    }
    const { scores, matched, lastSeen, alive } = this;
    scores.fill(0, 0, slots);
    matched.fill(0, 0, slots);
    lastSeen.fill(-1, 0, slots);
    const capacity = alive.length;
    const averageLength = this.totalFieldLength.map((total) => total / this.liveCount || 1);
    const terms: string[] = [];
    const documentCount = [0, 0, 0];

    words.forEach((expansions, w) => {
      for (const { term, postings, weight } of expansions) {
        // How many live articles have the term, per field: the rarer, the more it counts.
        documentCount.fill(0);
        for (const posting of postings) {
          if (alive[Math.floor(posting / SLOT_SHIFT)]) documentCount[(posting >> TF_BITS) & 3]!++;
        }
        if (documentCount[0] === 0 && documentCount[1] === 0 && documentCount[2] === 0) continue;
        terms.push(term);
        const idf = documentCount.map((n) => Math.log(1 + (this.liveCount - n + 0.5) / (n + 0.5)));
        for (const posting of postings) {
          const slot = Math.floor(posting / SLOT_SHIFT);
          if (!alive[slot]) continue;
          const field = (posting >> TF_BITS) & 3;
          const tf = posting & MAX_TF;
          const length = this.fieldLengths[field * capacity + slot]!;
          const bm25 = idf[field]! * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / averageLength[field]!)));
          scores[slot]! += weight * BOOST[field]! * bm25;
          if (lastSeen[slot] !== w) {
            lastSeen[slot] = w;
            matched[slot]!++;
          }
        }
      }
    });

    const needed = all ? words.length : 1;
    const found: number[] = [];
    for (let slot = 0; slot < slots; slot++) if (matched[slot]! >= needed) found.push(slot);
    found.sort((a, b) => scores[b]! - scores[a]! || a - b);
    return { ids: found.map((slot) => this.slotIds[slot]!), scores: found.map((slot) => scores[slot]!), terms };
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.alive.length) return;
    let capacity = this.alive.length;
    while (capacity < slots) capacity *= 2;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    const lengths = new Uint32Array(capacity * FIELDS.length);
    for (let field = 0; field < FIELDS.length; field++) {
      lengths.set(this.fieldLengths.subarray(field * this.alive.length, (field + 1) * this.alive.length), field * capacity);
    }
    this.alive = alive;
    this.fieldLengths = lengths;
  }
}
