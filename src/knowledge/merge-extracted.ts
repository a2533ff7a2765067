import { comparePartialDates, precisionOf, type PartialDate } from '../core/dates.ts';
import { keywordKeys } from './normalize.ts';
import type { Citation, KnowledgeEvent, Role } from './schema.ts';

/**
 * When two records from different articles are one: the rules by which
 * extracted claims join what the knowledge base already holds.
 */

/**
 * The same event told twice: dates equal to the coarser one's precision
 * ("2023" and "27 July 2023" agree; "March 2021" and "April 2021" do not),
 * and summaries sharing enough of their words. The caller has already
 * checked that they share an entity. A year-only event does not swallow
 * every later event of that year about the same person: the words must match too.
 */
export function sameEvent(a: KnowledgeEvent, b: KnowledgeEvent, similar = SIMILAR): boolean {
  return datesAgree(a.date, b.date) && summarySimilarity(a.summary, b.summary) >= similar;
}

/** Share of the shorter summary's content words found in the other. */
const SIMILAR = 0.4;
/** The share required when no entity is shared to vouch for the match. */
export const STRICTER = 0.6;

export function datesAgree(a: PartialDate, b: PartialDate): boolean {
  const coarser = ['year', 'month', 'day'].indexOf(precisionOf(a)) <= ['year', 'month', 'day'].indexOf(precisionOf(b)) ? a : b;
  const level = precisionOf(coarser);
  if (a.year !== b.year) return false;
  if (level === 'year') return true;
  if (a.month !== b.month) return false;
  return level === 'month' || a.day === b.day;
}

export function summarySimilarity(a: string, b: string): number {
  const x = contentWords(a);
  const y = contentWords(b);
  const smaller = Math.min(x.size, y.size);
  if (smaller === 0) return 0;
  let shared = 0;
  for (const word of x) if (y.has(word)) shared++;
  return shared / smaller;
}

const STOP = new Set(
  'the a an and or but of to in on at for with by from as that this these those is are was were be been has have had it its he she they his her their said says told would will could after before when while than then into over about also who which what not no new'.split(' '),
);

/**
 * The lower-case words of three letters or more, cut to their first four
 * ("met"/"meets", "stepped"/"step"): a cheap stem. Names are left out: the
 * caller has compared the entities, and two events about Yoon Suk Yeol are
 * not the same because both say "Yoon Suk Yeol".
 */
function contentWords(text: string): Set<string> {
  return new Set(
    text
      .split(/[\s,;:!?()"“”]+/u)
      .filter((w) => !/^\p{Lu}/u.test(w))
      .flatMap(keywordKeys)
      .filter((w) => !STOP.has(w) && w.length >= 3)
      .map((w) => w.slice(0, 4)),
  );
}

/**
 * Adds a dated role to a list: the same title widens the period it is known
 * to cover ("as of March 2021" and "as of September 2021" → March – September
 * 2021); a new title is added. Returns whether anything changed.
 */
export function mergeRole(roles: Role[], role: Role): boolean {
  const same = roles.find((r) => sameRole(r.title, role.title));
  if (!same) {
    roles.push({ ...role });
    return true;
  }
  let changed = false;
  // "Foreign minister" and "South Korean foreign minister" are one role: the more specific title stays.
  if (role.title.length > same.title.length) {
    same.title = role.title;
    changed = true;
  }
  if (role.from && (!same.from || comparePartialDates(role.from, same.from) < 0)) {
    same.from = role.from;
    changed = true;
  }
  if (role.to && (!same.to || comparePartialDates(role.to, same.to) > 0)) {
    same.to = role.to;
    changed = true;
  }
  return changed;
}

/** One title's words all in the other's ("Foreign minister" in "South Korean foreign minister"). */
function sameRole(a: string, b: string): boolean {
  const x = a.toLowerCase().split(/\s+/);
  const y = new Set(b.toLowerCase().split(/\s+/));
  const [small, large] = x.length <= y.size ? [x, y] : [b.toLowerCase().split(/\s+/), new Set(x)];
  return small.every((w) => large.has(w));
}

/** Adds a citation unless one of the same article is already there. */
export function addSource(sources: Citation[], citation: Citation): boolean {
  if (sources.some((s) => s.article === citation.article)) return false;
  sources.push(citation);
  return true;
}
