/**
 * Wall-clock time in a named time zone, with Intl only. The scheduler asks
 * two questions: "what does the clock on the wall say at this instant?" and
 * "at which instant does the wall clock show this day and time?" — the
 * second one across daylight-saving changes.
 */
import type { CalendarDay } from '../core/anniversaries.ts';

export interface WallClock extends CalendarDay {
  hour: number; // 0-23
  minute: number; // 0-59
}

/** A local time of day, `09:00` → { hour: 9, minute: 0 }. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

// One formatter per zone: creating an Intl.DateTimeFormat costs ~50 times more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a wall clock in `timeZone` shows at `instant` (seconds dropped). */
export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const local = new Date(ms + offsetAt(ms, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

const DAY_MS = 86_400_000;
/** Per zone and UTC day: the offset in force all day, or null on a day with a transition. */
const dayOffsets = new Map<string, number | null>();

/**
 * The zone's offset from UTC at `instant`, in milliseconds (Seoul: +9 h).
 * Asking Intl costs microseconds and a tick asks for every channel, so the
 * offset is remembered per zone and UTC day when it is the same at both
 * ends of the day (no daylight-saving change that day); on the two change
 * days a year, Intl is asked every time.
 */
function offsetAt(instant: number, timeZone: string): number {
  const day = Math.floor(instant / DAY_MS);
  const key = `${timeZone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const atStart = exactOffset(day * DAY_MS, timeZone);
    offset = atStart === exactOffset((day + 1) * DAY_MS - 60_000, timeZone) ? atStart : null;
    if (dayOffsets.size >= 20_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset ?? exactOffset(instant, timeZone);
}

function exactOffset(instant: number, timeZone: string): number {
  let year = 0, month = 0, day = 0, hour = 0, minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const flooredInstant = instant - (((instant % 60_000) + 60_000) % 60_000);
  return Date.UTC(year, month - 1, day, hour, minute) - flooredInstant;
}

/**
 * The instant at which the wall clock in `timeZone` shows `day` at `time`.
 *
 * Daylight saving makes that ambiguous twice a year:
 * - a time that does not exist (02:30 on a spring-forward night in New York)
 *   moves forward by the length of the gap (→ 03:30 EDT), as calendars do;
 * - a time that happens twice (01:30 on a fall-back night) is the first of
 *   the two, so a job at that time fires once, at the earlier one.
 */
export function instantAt(day: CalendarDay, time: TimeOfDay, timeZone: string): Date {
  // Thousands of channels share a few zones and times: remember the answers.
  const key = `${timeZone}|${day.year}-${day.month}-${day.day}|${time.hour}:${time.minute}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  if (instants.size >= MAX_REMEMBERED) instants.clear();
  const instant = computeInstantAt(day, time, timeZone);
  instants.set(key, instant);
  return new Date(instant);
}

const instants = new Map<string, number>();
const MAX_REMEMBERED = 50_000;

function computeInstantAt(day: CalendarDay, time: TimeOfDay, timeZone: string): number {
  const asUtc = Date.UTC(day.year, day.month - 1, day.day, time.hour, time.minute);
  // The offsets in force a day either side cover any transition near this time.
  const offsetBefore = offsetAt(asUtc - 86_400_000, timeZone);
  const offsetAfter = offsetAt(asUtc + 86_400_000, timeZone);
  // No change of offset near this day (the usual case): one answer, no ambiguity.
  if (offsetBefore === offsetAfter && offsetAt(asUtc - offsetBefore, timeZone) === offsetBefore) return asUtc - offsetBefore;
  const candidates = [asUtc - offsetBefore, asUtc - offsetAfter]
    .filter((instant) => showsWallTime(instant, day, time, timeZone))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In a gap: read the wall time with the offset from before the jump, which
  // lands that many minutes after the jump (02:30 EST = 03:30 EDT).
  return asUtc - offsetBefore;
}

function showsWallTime(instant: number, day: CalendarDay, time: TimeOfDay, timeZone: string): boolean {
  const wall = wallClock(instant, timeZone);
  return (
    wall.year === day.year && wall.month === day.month && wall.day === day.day && wall.hour === time.hour && wall.minute === time.minute
  );
}

/** The first instant of a local day (midnight, or the first minute after a midnight gap). */
export function startOfDay(day: CalendarDay, timeZone: string): Date {
  return instantAt(day, { hour: 0, minute: 0 }, timeZone);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(day: CalendarDay): number {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** The ISO week a day belongs to: `2026-W09` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(day: CalendarDay): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const firstOfYear = Date.UTC(thursday.year, 0, 1);
  const week = Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - firstOfYear) / (7 * 86_400_000)) + 1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
}

/** `2026-03-01`: a day as a sortable key. */
export function dayKey(day: CalendarDay): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(day.year).padStart(4, '0')}-${pad(day.month)}-${pad(day.day)}`;
}

const TIME_PATTERN = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Reads `HH:MM` (24-hour, `9:30` accepted); undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function formatTimeOfDay(time: TimeOfDay): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}
