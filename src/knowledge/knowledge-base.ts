import { comparePartialDates, dateRange, type PartialDate } from '../core/dates.ts';
import type { Problem } from '../check-data.ts';
import type { Article } from '../corpus/corpus.ts';
import { EventIndex, type Window } from './event-index.ts';
import { KnowledgeDataError, readKnowledge } from './load.ts';
import { NameIndex, type Completion, type LookupResult } from './lookup.ts';
import { keywordKeys } from './normalize.ts';
import { addSource, mergeRole, sameEvent, STRICTER } from './merge-extracted.ts';
import { articleOf, asExtracted, keepAsGiven, ownCopy, restoreOrder, type ArticleExtraction, type ExtractionChange, type HeldExtraction, type Place, type ReplaceCounts } from './extractions.ts';
import { reviewRecords, type ReviewDecisions } from './reviewing.ts';
import type { Citation, Entity, KnowledgeEvent, Role } from './schema.ts';

/**
 * The bot's knowledge: entities with their names indexed, and events in
 * chronological order. Curated records come from data/knowledge/; extracted
 * ones are added by `ingest` as articles arrive. The knowledge base itself
 * keeps them in memory; the composition root saves what `ingest` returns
 * (src/knowledge/extracted-store.ts) and gives it back to `restoreExtracted`
 * at start-up, so nothing is re-extracted after a restart.
 *
 * Extracted records merge across articles (a person gains the roles of
 * every article naming them, an event the sources of every article telling
 * it), so what one article contributed cannot be taken out of the merged
 * records alone. The base therefore keeps each article's extraction as it
 * was taken in, in that order: when an article's extraction changes (a
 * re-extraction, see replaceExtracted), the extracted records are rebuilt
 * from those, exactly as a process starting now restores them.
 */

export interface TimelineQuery {
  from?: PartialDate;
  to?: PartialDate;
  /** A keyword or a name: events whose summary has every word, or that involve the entity. */
  about?: string;
}

export interface TimelineSelection {
  /** The matching events in the window asked for (all of them by default), chronological. */
  events: KnowledgeEvent[];
  /** How many match in all. */
  total: number;
  /** The entities `about` named (one, or the candidates of an ambiguous name). */
  aboutEntities: Entity[];
}

export interface IngestResult {
  entities: Entity[];
  events: KnowledgeEvent[];
}

export class KnowledgeBase {
  // Rebuilt (not only added to) when admins' review decisions arrive: see applyReviews.
  private names: NameIndex;
  private readonly entityList: Entity[];
  private eventIndex: EventIndex;
  private decisions: ReviewDecisions = new Map();
  /**
   * Each article's extraction as taken in, by article id, in the order a
   * process starting now restores them (the store's: savedAt, then id): what
   * a rebuild replays. An article held here is not taken in again by ingest
   * or restore.
   */
  private extractions = new Map<string, HeldExtraction>();
  /** The place of the last extraction taken in: one that sorts after it is added without a rebuild. */
  private latest: Place | undefined;
  private readonly reported = new Map<string, ReportedRole[]>();
  /** The records the base was built with, as given: a rebuild starts from them. */
  private readonly initial: { entities: readonly Entity[]; events: readonly KnowledgeEvent[] };

  constructor(entities: readonly Entity[], events: readonly KnowledgeEvent[]) {
    // Curated records are never changed in place; others given here (benchmarks) may be, so they are kept as given.
    this.initial = { entities: entities.map(keepAsGiven), events: events.map(keepAsGiven) };
    this.entityList = [...entities];
    this.names = new NameIndex(this.entityList);
    this.eventIndex = new EventIndex(events, (id) => this.namesOf(id));
  }

  private namesOf(id: string): string[] {
    const entity = this.names.get(id);
    return entity ? [entity.name, ...entity.aliases.map((a) => a.name)] : [];
  }

  /**
   * Applies admins' review decisions (src/knowledge/reviewing.ts) to the
   * extracted records held, and keeps them for every record that comes in
   * later: a rejected one never comes back from ingest or restore, an
   * approved or corrected one is 'reviewed'. Rebuilds the indexes only when
   * a record changed. A decision on a record that several articles make up,
   * or on a role reported beside a curated person, applies where a process
   * starting now applies it, to each article's own records: in a rebuild.
   */
  applyReviews(decisions: ReviewDecisions): void {
    const merged = (record: Entity | KnowledgeEvent | undefined) => record !== undefined && record.status === 'extracted' && record.sources.length > 1;
    const reportedClaims = new Set([...this.reported.values()].flatMap((list) => list.flatMap((r) => (r.status === 'extracted' ? [r.claim] : []))));
    const rebuild = [...decisions.keys()].some((id) => !this.decisions.has(id) && (reportedClaims.has(id) || merged(this.names.get(id)) || merged(this.eventIndex.get(id))));
    this.decisions = decisions;
    if (rebuild) return this.rebuild();
    const entities = reviewRecords(this.entityList, decisions);
    const events = reviewRecords(this.eventIndex.all(), decisions);
    if (!entities.changed && !events.changed) return;
    this.entityList.splice(0, this.entityList.length, ...entities.records);
    this.names = new NameIndex(this.entityList);
    this.eventIndex = new EventIndex(events.records, (id) => this.namesOf(id));
  }

  entities(): readonly Entity[] {
    return this.entityList;
  }

  entity(id: string): Entity | undefined {
    return this.names.get(id);
  }

  /** Every event, chronological (a less precise date before the days it contains). */
  events(): KnowledgeEvent[] {
    return this.eventIndex.all();
  }

  event(id: string): KnowledgeEvent | undefined {
    return this.eventIndex.get(id);
  }

  /** `suggest: false`: an unknown name comes back without the (costlier) nearest names. */
  lookup(name: string, options: { suggest?: boolean } = {}): LookupResult {
    return this.names.lookup(name, options);
  }

  complete(prefix: string, limit = 25): Completion[] {
    return this.names.complete(prefix, limit);
  }

  /**
   * Events overlapping [from, to] that match `about`, chronological; with a
   * window ({offset, limit}), only that slice (and the total). `about`
   * matches the events of the entity it names (every candidate of an
   * ambiguous name) and those whose words start with each of its words.
   */
  timeline(query: TimelineQuery, window: Window = {}): TimelineSelection {
    const from = query.from ? dateRange(query.from).start : undefined;
    const to = query.to ? dateRange(query.to).end : undefined;
    const about = query.about?.trim();
    if (!about) return { ...this.eventIndex.select(from, to, undefined, window), aboutEntities: [] };
    const result = this.names.lookup(about);
    const aboutEntities = result.kind === 'found' ? [result.entity] : result.kind === 'ambiguous' ? result.candidates : [];
    const filter = { entityIds: new Set(aboutEntities.map((e) => e.id)), keywords: keywordKeys(about) };
    return { ...this.eventIndex.select(from, to, filter, window), aboutEntities };
  }

  /** Events flagged as anniversaries (each has a full date). */
  anniversaries(): readonly KnowledgeEvent[] {
    return this.eventIndex.anniversaries();
  }

  /**
   * Mines a new article: extracts its candidate records and takes them in
   * (see addExtracted). Returns the article's extraction, which the caller
   * keeps (extracted-store.ts) and gives back to `restoreExtracted` at the
   * next start; an article already taken in returns nothing and changes
   * nothing. Seed articles are skipped: they are the curated records' own
   * sources, read by a person. The extractor (chrono-node, compromise's
   * dictionary) is loaded on the first article, so answering a command never waits for it.
   */
  async ingest(article: Article): Promise<IngestResult> {
    if (article.origin === 'seed' || this.extractions.has(article.id)) return { entities: [], events: [] };
    const { extractFromArticle } = await import('./extract.ts');
    const { entities, events } = extractFromArticle(article, (name) => this.names.lookup(name));
    if (entities.length === 0 && events.length === 0) return { entities, events };
    // Saved (extracted-store.ts) at about this instant: normally after all held; else (clocks apart) a rebuild puts it in its place.
    if (this.hold(article.id, asExtracted(structuredClone({ entities, events })), new Date().toISOString())) this.addExtracted({ entities, events });
    else this.rebuild();
    return { entities, events };
  }

  /**
   * Puts back the extractions of earlier runs (oldest first), by the same
   * rules, so curated records still win and an article restored twice is
   * taken in once. Synchronous and without the NLP libraries: it runs at
   * start-up. Returns what was added as new records.
   */
  restoreExtracted(records: readonly ArticleExtraction[]): IngestResult {
    const added: IngestResult = { entities: [], events: [] };
    for (const record of records) {
      const articleId = articleOf(record);
      if (articleId === undefined || this.extractions.has(articleId)) continue;
      const found = asExtracted(record);
      this.hold(articleId, found, record.savedAt ?? new Date().toISOString());
      const result = this.addExtracted(found);
      added.entities.push(...result.entities);
      added.events.push(...result.events);
    }
    return added;
  }

  /**
   * Puts each article's extraction in place of the one held (another
   * process re-extracted it; none or an empty one withdraws it), in order.
   * An article not held yet is taken in as by restore; one whose extraction
   * is unchanged is left alone, so applying a change twice changes nothing.
   * A replaced or withdrawn extraction rebuilds the extracted records (once
   * for all the changes given): the article's earlier records go, its new
   * ones come, curated records still win, review decisions still apply.
   */
  replaceExtracted(changes: readonly ExtractionChange[]): ReplaceCounts {
    const counts: ReplaceCounts = { added: 0, replaced: 0, withdrawn: 0 };
    const fresh: IngestResult[] = [];
    let reorder = false;
    for (const { articleId, extraction, savedAt } of changes) {
      const held = this.extractions.get(articleId);
      if (!extraction || (extraction.entities.length === 0 && extraction.events.length === 0)) {
        if (held) {
          this.extractions.delete(articleId);
          counts.withdrawn++;
        }
        continue;
      }
      const found = asExtracted(extraction);
      if (held && JSON.stringify(held.found) === JSON.stringify(found)) continue;
      if (held) {
        // A replaced article keeps its place in the order (the store keeps its savedAt too).
        this.extractions.set(articleId, { found, savedAt: held.savedAt });
        counts.replaced++;
        continue;
      }
      counts.added++;
      // One saved before extractions already held (a baseline article mined late) takes its place among them.
      if (!this.hold(articleId, found, savedAt ?? new Date().toISOString())) reorder = true;
      fresh.push(found);
    }
    if (counts.replaced + counts.withdrawn > 0 || reorder) this.rebuild();
    else for (const found of fresh) this.addExtracted(found);
    return counts;
  }

  /** Each article's extraction held, in the order a restart would restore them. */
  heldExtractions(): ReadonlyMap<string, HeldExtraction> {
    return this.extractions;
  }

  /** Keeps an article's extraction; false when it sorts before the last one held (only a rebuild puts it in its place). */
  private hold(articleId: string, found: IngestResult, savedAt: string): boolean {
    this.extractions.set(articleId, { found, savedAt });
    const place = { articleId, savedAt };
    if (this.latest && restoreOrder(place, this.latest) < 0) return false;
    this.latest = place;
    return true;
  }

  /**
   * Roles that articles give a curated person, newer than the curated
   * record knows (extracted, unreviewed): shown beside the record, which
   * itself never changes.
   */
  reportedRoles(entityId: string): readonly ReportedRole[] {
    return this.reported.get(entityId) ?? [];
  }

  /** Every reported role no admin has decided on, with the record it is reported beside: what /review lists. */
  unreviewedRoles(): Array<{ entity: Entity; reported: ReportedRole }> {
    return [...this.reported].flatMap(([id, list]) => {
      const entity = this.names.get(id);
      return entity ? list.filter((r) => r.status === 'extracted').map((reported) => ({ entity, reported })) : [];
    });
  }

  /**
   * The one path extracted records take in. An entity whose name (or
   * spelling variant) is known becomes a claim on the known one: an
   * extracted entry gains its dated roles and source, a curated one keeps
   * its record and the roles are reported beside it. Unknown names are
   * added. An event the base already has (sameEvent: agreeing dates, a
   * shared entity, similar words) gains a source if extracted; others are
   * added. The callers take each article in once (`extractions`).
   */
  private addExtracted(found: IngestResult): IngestResult {
    const added: IngestResult = { entities: [], events: [] };
    const replacedBy = new Map<string, string>();
    for (const candidate of found.entities) {
      if (this.names.get(candidate.id)) continue;
      const entity = reviewRecords([candidate], this.decisions).records[0];
      let known = this.names.lookup(candidate.name, { suggest: false });
      // A claim on a curated (or reviewed) record: a decision on it concerns the roles it reports, not whom it names.
      if (known.kind === 'found' && known.entity.status !== 'extracted') {
        replacedBy.set(candidate.id, known.entity.id);
        if (entity) this.report(known.entity, entity);
        continue;
      }
      if (!entity) continue;
      if (entity.name !== candidate.name) known = this.names.lookup(entity.name, { suggest: false });
      if (known.kind === 'found') {
        replacedBy.set(candidate.id, known.entity.id);
        this.claim(known.entity, entity);
      }
      if (known.kind !== 'unknown') continue;
      const copy = ownCopy(entity);
      this.entityList.push(copy);
      this.names.add(copy);
      added.entities.push(copy);
    }
    for (const candidate of reviewRecords(found.events, this.decisions).records) {
      // Candidates the base did not take (an ambiguous name) leave the event, which keeps the others.
      const ids = [...new Set(candidate.entities.map((id) => replacedBy.get(id) ?? id))].filter((id) => this.names.get(id));
      const event = { ...candidate, entities: ids };
      if (this.eventIndex.get(event.id)) continue;
      const { start, end } = dateRange(event.date);
      // Told with the same people: agreeing dates and similar words. Told without anyone named ("the war ended
      // in 1953"): any event of the period, and closer words, so every article's background is kept once.
      const same =
        event.entities.length > 0
          ? this.eventIndex.overlapping(start, end, event.entities).find((known) => sameEvent(known, event))
          : this.eventIndex.select(start, end).events.find((known) => sameEvent(known, event, STRICTER));
      if (same) {
        if (same.status === 'extracted') addSource(same.sources, event.sources[0]!);
        continue;
      }
      const copy = ownCopy(event);
      this.eventIndex.add(copy);
      added.events.push(copy);
    }
    return added;
  }

  /**
   * The extracted records anew: the records the base was built with (with
   * the review decisions), then every held extraction in order, as a process
   * starting now restores them. Synchronous: no command sees it half done.
   */
  private rebuild(): void {
    const entities = reviewRecords(this.initial.entities.map(keepAsGiven), this.decisions).records;
    const events = reviewRecords(this.initial.events.map(keepAsGiven), this.decisions).records;
    this.entityList.splice(0, this.entityList.length, ...entities);
    this.names = new NameIndex(this.entityList);
    this.eventIndex = new EventIndex(events, (id) => this.namesOf(id));
    this.reported.clear();
    this.extractions = new Map([...this.extractions].sort(([a, x], [b, y]) => restoreOrder({ articleId: a, savedAt: x.savedAt }, { articleId: b, savedAt: y.savedAt })));
    this.latest = undefined;
    for (const [articleId, { found, savedAt }] of this.extractions) {
      this.latest = { articleId, savedAt };
      this.addExtracted(found);
    }
  }

  /** What an article says of a known entity: its roles, dated, and the sentence. */
  private claim(known: Entity, claim: Entity): void {
    if (known.status === 'extracted') {
      for (const role of claim.roles) mergeRole(known.roles, role);
      // Newest role first: /whois and the candidate lists lead with it.
      known.roles.sort((a, b) => (b.to && a.to ? comparePartialDates(b.to, a.to) : 0));
      if (addSource(known.sources, claim.sources[0]!)) {
        const roles = known.roles.map((r) => r.title).join('; ');
        known.description = `${roles ? `${roles}; named` : 'Named'} in ${known.sources.length} articles.`;
      }
      return;
    }
    this.report(known, claim);
  }

  /** The roles an article gives a record that never changes (curated, or reviewed): reported beside it. */
  private report(known: Entity, claim: Entity): void {
    if (claim.roles.length === 0) return;
    const reported = this.reported.get(known.id) ?? [];
    const roles = reported.map((r) => r.role);
    const status = claim.status === 'extracted' ? 'extracted' : 'reviewed';
    for (const role of claim.roles) {
      // mergeRole widens a role in place, or appends a new one: that one gets this article as its source.
      if (mergeRole(roles, role) && roles.length > reported.length) reported.push({ role: roles[roles.length - 1]!, source: claim.sources[0]!, claim: claim.id, status });
    }
    this.reported.set(known.id, reported);
  }
}

/** A role an article gives a curated person, with the sentence that says so. */
export interface ReportedRole {
  role: Role;
  source: Citation;
  /** The id of the article's extracted record that says so: admins decide on it in /review. */
  claim: string;
  /** 'reviewed' once an admin approved or corrected that record. */
  status: 'extracted' | 'reviewed';
}

/**
 * Loads data/knowledge. An invalid record (file and line in each problem)
 * makes it throw KnowledgeDataError, unless `onProblems` is given: then the
 * problems go there and the valid records load, so one bad entry cannot take
 * the bot down.
 */
export async function loadKnowledgeBase(
  dataDir: string,
  options: { onProblems?: (problems: readonly Problem[]) => void } = {},
): Promise<KnowledgeBase> {
  const { entities, events, problems } = await readKnowledge(dataDir);
  if (problems.length > 0) {
    if (!options.onProblems) throw new KnowledgeDataError(problems);
    options.onProblems(problems);
  }
  return new KnowledgeBase(entities, events);
}
