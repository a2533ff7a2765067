/**
 * Dates as the sources give them: a year, a month or a day, never more
 * precise than the text allows.
 */
export type Precision = 'year' | 'month' | 'day';

export interface PartialDate {
  year: number;
  month?: number; // 1-12
  day?: number; // 1-31
}

export function precisionOf(date: PartialDate): Precision {
  if (date.day !== undefined) return 'day';
  if (date.month !== undefined) return 'month';
  return 'year';
}

const PATTERN = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/;

/** Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; undefined when malformed or impossible. */
export function parsePartialDate(text: string): PartialDate | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (year < 1 || year > 9999) return undefined;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined && (month === undefined || day < 1 || day > daysInMonth(year, month))) return undefined;
  return { year, month, day };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return daysInMonth(year, 2) === 29;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2018`, `2018-04` or `2018-04-27`. */
export function formatPartialDate(date: PartialDate): string {
  let out = String(date.year).padStart(4, '0');
  if (date.month !== undefined) out += `-${pad(date.month)}`;
  if (date.day !== undefined) out += `-${pad(date.day)}`;
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `27 July 1953`, `March 2019` or `2017`: how a reader wants to see it. */
export function describePartialDate(date: PartialDate): string {
  if (date.month === undefined) return String(date.year);
  const month = MONTHS[date.month - 1]!;
  if (date.day === undefined) return `${month} ${date.year}`;
  return `${date.day} ${month} ${date.year}`;
}

/** First and last calendar day covered, as `YYYY-MM-DD` strings (sortable). */
export function dateRange(date: PartialDate): { start: string; end: string } {
  const month = date.month;
  const startMonth = month ?? 1;
  const endMonth = month ?? 12;
  const start = formatPartialDate({ year: date.year, month: startMonth, day: date.day ?? 1 });
  const end = formatPartialDate({
    year: date.year,
    month: endMonth,
    day: date.day ?? daysInMonth(date.year, endMonth),
  });
  return { start, end };
}

/** Chronological order; a less precise date sorts before the more precise ones it contains. */
export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  return (
    a.year - b.year ||
    (a.month ?? 0) - (b.month ?? 0) ||
    (a.day ?? 0) - (b.day ?? 0)
  );
}
