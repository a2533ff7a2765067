import * as chrono from 'chrono-node';
import { dateRange, type PartialDate, type Precision } from '../core/dates.ts';

/**
 * Dates written relative to an article ("on Thursday", "last year", "next
 * month", "On March 12") resolved against its publication date with
 * chrono-node, keeping only the precision the evidence supports.
 *
 * An article's date is often known only to the month or year. The phrase is
 * therefore resolved twice, against the first and the last day the article
 * may have appeared; whatever the two answers share is certain. "On
 * Thursday" in an article of August 2018 gives August 2018, not a day;
 * "last year" in an article of 2020 gives 2019.
 */
export function resolveRelativeDate(phrase: string, published: PartialDate, tense: Tense = 'past'): PartialDate | undefined {
  const { start, end } = referenceDays(published);
  const early = parseOne(phrase, start, tense, published);
  const late = parseOne(phrase, end, tense, published);
  if (!early || !late) return undefined;
  return commonDate(early, late);
}

/** Every date phrase in a sentence, each resolved as above; for the extractor. */
export function findRelativeDates(sentence: string, published: PartialDate, tense: Tense = tenseOf(sentence)): Array<{ text: string; date: PartialDate; index: number }> {
  const { start, end } = referenceDays(published);
  // "on July 27, 67 years after …": chrono reads "July 27, 67" as a year; a semicolon (same length) keeps the two apart.
  const text = sentence.replace(/,(?=\s+\d+\s+(?:years?|months?|weeks?|days?)\b)/g, ';');
  const early = chrono.parse(text, referenceAt(start));
  const late = chrono.parse(text, referenceAt(end));
  const out: Array<{ text: string; date: PartialDate; index: number }> = [];
  for (const result of early) {
    const twin = late.find((r) => r.index === result.index && r.text === result.text);
    if (!twin || result.end) continue; // ranges ("1950-53") are not one date
    if (!isDate(result)) continue;
    let date = commonDate(resolved(result, start, tense, published), resolved(twin, end, tense, published));
    if (date) date = lastOrNextMonth(sentence.slice(0, result.index), date, published);
    if (date) out.push({ text: result.text, date, index: result.index });
  }
  return out;
}

/**
 * "last June" in an article of June 2019 is June 2018, "next March" in March
 * is the March after: chrono leaves the word before the month out.
 */
function lastOrNextMonth(before: string, date: PartialDate, published: PartialDate): PartialDate {
  if (date.month === undefined || date.day !== undefined || published.month === undefined) return date;
  const order = date.year * 12 + date.month - (published.year * 12 + published.month);
  if (/\blast\s+$/i.test(before) && order >= 0) return { year: date.year - 1, month: date.month };
  if (/\bnext\s+$/i.test(before) && order <= 0) return { year: date.year + 1, month: date.month };
  return date;
}

/**
 * Whether chrono's find names a day, month or year: a clock time ("at 2pm",
 * "3:46 p.m.") or a span ("for a second", "after about a minute") does not,
 * nor does a lower-case word it takes for a weekday or month ("sat down",
 * "may").
 */
function isDate(result: chrono.ParsedResult): boolean {
  const c = result.start;
  // chrono marks no unit certain in "this week"; the week still dates the sentence (to its month).
  if (!(['day', 'weekday', 'month', 'year'] as const).some((unit) => c.isCertain(unit)) && !/\bweek/i.test(result.text)) return false;
  const named = /\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$|,)|\d{4}/i.test(result.text);
  if (/\b(?:seconds?|minutes?|hours?|the day)\b/i.test(result.text) && !named) return false;
  const word = result.text.trim();
  return !/^\p{Ll}+\.?$/u.test(word) || /^(?:yesterday|today|tonight|tomorrow)$/.test(word);
}

/**
 * Whether a sentence tells of what is to come: news tells mostly of the
 * past, so "on Saturday" is the last Saturday unless the sentence says
 * "will", "is to", "plans to", "next"…
 */
export type Tense = 'past' | 'future';
const FUTURE =
  /\b(?:will|won['’]t|shall|(?:is|are|was|were) (?:set|due|expected|scheduled|slated|poised|going|to)\b|plans? to|planning to|intends? to|to be held|due to|upcoming|next|coming|later this)\b/iu;
export function tenseOf(sentence: string): Tense {
  return FUTURE.test(sentence) ? 'future' : 'past';
}

/**
 * The first and last day the article may have appeared, except that the last
 * is taken no later than the 28th: chrono moves "next month" from 31 August
 * to 1 October, which would blur a month the phrase does pin down.
 */
function referenceDays(published: PartialDate): { start: string; end: string } {
  const { start, end } = dateRange(published);
  if (published.day !== undefined) return { start, end };
  return { start, end: end.slice(8) > '28' ? `${end.slice(0, 8)}28` : end };
}

interface Resolved {
  date: PartialDate;
  precision: Precision;
}

function referenceAt(day: string): { instant: Date; timezone: number } {
  return { instant: new Date(`${day}T12:00:00Z`), timezone: 0 };
}

function parseOne(phrase: string, day: string, tense: Tense, published: PartialDate): Resolved | undefined {
  const result = chrono.parse(phrase, referenceAt(day))[0];
  return result && !result.end ? resolved(result, day, tense, published) : undefined;
}

const DAY_MS = 86_400_000;
const MODIFIED = /\b(?:last|next|this|past|coming|previous|following)\b/iu;

/**
 * The date chrono found, as precise as the phrase itself is ("June" is a
 * month, "Monday" a day), read in the sentence's tense: chrono takes the
 * nearest "Tuesday" or "March 5", which in a past-tense sentence may be one
 * still to come. A week ("next week") is never a day: the month it lies in,
 * if it lies in one.
 */
function resolved(result: chrono.ParsedResult, referenceDay: string, tense: Tense, published: PartialDate): Resolved {
  const monthOnly = published.month !== undefined && published.day === undefined;
  const c = result.start;
  const reference = Date.parse(`${referenceDay}T12:00:00Z`);
  let time = Date.UTC(c.get('year')!, c.get('month')! - 1, c.get('day')!, 12);
  const weekdayOnly = c.isCertain('weekday') && !c.isCertain('day');
  if (weekdayOnly && !c.isCertain('month') && monthOnly) {
    // The article is dated to the month only: a weekday it mentions is taken to be in that month (as curators do).
    return { date: { year: Number(referenceDay.slice(0, 4)), month: Number(referenceDay.slice(5, 7)), day: 1 }, precision: 'month' };
  }
  if (weekdayOnly && !MODIFIED.test(result.text)) {
    const from = new Date(reference).getUTCDay();
    const wanted = c.get('weekday')!;
    const shift = tense === 'past' ? -((from - wanted + 7) % 7) : (wanted - from + 7) % 7;
    time = reference + shift * DAY_MS;
  } else if (c.isCertain('month') && !c.isCertain('year') && published.month === undefined && tense === 'past' && !MODIFIED.test(result.text)) {
    // The article is dated to the year only: a month or day it tells of in the past without a year ("in June",
    // "on July 27") is that year's, as news tells of its own year. Of what is to come it cannot say which.
    time = Date.UTC(published.year, c.get('month')! - 1, c.get('day')!, 12);
  } else if (c.isCertain('month') && !c.isCertain('year') && !MODIFIED.test(result.text)) {
    const day = new Date(time);
    if (tense === 'past' && time > reference + 31 * DAY_MS) day.setUTCFullYear(day.getUTCFullYear() - 1);
    if (tense === 'future' && time < reference - 31 * DAY_MS) day.setUTCFullYear(day.getUTCFullYear() + 1);
    time = day.getTime();
  }
  const at = new Date(time);
  const date = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
  if (/\bweeks?\b/iu.test(result.text) && !c.isCertain('weekday')) return weekOf(at);
  // A weekend is two days: at most the month they share.
  if (/\bweekends?\b/iu.test(result.text)) return weekOf(new Date(time - DAY_MS));
  const precision: Precision = c.isCertain('day') || c.isCertain('weekday') ? 'day' : c.isCertain('month') ? 'month' : 'year';
  return { date, precision };
}

/** The Monday-to-Sunday week of a day, at the precision both its ends share. */
function weekOf(day: Date): Resolved {
  const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  const sunday = new Date(monday.getTime() + 6 * DAY_MS);
  const date = { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
  if (monday.getUTCMonth() === sunday.getUTCMonth()) return { date, precision: 'month' };
  // A week across two months pins only the year (or nothing, across two years: commonDate then fails).
  return { date: monday.getUTCFullYear() === sunday.getUTCFullYear() ? date : { ...date, year: Number.NaN }, precision: 'year' };
}

/** The most precise date both readings agree on, no finer than either phrase allows. */
function commonDate(a: Resolved, b: Resolved): PartialDate | undefined {
  const levels: Precision[] = ['day', 'month', 'year'];
  const finest = Math.max(levels.indexOf(a.precision), levels.indexOf(b.precision));
  for (let level = finest; level < levels.length; level++) {
    const x = truncate(a.date, levels[level]!);
    const y = truncate(b.date, levels[level]!);
    if (x.year === y.year && x.month === y.month && x.day === y.day) return x;
  }
  return undefined;
}

function truncate(date: PartialDate, precision: Precision): PartialDate {
  if (precision === 'year') return { year: date.year };
  if (precision === 'month') return { year: date.year, month: date.month };
  return { year: date.year, month: date.month, day: date.day };
}
