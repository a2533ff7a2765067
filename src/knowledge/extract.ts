import nlp from 'compromise';
import { formatPartialDate, type PartialDate } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import type { LookupResult } from './lookup.ts';
import { isTitleWord, nameKey, stripHonorifics } from './normalize.ts';
import { findRelativeDates } from './relative-dates.ts';
import type { Entity, EntityKind, KnowledgeEvent } from './schema.ts';

/**
 * Candidate knowledge from an article nobody has curated yet (a new feed
 * item): people, organisations and places it names, and the sentences that
 * carry a date. Everything it returns is `status: 'extracted'` — shown as
 * "extracted, unreviewed" — and it never changes a curated record.
 *
 * Names come from two sources: compromise's people/organisation/place
 * recognisers (which can propose new entities), and runs of capitalised
 * words (which only count when they name an entity already known, e.g.
 * "Pompeo" at the start of a sentence, where compromise misses it).
 */

export interface Mention {
  /** The name as cleaned (titles, punctuation and possessives removed). */
  text: string;
  /** What compromise took it for; undefined for a capitalised run it did not classify. */
  kind?: EntityKind;
  sentence: string;
}

export interface Extraction {
  /** Every name found, in order. */
  mentions: Mention[];
  /** Known entities the article names (ids, in order of first mention). */
  linked: string[];
  /** New people, organisations and places, not matching any known name. */
  entities: Entity[];
  /** One per sentence carrying a resolvable date. */
  events: KnowledgeEvent[];
}

export type Lookup = (name: string) => LookupResult;

export function extractFromArticle(article: Article, lookup: Lookup): Extraction {
  const mentions: Mention[] = [];
  const linked = new Set<string>();
  const fresh = new Map<string, Entity>();
  const events: KnowledgeEvent[] = [];

  for (const paragraph of article.paragraphs) {
    for (const { segment } of SENTENCES.segment(paragraph)) {
      const sentence = segment.trim();
      if (sentence === '') continue;
      const found = findMentions(sentence);
      mentions.push(...found);
      const ids = new Set<string>();
      for (const mention of found) {
        const result = lookup(mention.text);
        if (result.kind === 'found') {
          ids.add(result.entity.id);
          linked.add(result.entity.id);
        } else if (result.kind === 'unknown' && mention.kind) {
          const key = nameKey(mention.text);
          const entity = fresh.get(key) ?? newEntity(article, mention);
          fresh.set(key, entity);
          ids.add(entity.id);
        }
      }
      const event = datedEvent(article, sentence, [...ids], events.length);
      if (event) events.push(event);
    }
  }
  return { mentions, linked: [...linked], entities: mergeSurnames([...fresh.values()]), events };
}

/** Sentence splitting by the platform's Unicode rules: cheaper than a second NLP pass. */
const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Organisation names run on over "for"/"of" ("Quincy Institute for Responsible Statecraft"). */
const CONNECTED_NAME = /^(?:\s+(?:for|of|on)(?:\s+the)?(?:\s+[A-Z][\p{L}’'-]*)+)/u;
const NEXT_NAME_WORDS = /^(?:\s+[A-Z][\p{L}’'-]*)+/u;
const CAPITALISED_RUN = /(?:[A-Z][\p{L}’'.-]*)(?:\s+(?:[A-Z][\p{L}’'.-]*))*/gu;

function findMentions(sentence: string): Mention[] {
  const doc = nlp(sentence);
  const spans = new Map<number, Mention & { end: number }>();
  const take = (start: number, length: number, kind?: EntityKind) => {
    let end = start + length;
    // compromise cuts "Kim Jong-un" after the hyphen, and "President Donald Trump" after "Donald".
    while (end < sentence.length && /[\p{L}-]/u.test(sentence[end]!) && /[\p{L}-]/u.test(sentence[end - 1]!)) end++;
    const after = sentence.slice(end);
    const more = (kind === 'organisation' ? CONNECTED_NAME : kind === 'person' ? NEXT_NAME_WORDS : undefined)?.exec(after);
    if (more) end += more[0].length;
    const text = cleanName(sentence.slice(start, end));
    if (!text) return;
    const existing = spans.get(start);
    if (!existing || (existing.kind === undefined && kind !== undefined) || existing.end < end) {
      spans.set(start, { text, kind: kind ?? existing?.kind, sentence, end });
    }
  };
  const kinds: Array<[EntityKind, { json(options: object): unknown }]> = [
    ['person', doc.people()],
    ['organisation', doc.organizations()],
    ['place', doc.places()],
  ];
  for (const [kind, view] of kinds) {
    for (const match of view.json({ offset: true }) as Array<{ offset: { start: number; length: number } }>) {
      take(match.offset.start, match.offset.length, kind);
    }
  }
  for (const run of sentence.matchAll(CAPITALISED_RUN)) {
    const start = run.index!;
    const overlaps = [...spans.entries()].some(([from, span]) => start < span.end && start + run[0].length > from);
    if (!overlaps) take(start, run[0].length);
  }
  return [...spans.entries()].sort((a, b) => a[0] - b[0]).map(([, { end: _end, ...mention }]) => mention);
}

/**
 * "Chairman Kim Jong-un," → "Kim Jong-un". Undefined for what is not a name:
 * a bare title, a lower-case word ("Trump administration"), a compound
 * adjective ("US-ROK alliance") or a span running over a sentence end.
 */
function cleanName(raw: string): string | undefined {
  let text = raw
    .replace(/\s*\(.*$/u, '')
    .replace(/^[\s"“”'‘’(—–-]+|[\s"“”'‘’),.;:!?—–-]+$/gu, '')
    .replace(/['’]s$/u, '')
    .replace(/^[\p{L}.]+-(?:led|backed|based)\s+/u, '');
  text = stripHonorifics(text);
  if (text.length < 2 || /[.!?]["”’]?\s/u.test(text) || /^(?:US|U\.S\.|UN|U\.N\.)[-–]/u.test(text)) return undefined;
  const words = text.split(/\s+/);
  if (!words.every((w, i) => /^[\p{Lu}\p{Lo}\d]/u.test(w) || (i > 0 && CONNECTORS.has(w)))) return undefined;
  if (words.every(isTitleWord)) return undefined;
  return text;
}

const CONNECTORS = new Set(['for', 'of', 'on', 'the', 'and', 'de']);

function newEntity(article: Article, mention: Mention): Entity {
  return {
    id: `x-${nameKey(mention.text) || 'name'}`,
    name: mention.text,
    kind: mention.kind!,
    roles: [],
    description: `Named in "${article.title}".`,
    aliases: [],
    related: [],
    sources: [{ article: article.id, quote: mention.sentence }],
    status: 'extracted',
  };
}

/** "Khanna" alone is the "Ro Khanna" named earlier, not a second person. */
function mergeSurnames(entities: Entity[]): Entity[] {
  const full = entities.filter((e) => e.kind === 'person' && e.name.includes(' '));
  return entities.filter(
    (e) => !(e.kind === 'person' && !e.name.includes(' ') && full.some((f) => f.name.endsWith(` ${e.name}`))),
  );
}

/** Years alone ("in 2017"): chrono-node does not take a bare year for a date. */
const BARE_YEAR = /\b(?:in|since|by|of|from|during|until)\s+((?:19|20)\d{2})\b(?![-–]\d)/u;
/** Words chrono reads as dates that say nothing about when an event happened. */
const VAGUE = /^(?:now|today|tonight|right now|soon)$/i;
/** Durations chrono reads as offsets: "for the first time in 13 years", "67 years after". */
const DURATION = /^(?:in\s+|for\s+)?\d+\s+(?:years?|months?|weeks?|days?)(?:\s+(?:after|later|before|earlier))?$/i;

function datedEvent(article: Article, sentence: string, entities: string[], n: number): KnowledgeEvent | undefined {
  let date: PartialDate | undefined;
  let phrase: string | undefined;
  if (article.published) {
    const found = findRelativeDates(sentence, article.published).find((d) => !VAGUE.test(d.text.trim()) && !DURATION.test(d.text.trim()));
    if (found) ({ date, text: phrase } = { date: found.date, text: found.text });
  }
  if (!date) {
    const year = BARE_YEAR.exec(sentence);
    if (year) {
      date = { year: Number(year[1]) };
      phrase = year[0];
    }
  }
  if (!date || !phrase) return undefined;
  const stated = /\b(?:19|20)\d{2}\b/.test(phrase);
  const summary = sentence.length > 220 ? `${sentence.slice(0, sentence.lastIndexOf(' ', 217))}…` : sentence;
  return {
    id: `x-${nameKey(article.id)}-${n + 1}`,
    date,
    derivation: stated ? 'stated' : 'relative',
    phrase,
    relativeTo: stated ? undefined : article.id,
    dateNote: stated ? undefined : `"${phrase}" resolved against the article's date (${formatPartialDate(article.published!)})`,
    summary,
    entities,
    anniversary: false,
    sources: [{ article: article.id, quote: sentence }],
    status: 'extracted',
  };
}
