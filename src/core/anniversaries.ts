/**
 * Anniversaries of dated events, as a calendar in a given time zone sees them.
 * Pure functions: the /anniversaries command and the reminder jobs share them.
 */
import { isLeapYear } from './dates.ts';

/** A calendar day with no time zone attached. */
export interface CalendarDay {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export interface AnniversaryOccurrence {
  /** The calendar day it falls on, in the time zone asked about. */
  on: CalendarDay;
  /** How many years it marks (1953 → 2026 marks 73). */
  years: number;
  /** Whole days from the asking instant's local day; 0 means today. */
  daysUntil: number;
}

/** The calendar day an instant falls on in a time zone. */
export function localDay(instant: Date, timeZone: string): CalendarDay {
  const parts = dayFormatter(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** Building an Intl formatter costs far more than using one: one per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The day an event's anniversary is kept in a given year. February 29 is
 * kept on March 1 in common years (the day after February 28, as most
 * calendars and laws count it).
 */
export function anniversaryDayIn(event: CalendarDay, year: number): CalendarDay {
  if (event.month === 2 && event.day === 29 && !isLeapYear(year)) return { year, month: 3, day: 1 };
  return { year, month: event.month, day: event.day };
}

/**
 * The next anniversary of `event` on or after the local day of `after` in
 * `timeZone`. An anniversary falling today counts (daysUntil 0): a reminder
 * posted that morning is on time. The event's own day is not an anniversary,
 * so the first one is a year later.
 */
export function nextAnniversary(event: CalendarDay, after: Date, timeZone: string): AnniversaryOccurrence {
  const today = localDay(after, timeZone);
  let year = Math.max(today.year, event.year + 1);
  let on = anniversaryDayIn(event, year);
  if (compareDays(on, today) < 0) {
    year += 1;
    on = anniversaryDayIn(event, year);
  }
  return { on, years: year - event.year, daysUntil: daysBetween(today, on) };
}

export function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: CalendarDay, b: CalendarDay): number {
  const ms = Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day);
  return Math.round(ms / 86_400_000);
}

/** English ordinal for a years count: 1st, 2nd, 3rd, 11th, 73rd. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
