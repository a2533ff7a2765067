import { dateRange, type PartialDate } from '../core/dates.ts';
import type { Problem } from '../check-data.ts';
import type { Article } from '../corpus/corpus.ts';
import { EventIndex, type Window } from './event-index.ts';
import { KnowledgeDataError, readKnowledge } from './load.ts';
import { NameIndex, type Completion, type LookupResult } from './lookup.ts';
import { keywordKeys } from './normalize.ts';
import { reviewRecords, type ReviewDecisions } from './reviewing.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

/**
 * The bot's knowledge: entities with their names indexed, and events in
 * chronological order. Curated records come from data/knowledge/; extracted
 * ones are added by `ingest` as articles arrive. The knowledge base itself
 * keeps them in memory; the composition root saves what `ingest` returns
 * (src/knowledge/extracted-store.ts) and gives it back to `restoreExtracted`
 * at start-up, so nothing is re-extracted after a restart.
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

  constructor(entities: readonly Entity[], events: readonly KnowledgeEvent[]) {
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
   * a record changed.
   */
  applyReviews(decisions: ReviewDecisions): void {
    this.decisions = decisions;
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
   * Adds what the extractor finds in a new article: entities no known name
   * matches, and dated events not already recorded (same period, a shared
   * entity). Curated records are never changed. Seed articles are skipped:
   * they are the curated records' own sources, read by a person.
   * The extractor (compromise, chrono-node) is loaded on the first article,
   * so answering a command never waits for the NLP libraries to load.
   */
  async ingest(article: Article): Promise<IngestResult> {
    if (article.origin === 'seed') return { entities: [], events: [] };
    const { extractFromArticle } = await import('./extract.ts');
    return this.addExtracted(extractFromArticle(article, (name) => this.names.lookup(name)));
  }

  /**
   * Puts back records that `ingest` added in earlier runs (oldest first), by
   * the same rules: a record whose name is now known or whose event is
   * already recorded is skipped, so curated records still win and a record
   * restored twice is added once. Synchronous and without the NLP libraries:
   * it runs at start-up. Returns what was added.
   */
  restoreExtracted(records: readonly IngestResult[]): IngestResult {
    const added: IngestResult = { entities: [], events: [] };
    for (const record of records) {
      // Whatever the store holds, it is never taken for a curated record.
      const result = this.addExtracted({
        entities: record.entities.map((e) => ({ ...e, status: 'extracted' as const })),
        events: record.events.map((e) => ({ ...e, status: 'extracted' as const })),
      });
      added.entities.push(...result.entities);
      added.events.push(...result.events);
    }
    return added;
  }

  /**
   * The one path extracted records take in: entities no known name matches,
   * then dated events not already recorded (same period, a shared entity).
   * An entity skipped because its name now names a known entity hands its
   * events over to that entity.
   */
  private addExtracted(found: IngestResult): IngestResult {
    const candidates = { entities: reviewRecords(found.entities, this.decisions).records, events: reviewRecords(found.events, this.decisions).records };
    const added: IngestResult = { entities: [], events: [] };
    const replacedBy = new Map<string, string>();
    for (const entity of candidates.entities) {
      if (this.names.get(entity.id)) continue;
      const known = this.names.lookup(entity.name, { suggest: false });
      if (known.kind === 'found') replacedBy.set(entity.id, known.entity.id);
      if (known.kind !== 'unknown') continue;
      this.entityList.push(entity);
      this.names.add(entity);
      added.entities.push(entity);
    }
    for (const candidate of candidates.events) {
      const event = replacedBy.size === 0 ? candidate : { ...candidate, entities: [...new Set(candidate.entities.map((id) => replacedBy.get(id) ?? id))] };
      const { start, end } = dateRange(event.date);
      if (this.eventIndex.get(event.id) || this.eventIndex.overlapping(start, end, event.entities).length > 0) continue;
      this.eventIndex.add(event);
      added.events.push(event);
    }
    return added;
  }
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
