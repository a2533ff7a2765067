import SearchableMap from 'minisearch/SearchableMap';
import type { Article } from './corpus.ts';
import { fieldTexts, indexTerms, ownCopy, STOP_WORDS, tokenize } from './tokens.ts';

export { indexTerms } from './tokens.ts';

/**
 * The full-text index over articles: title boosted, prefix and fuzzy
 * matching, every query term required unless that finds nothing.
 *
 * The term dictionary is MiniSearch's radix tree (SearchableMap), which does
 * the prefix and fuzzy lookups; scoring is MiniSearch's BM25+ with its
 * default parameters and prefix/fuzzy weights. The postings are hand-made,
 * small integers in one typed array instead of MiniSearch's per-document
 * Maps, for two rows of README "Measured figures" (bench/news.ts): "RSS
 * with 10,000 articles loaded" ≤ 200 MB (193 MB on 2026-12-04) and "/news
 * p99, 10,000 articles" ≤ 20 ms (1.01 ms). MiniSearch's own index took
 * ~160 MB of heap there and tens of ms for a query whose words are in most
 * articles ("korea"); these postings ~7 MB (1.8 million of them), a few ms.
 *
 * Building it must not make garbage that outlives it: V8 grows the heap to
 * hold what indexing throws away and does not hand that memory back, so
 * garbage at start-up is resident memory for the life of the process. Hence
 * the two-pass bulk load, the per-article scratch arrays and the dictionary's
 * own copies of words (see addAll, indexArticle, ownCopy).
 */

/** The result of a query, best first, as parallel lists (no object per hit: a query may match every article). */
export interface RankedIds {
  ids: string[];
  scores: number[];
  /** The indexed words the query matched (lower case), for the snippets. */
  terms: readonly string[];
  /** How many articles matched, `limit` or not. */
  total: number;
}

const NO_HITS: RankedIds = { ids: [], scores: [], terms: [], total: 0 };
/**
 * Up to this `limit`, the best are picked in one pass over the matches
 * instead of sorting them all: a query whose words are in most of 100,000
 * articles ("korea") spent ~60 ms of its ~100 ms sorting them (issue 16).
 */
const MAX_SELECTED = 1000;

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

/** One query word and the indexed words it stands for, each with a weight. */
interface Expansion {
  term: string;
  termId: number;
  weight: number;
}

/** Where indexing sends each (term, posting): counted, stored in place, or appended. */
type Emit = (termId: number, posting: number) => void;

/** Postings added one article at a time are merged into the packed array once they reach this share of it. */
const TAIL_SHARE = 0.25;
const MIN_TAIL_TO_PACK = 50_000;

export class ArticleSearchIndex {
  /** Every indexed word, for prefix and fuzzy lookups; a word enters once. */
  private readonly vocabulary = new SearchableMap<true>();
  /** Word -> term id: a plain Map, the fastest lookup while indexing. */
  private readonly termIds = new Map<string, number>();
  /**
   * Every term's postings in one typed array, term after term, each term's
   * in the order the articles were added: term t's are
   * postings[postingsStart[t] .. postingsStart[t + 1]). Built at its exact
   * size (see addAll), so a bulk load leaves no garbage behind.
   */
  private postings = new Int32Array(0);
  private postingsStart = new Int32Array(1);
  /** Postings of articles added one by one since the last pack, per term id; they follow the packed ones. */
  private readonly tails = new Map<number, number[]>();
  private tailCount = 0;
  /** Per term id, during addAll: how many postings the articles being added give it. */
  private newPostings: Int32Array = new Int32Array(1024);
  /** Per-article scratch: each term's frequency in the field being indexed, and the terms seen in it. */
  private termFrequency: Int32Array = new Int32Array(1024);
  private fieldTerms: Int32Array = new Int32Array(1024);
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

  /**
   * Adds (or re-indexes) many articles. Two passes over the text: the first
   * counts each term's postings, the second writes them straight into one
   * array of the exact size. Tokenising twice costs some CPU at start-up but
   * creates no growing arrays to copy and throw away, which otherwise leave
   * the heap (and the process) tens of megabytes larger for good.
   */
  addAll(articles: readonly Article[]): void {
    const firstSlot = this.slotIds.length;
    for (const article of articles) {
      const slot = this.claimSlot(article.id);
      this.indexArticle(article, slot, (termId) => this.newPostings[termId]!++);
      this.countLengths(slot);
    }
    this.pack((place) => {
      articles.forEach((article, i) => this.indexArticle(article, firstSlot + i, place));
    });
  }

  /** Adds the article, or re-indexes it when its id is already there. */
  upsert(article: Article): void {
    const slot = this.claimSlot(article.id);
    this.indexArticle(article, slot, (termId, posting) => {
      const tail = this.tails.get(termId);
      if (tail) tail.push(posting);
      else this.tails.set(termId, [posting]);
      this.tailCount++;
    });
    this.countLengths(slot);
    if (this.tailCount > Math.max(MIN_TAIL_TO_PACK, this.postings.length * TAIL_SHARE)) this.pack(() => {});
  }

  /** A new slot for the article, its previous one (if any) marked dead. */
  private claimSlot(id: string): number {
    this.remove(id);
    const slot = this.slotIds.length;
    if (slot >= MAX_SLOTS) throw new Error(`the search index is full (${MAX_SLOTS} articles added since start-up)`);
    this.ensureCapacity(slot + 1);
    this.slotIds.push(id);
    this.slotOf.set(id, slot);
    this.alive[slot] = 1;
    this.liveCount++;
    return slot;
  }

  /**
   * Tokenises the article's fields, records their lengths and emits one
   * posting per (term, field). The postings of a term come out in slot
   * order, fields in FIELDS order, whichever pass runs this.
   */
  private indexArticle(article: Article, slot: number, emit: Emit): void {
    for (let field = 0; field < FIELDS.length; field++) {
      let length = 0;
      let distinct = 0;
      for (const text of fieldTexts(article, field)) {
        const tokens = tokenize(text);
        length += tokens.length;
        for (const token of tokens) {
          if (STOP_WORDS.has(token)) continue;
          const termId = this.termIds.get(token) ?? this.newTerm(token);
          if (this.termFrequency[termId]!++ === 0) {
            if (distinct === this.fieldTerms.length) this.fieldTerms = grown(this.fieldTerms, distinct + 1);
            this.fieldTerms[distinct++] = termId;
          }
        }
      }
      this.fieldLengths[field * this.alive.length + slot] = length;
      const fieldBits = slot * SLOT_SHIFT + (field << TF_BITS);
      for (let i = 0; i < distinct; i++) {
        const termId = this.fieldTerms[i]!;
        emit(termId, fieldBits + Math.min(this.termFrequency[termId]!, MAX_TF));
        this.termFrequency[termId] = 0;
      }
    }
  }

  private countLengths(slot: number): void {
    for (let field = 0; field < FIELDS.length; field++) this.totalFieldLength[field]! += this.fieldLengths[field * this.alive.length + slot]!;
  }

  private newTerm(token: string): number {
    const term = ownCopy(token);
    const termId = this.termIds.size;
    this.termIds.set(term, termId);
    this.vocabulary.set(term, true);
    if (termId >= this.termFrequency.length) {
      this.termFrequency = grown(this.termFrequency, termId + 1);
      this.newPostings = grown(this.newPostings, termId + 1);
    }
    return termId;
  }

  /**
   * Rebuilds the packed postings at their exact size: per term, the packed
   * ones, then the tails, then the `newPostings` counted for `writeNew`,
   * which must place exactly those (in slot order) through `place`.
   */
  private pack(writeNew: (place: Emit) => void): void {
    const oldPostings = this.postings;
    const oldStart = this.postingsStart;
    const oldTerms = oldStart.length - 1;
    const terms = this.termIds.size;
    // Count per term, then turn the counts into start offsets.
    const start = new Int32Array(terms + 1);
    for (let t = 0; t < oldTerms; t++) start[t + 1] = oldStart[t + 1]! - oldStart[t]!;
    for (const [t, tail] of this.tails) start[t + 1]! += tail.length;
    for (let t = 0; t < terms; t++) {
      start[t + 1]! += start[t]! + this.newPostings[t]!;
      this.newPostings[t] = 0;
    }
    const postings = new Int32Array(start[terms]!);
    const next = start.slice(0, terms);
    for (let t = 0; t < oldTerms; t++) {
      for (let i = oldStart[t]!; i < oldStart[t + 1]!; i++) postings[next[t]!++] = oldPostings[i]!;
    }
    for (const [t, tail] of this.tails) for (const posting of tail) postings[next[t]!++] = posting;
    this.tails.clear();
    this.tailCount = 0;
    writeNew((termId, posting) => (postings[next[termId]!++] = posting));
    this.postings = postings;
    this.postingsStart = start;
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
   * `typos: false` skips the typo-tolerant passes (any word, exactly or as a
   * prefix, follows at once): for callers that match words exactly afterwards
   * and would only pay for the fuzzy lookups. `limit`: only the best that
   * many, so a query matching every article does not list them all.
   */
  search(query: string, { typos = true, limit = Number.POSITIVE_INFINITY }: { typos?: boolean; limit?: number } = {}): RankedIds {
    // A query longer than this is not a search anyone types; the cap keeps per-article counters in a byte.
    const words = [...new Set(indexTerms(query))].slice(0, MAX_QUERY_WORDS);
    if (words.length === 0 || this.liveCount === 0) return NO_HITS;
    const exact = words.map((w) => this.expand(w, false));
    let hits = this.score(exact, true, limit);
    if (hits.ids.length > 0) return hits;
    if (!typos) return this.score(exact, false, limit);
    const fuzzy = words.map((w) => this.expand(w, true));
    hits = this.score(fuzzy, true, limit);
    return hits.ids.length > 0 ? hits : this.score(fuzzy, false, limit);
  }

  private expand(word: string, fuzzy: boolean): Expansion[] {
    const found = new Map<string, Expansion>();
    const add = (term: string, weight: number) => found.set(term, { term, termId: this.termIds.get(term)!, weight });
    if (this.termIds.has(word)) add(word, 1);
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
  private score(words: Expansion[][], all: boolean, limit: number): RankedIds {
    const slots = this.slotIds.length;
    if (this.scores.length < slots) {
      this.scores = new Float64Array(this.alive.length);
      this.matched = new Uint8Array(this.alive.length);
      this.lastSeen = new Int32Array(this.alive.length);
    }
    const { scores, matched, lastSeen, alive, postings, postingsStart } = this;
    scores.fill(0, 0, slots);
    matched.fill(0, 0, slots);
    lastSeen.fill(-1, 0, slots);
    const capacity = alive.length;
    const averageLength = this.totalFieldLength.map((total) => total / this.liveCount || 1);
    const terms: string[] = [];
    const documentCount = [0, 0, 0];
    let idf = [0, 0, 0];
    let w = 0;
    let weight = 0;
    // How many live articles have the term, per field: the rarer, the more it counts.
    const count = (posting: number) => {
      if (alive[Math.floor(posting / SLOT_SHIFT)]) documentCount[(posting >> TF_BITS) & 3]!++;
    };
    const add = (posting: number) => {
      const slot = Math.floor(posting / SLOT_SHIFT);
      if (!alive[slot]) return;
      const field = (posting >> TF_BITS) & 3;
      const tf = posting & MAX_TF;
      const length = this.fieldLengths[field * capacity + slot]!;
      const bm25 = idf[field]! * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / averageLength[field]!)));
      scores[slot]! += weight * BOOST[field]! * bm25;
      if (lastSeen[slot] !== w) {
        lastSeen[slot] = w;
        matched[slot]!++;
      }
    };

    for (w = 0; w < words.length; w++) {
      for (const expansion of words[w]!) {
        const { termId } = expansion;
        const packed = termId < postingsStart.length - 1; // a term new since the last pack has only a tail
        const from = packed ? postingsStart[termId]! : 0;
        const to = packed ? postingsStart[termId + 1]! : 0;
        const tail = this.tails.get(termId);
        documentCount.fill(0);
        for (let i = from; i < to; i++) count(postings[i]!);
        if (tail) for (const posting of tail) count(posting);
        if (documentCount[0] === 0 && documentCount[1] === 0 && documentCount[2] === 0) continue;
        terms.push(expansion.term);
        idf = documentCount.map((n) => Math.log(1 + (this.liveCount - n + 0.5) / (n + 0.5)));
        weight = expansion.weight;
        for (let i = from; i < to; i++) add(postings[i]!);
        if (tail) for (const posting of tail) add(posting);
      }
    }

    const needed = all ? words.length : 1;
    const better = (a: number, b: number) => scores[b]! - scores[a]! || a - b;
    let found: number[];
    let total = 0;
    if (limit >= 1 && limit <= MAX_SELECTED) {
      // The best `limit` kept sorted as the slots go by; most matches lose to the worst kept at once.
      found = [];
      for (let slot = 0; slot < slots; slot++) {
        if (matched[slot]! < needed) continue;
        total++;
        if (found.length === limit && better(slot, found[limit - 1]!) >= 0) continue;
        let at = found.length === limit ? limit - 1 : found.length;
        while (at > 0 && better(slot, found[at - 1]!) < 0) {
          found[at] = found[at - 1]!;
          at--;
        }
        found[at] = slot;
      }
    } else {
      found = [];
      for (let slot = 0; slot < slots; slot++) if (matched[slot]! >= needed) found.push(slot);
      total = found.length;
      found.sort(better);
      if (found.length > limit) found.length = limit;
    }
    return { ids: found.map((slot) => this.slotIds[slot]!), scores: found.map((slot) => scores[slot]!), terms, total };
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

/** A copy of `array` with room for at least `needed` elements (doubling). */
function grown(array: Int32Array, needed: number): Int32Array {
  let capacity = array.length;
  while (capacity < needed) capacity *= 2;
  const copy = new Int32Array(capacity);
  copy.set(array);
  return copy;
}
