import { comparePartialDates, dateRange, type PartialDate } from '../core/dates.ts';
import type { Problem } from '../check-data.ts';
import type { Article } from '../corpus/corpus.ts';
import { extractFromArticle } from './extract.ts';
import { KnowledgeDataError, readKnowledge } from './load.ts';
import { NameIndex, type Completion, type LookupResult } from './lookup.ts';
import { keywordKeys } from './normalize.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

/**
 * The bot's knowledge: entities with their names indexed, and events in
 * chronological order. Curated records come from data/knowledge/; extracted
 * ones are added by `ingest` as articles arrive, in memory only (they are
 * re-extracted after a restart rather than persisted).
 */

export interface TimelineQuery {
  from?: PartialDate;
  to?: PartialDate;
  /** A keyword or a name: events whose summary has every word, or that involve the entity. */
  about?: string;
}

export interface TimelineSelection {
  events: KnowledgeEvent[];
  /** The entities `about` named (one, or the candidates of an ambiguous name). */
  aboutEntities: Entity[];
}

export interface IngestResult {
  entities: Entity[];
  events: KnowledgeEvent[];
}

interface IndexedEvent {
  event: KnowledgeEvent;
  start: string;
  end: string;
  /** Summary, entity names and aliases as keys: what `about` keywords are matched against. */
  words: string;
}

export class KnowledgeBase {
  private readonly names: NameIndex;
  private readonly entityList: Entity[];
  private readonly eventList: IndexedEvent[] = [];
  private readonly eventIds = new Set<string>();

  constructor(entities: readonly Entity[], events: readonly KnowledgeEvent[]) {
    this.entityList = [...entities];
    this.names = new NameIndex(this.entityList);
    for (const event of events) this.insertEvent(event);
  }

  entities(): readonly Entity[] {
    return this.entityList;
  }

  entity(id: string): Entity | undefined {
    return this.names.get(id);
  }

  /** Every event, chronological (a less precise date before the days it contains). */
  events(): KnowledgeEvent[] {
    return this.eventList.map((e) => e.event);
  }

  event(id: string): KnowledgeEvent | undefined {
    return this.eventList.find((e) => e.event.id === id)?.event;
  }

  lookup(name: string): LookupResult {
    return this.names.lookup(name);
  }

  complete(prefix: string, limit = 25): Completion[] {
    return this.names.complete(prefix, limit);
  }

  /** Events overlapping [from, to] that match `about`, chronological. */
  timeline(query: TimelineQuery): TimelineSelection {
    const from = query.from ? dateRange(query.from).start : undefined;
    const to = query.to ? dateRange(query.to).end : undefined;
    const about = query.about?.trim() ? this.aboutMatcher(query.about) : undefined;
    const events: KnowledgeEvent[] = [];
    // Events are sorted by start; none starting after `to` can match.
    const last = to === undefined ? this.eventList.length : upperBound(this.eventList, to);
    for (let i = 0; i < last; i++) {
      const indexed = this.eventList[i]!;
      if (from !== undefined && indexed.end < from) continue;
      if (about && !about.matches(indexed)) continue;
      events.push(indexed.event);
    }
    return { events, aboutEntities: about?.entities ?? [] };
  }

  /** Events flagged as anniversaries (each has a full date). */
  anniversaries(): KnowledgeEvent[] {
    return this.eventList.filter((e) => e.event.anniversary && e.event.date.day !== undefined).map((e) => e.event);
  }

  /**
   * Adds what the extractor finds in a new article: entities no known name
   * matches, and dated events not already recorded (same period, a shared
   * entity). Curated records are never changed. Seed articles are skipped:
   * they are the curated records' own sources, read by a person.
   */
  ingest(article: Article): IngestResult {
    if (article.origin === 'seed') return { entities: [], events: [] };
    const extraction = extractFromArticle(article, (name) => this.names.lookup(name));
    const added: IngestResult = { entities: [], events: [] };
    for (const entity of extraction.entities) {
      if (this.names.get(entity.id) || this.names.lookup(entity.name).kind !== 'unknown') continue;
      this.entityList.push(entity);
      this.names.add(entity);
      added.entities.push(entity);
    }
    for (const event of extraction.events) {
      if (this.eventIds.has(event.id) || this.alreadyRecorded(event)) continue;
      this.insertEvent(event);
      added.events.push(event);
    }
    return added;
  }

  private alreadyRecorded(event: KnowledgeEvent): boolean {
    const { start, end } = dateRange(event.date);
    return this.eventList.some(
      (e) => e.start <= end && e.end >= start && e.event.entities.some((id) => event.entities.includes(id)),
    );
  }

  private insertEvent(event: KnowledgeEvent): void {
    const { start, end } = dateRange(event.date);
    const names = event.entities.flatMap((id) => {
      const entity = this.names.get(id);
      return entity ? [entity.name, ...entity.aliases.map((a) => a.name)] : [];
    });
    const words = ` ${[event.summary, ...names].flatMap(keywordKeys).join(' ')}`;
    const indexed: IndexedEvent = { event, start, end, words };
    // Keep chronological order: insert after every event that sorts before or with it.
    let low = 0;
    let high = this.eventList.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comparePartialDates(this.eventList[mid]!.event.date, event.date) <= 0) low = mid + 1;
      else high = mid;
    }
    this.eventList.splice(low, 0, indexed);
    this.eventIds.add(event.id);
  }

  private aboutMatcher(about: string): { entities: Entity[]; matches(e: IndexedEvent): boolean } {
    const result = this.names.lookup(about);
    const entities = result.kind === 'found' ? [result.entity] : result.kind === 'ambiguous' ? result.candidates : [];
    const ids = new Set(entities.map((e) => e.id));
    const keywords = keywordKeys(about);
    return {
      entities,
      // A keyword matches the start of a word: "summit" finds "summits", "war" does not find "award".
      matches: (e) =>
        e.event.entities.some((id) => ids.has(id)) ||
        (keywords.length > 0 && keywords.every((k) => e.words.includes(` ${k}`))),
    };
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

/** First index whose event starts after `day`. */
function upperBound(events: readonly IndexedEvent[], day: string): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (events[mid]!.start <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}
