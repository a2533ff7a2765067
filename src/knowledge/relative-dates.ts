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
export function resolveRelativeDate(phrase: string, published: PartialDate): PartialDate | undefined {
  const { start, end } = referenceDays(published);
  const early = parseOne(phrase, start);
  const late = parseOne(phrase, end);
  if (!early || !late) return undefined;
  return commonDate(early, late);
}

/** Every date phrase in a sentence, each resolved as above; for the extractor. */
export function findRelativeDates(sentence: string, published: PartialDate): Array<{ text: string; date: PartialDate }> {
  const { start, end } = referenceDays(published);
  const early = chrono.parse(sentence, referenceAt(start));
  const late = chrono.parse(sentence, referenceAt(end));
  const out: Array<{ text: string; date: PartialDate }> = [];
  for (const result of early) {
    const twin = late.find((r) => r.index === result.index && r.text === result.text);
    if (!twin || result.end) continue; // ranges ("1950-53") are not one date
    const date = commonDate(resolved(result), resolved(twin));
    if (date) out.push({ text: result.text, date });
  }
  return out;
}

/**
 * The first and last day the article may have appeared, except that the last
 * is taken no later than the 28th: chrono moves "next month" from 31 August
 * to 1 October, which would blur a month the phrase does pin down.
 */
function referenceDays(published: PartialDate): { start: string; end: string } {
  const { start, end } = dateRange(published);
  return { start, end: end.slice(8) > '28' ? `${end.slice(0, 8)}28` : end };
}

interface Resolved {
  date: PartialDate;
  precision: Precision;
}

function referenceAt(day: string): { instant: Date; timezone: number } {
  return { instant: new Date(`${day}T12:00:00Z`), timezone: 0 };
}

function parseOne(phrase: string, day: string): Resolved | undefined {
  const result = chrono.parse(phrase, referenceAt(day))[0];
  return result && !result.end ? resolved(result) : undefined;
}

/** The date chrono found, as precise as the phrase itself is ("June" is a month, "Monday" a day). */
function resolved(result: chrono.ParsedResult): Resolved {
  const c = result.start;
  const precision: Precision = c.isCertain('day') || c.isCertain('weekday') ? 'day' : c.isCertain('month') ? 'month' : 'year';
  return { date: { year: c.get('year')!, month: c.get('month')!, day: c.get('day')! }, precision };
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
