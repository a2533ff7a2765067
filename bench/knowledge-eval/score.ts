import { formatPartialDate, precisionOf, type PartialDate, type Precision } from '../../src/core/dates.ts';
import { keywordKeys, nameKey } from '../../src/knowledge/normalize.ts';
import type { GoldArticle, GoldEntity, GoldEvent } from './load.ts';

/**
 * Scores what the extractor found in one article against its gold. The
 * matching rules (bench/extractor-quality.ts repeats them for readers):
 *
 * Entities. Names are compared by nameKey (case, spaces, hyphens, dots and
 * diacritics ignored: "Kim Yo-jong" = "Kim Yo Jong" = "KIM YO JONG"). A
 * found person or organisation matches a gold one when any of its names
 * (name or alias) equals any of the gold's. Each gold entity is matched once:
 * a second entry for it ("Chung" beside "Chung Eui-yong") is a false
 * positive. Places, and whatever the gold lists as unscored, count neither
 * way; any other name is a false positive. Kinds are not compared.
 *
 * Roles. For each gold person found whose article states a role: right when
 * one of the found entity's roles has the same key title words as one of the
 * gold wordings, or a subset or superset of them. Key title words are the
 * role's words without countries, nationalities and little words ("US
 * Secretary of State" → secretary, state; "South Korean foreign minister" →
 * foreign, minister).
 *
 * Events. A found event can match a gold event of the same article whose
 * date agrees to the gold's precision (a found 2021-09-21 agrees with gold
 * 2021-09; a found 2021 does not agree with gold 2021-09-21). It matches when,
 * besides, its quote contains the gold quote or lies within it, or (second
 * pass) it shares at least one person or organisation with the gold event and
 * two content words of four letters or more (summary and quote, without
 * dates, weekdays and country names). Each gold event is matched once; a
 * second find of the same event is a false positive (a duplicate).
 *
 * Dates right: a matched event's date equals the gold's, precision included.
 * Invented days: found events dated to a day that no gold event of the
 * article has, nor its gold `days` (days the text states that date no event,
 * such as a dateline) — the text neither states nor implies that day.
 */

export interface FoundEntity {
  name: string;
  /** The canonical name first, then the aliases. */
  names: string[];
  kind: 'person' | 'organisation' | 'place';
  roles: string[];
}

export interface FoundEvent {
  date: PartialDate;
  summary: string;
  quote: string;
  /** The names (with aliases) of each person or organisation it involves. */
  entities: string[][];
}

export interface EntityMiss {
  name: string;
  why: string;
}

export interface RoleMiss {
  name: string;
  gold: string[];
  found: string[];
}

export interface EventMiss {
  event: FoundEvent;
  why: string;
}

export interface ArticleScore {
  id: string;
  entities: { matched: number; falsePositives: EntityMiss[]; missed: GoldEntity[] };
  roles: { checked: number; right: number; wrong: RoleMiss[] };
  events: { matched: number; datesRight: number; wrongDates: EventMiss[]; falsePositives: EventMiss[]; missed: GoldEvent[]; found: GoldEvent[] };
  invented: FoundEvent[];
}

export function scoreArticle(id: string, gold: GoldArticle, entities: readonly FoundEntity[], events: readonly FoundEvent[]): ArticleScore {
  const { entities: entityScore, roles } = scoreEntities(gold, entities);
  return { id, entities: entityScore, roles, events: scoreEvents(gold, events), invented: inventedDays(gold, events) };
}

const keysOf = (names: readonly string[]) => new Set(names.map(nameKey).filter((k) => k !== ''));
const goldKeys = (g: GoldEntity) => keysOf([g.name, ...g.aliases]);

function scoreEntities(gold: GoldArticle, found: readonly FoundEntity[]): Pick<ArticleScore, 'entities' | 'roles'> {
  const unscored = keysOf(gold.unscored);
  const matchedBy = new Map<GoldEntity, FoundEntity>();
  const falsePositives: EntityMiss[] = [];
  for (const entity of found) {
    const keys = keysOf(entity.names);
    const match = gold.entities.find((g) => [...goldKeys(g)].some((k) => keys.has(k)));
    if (match && !matchedBy.has(match)) {
      matchedBy.set(match, entity);
    } else if (match) {
      falsePositives.push({ name: entity.name, why: `a second entry for ${match.name}` });
    } else if (entity.kind !== 'place' && ![...keys].some((k) => unscored.has(k))) {
      falsePositives.push({ name: entity.name, why: partOf(entity, gold.entities) ?? `not a person or organisation of the article (taken for ${entity.kind})` });
    }
  }
  const roles = { checked: 0, right: 0, wrong: [] as RoleMiss[] };
  for (const [g, entity] of matchedBy) {
    if (g.kind !== 'person' || g.roles.length === 0) continue;
    roles.checked++;
    if (g.roles.some((r) => entity.roles.some((f) => rolesAgree(r, f)))) roles.right++;
    else roles.wrong.push({ name: g.name, gold: g.roles, found: entity.roles });
  }
  return {
    entities: { matched: matchedBy.size, falsePositives, missed: gold.entities.filter((g) => !matchedBy.has(g)) },
    roles,
  };
}

/** "Chung" or "Yo Jong" alone: words of a gold person's name, not the name. */
function partOf(entity: FoundEntity, gold: readonly GoldEntity[]): string | undefined {
  const words = entity.name.split(/\s+/).map(nameKey);
  const whole = gold.find((g) => g.kind === 'person' && words.every((w) => g.name.split(/[\s-]+/).map(nameKey).includes(w)));
  return whole ? `part of ${whole.name}'s name: a second entry for one person` : undefined;
}

/** Words that say where, not what: "South Korean foreign minister" and "Foreign Minister" are one title. */
const PLACE_AND_LITTLE_WORDS = new Set(
  ['of', 'the', 'a', 'an', 'to', 'for', 'in', 'and', 'south', 'north', 'korea', 'korean', 'koreas', 'us', 'usa', 'american', 'united', 'states',
    'america', 'dprk', 'rok', 'seoul', 'pyongyang', 'washington', 'republic', 'peoples', 'democratic', 'china', 'chinese', 'nations', 'un'],
);

export function roleKeyWords(role: string): Set<string> {
  return new Set(keywordKeys(role).filter((w) => !PLACE_AND_LITTLE_WORDS.has(w)));
}

export function rolesAgree(gold: string, found: string): boolean {
  const a = roleKeyWords(gold);
  const b = roleKeyWords(found);
  if (a.size === 0 || b.size === 0) return false;
  return [...a].every((w) => b.has(w)) || [...b].every((w) => a.has(w));
}

const RANK: Record<Precision, number> = { year: 0, month: 1, day: 2 };

function truncate(date: PartialDate, precision: Precision): PartialDate {
  if (precision === 'year') return { year: date.year };
  if (precision === 'month') return { year: date.year, month: date.month };
  return date;
}

const same = (a: PartialDate, b: PartialDate) => formatPartialDate(a) === formatPartialDate(b);

/** The found date says at least what the gold says, and the same (established seed dates may be more precise than the text). */
export function datesAgree(found: PartialDate, gold: GoldEvent): boolean {
  const f = RANK[precisionOf(found)];
  const g = RANK[precisionOf(gold.date)];
  if (f >= g) return same(truncate(found, precisionOf(gold.date)), gold.date);
  return gold.established === true && same(truncate(gold.date, precisionOf(found)), found);
}

function dateRight(found: PartialDate, gold: GoldEvent): boolean {
  return same(found, gold.date) || (gold.established === true && RANK[precisionOf(found)] <= RANK[precisionOf(gold.date)] && datesAgree(found, gold));
}

const normalise = (text: string) => text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export function quoteShared(found: string, gold: string): boolean {
  const f = normalise(found);
  const g = normalise(gold);
  return f.length > 0 && (f.includes(g) || g.includes(f));
}

const NOT_CONTENT = new Set([
  'that', 'this', 'with', 'from', 'have', 'been', 'said', 'says', 'their', 'they', 'will', 'would', 'which', 'were', 'about',
  'after', 'before', 'into', 'over', 'than', 'also', 'when', 'what', 'there', 'more', 'such', 'other', 'only', 'them', 'then',
  'some', 'year', 'years', 'month', 'week', 'korea', 'korean', 'koreas', 'north', 'south', 'united', 'states', 'nations',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april',
  'june', 'july', 'august', 'september', 'october', 'november', 'december', 'earlier', 'later', 'last', 'next',
]);

function contentWords(text: string): Set<string> {
  return new Set(keywordKeys(text).filter((w) => w.length >= 4 && !NOT_CONTENT.has(w) && !/^\d+$/.test(w)));
}

function sharesEntityAndWords(found: FoundEvent, gold: GoldEvent, goldEntities: readonly GoldEntity[]): boolean {
  const involved = goldEntities.filter((g) => gold.entities.includes(g.name));
  const shared = found.entities.some((names) => {
    const keys = keysOf(names);
    return involved.some((g) => [...goldKeys(g)].some((k) => keys.has(k)));
  });
  if (!shared) return false;
  const theirs = contentWords(`${gold.summary} ${gold.quote}`);
  return [...contentWords(`${found.summary} ${found.quote}`)].filter((w) => theirs.has(w)).length >= 2;
}

function scoreEvents(gold: GoldArticle, found: readonly FoundEvent[]): ArticleScore['events'] {
  const pairs = new Map<FoundEvent, GoldEvent>();
  const taken = new Set<GoldEvent>();
  const pass = (fits: (f: FoundEvent, g: GoldEvent) => boolean) => {
    for (const f of found) {
      if (pairs.has(f)) continue;
      const g = gold.events.find((e) => !taken.has(e) && datesAgree(f.date, e) && fits(f, e));
      if (g) {
        pairs.set(f, g);
        taken.add(g);
      }
    }
  };
  pass((f, g) => quoteShared(f.quote, g.quote));
  pass((f, g) => sharesEntityAndWords(f, g, gold.entities));

  const falsePositives: EventMiss[] = [];
  for (const f of found) {
    if (pairs.has(f)) continue;
    const told = gold.events.find((g) => quoteShared(f.quote, g.quote)) ?? gold.events.find((g) => sharesEntityAndWords(f, g, gold.entities));
    const why = !told
      ? 'no such dated event in the gold'
      : datesAgree(f.date, told)
        ? `a second find of the gold event of ${formatPartialDate(told.date)}`
        : `dated ${formatPartialDate(f.date)}; the gold dates this ${formatPartialDate(told.date)}`;
    falsePositives.push({ event: f, why });
  }
  const wrongDates: EventMiss[] = [];
  let datesRight = 0;
  for (const [f, g] of pairs) {
    if (dateRight(f.date, g)) datesRight++;
    else wrongDates.push({ event: f, why: `the gold says ${formatPartialDate(g.date)}` });
  }
  return { matched: pairs.size, datesRight, wrongDates, falsePositives, missed: gold.events.filter((g) => !taken.has(g)), found: [...taken] };
}

function inventedDays(gold: GoldArticle, found: readonly FoundEvent[]): FoundEvent[] {
  const days = new Set([...gold.events.map((g) => g.date), ...gold.statedDays].filter((d) => precisionOf(d) === 'day').map(formatPartialDate));
  return found.filter((f) => precisionOf(f.date) === 'day' && !days.has(formatPartialDate(f.date)));
}
