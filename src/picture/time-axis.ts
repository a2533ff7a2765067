import { dateRange, type PartialDate } from '../core/dates.ts';
import { textWidth } from './measure.ts';
import { TYPE } from './type-scale.ts';

/**
 * A horizontal time axis over the selected period, with long empty stretches
 * compressed into a fixed-width break (marked, with how long it is) and the
 * remaining width shared between the busy stretches by both their length and
 * how many events they hold: 2018 gets room, the empty 1960s do not.
 */

/** Days since 1970-01-01 of a calendar day; works for any year 1–9999. */
export function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(0, 0, 0, 0);
  return Math.round(date.getTime() / 86_400_000);
}

function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dayNumber(y, m, d);
}

/** The days a partial date covers, as [start, end) day numbers. */
export function daySpan(date: PartialDate): { start: number; end: number } {
  const { start, end } = dateRange(date);
  return { start: dayOf(start), end: dayOf(end) + 1 };
}

/** A stretch of the axis drawn at one scale; `binned` when it is one of several bins of a long stretch. */
export interface AxisSegment { start: number; end: number; x0: number; x1: number; binned?: boolean }
export interface AxisBreak { x: number; days: number; label: string }
export interface AxisTick { x: number; label: string; labelBox: { x: number; w: number } }

export interface TimeAxis {
  segments: AxisSegment[];
  breaks: AxisBreak[];
  ticks: AxisTick[];
  /** The x of a day number (fractional days allowed). */
  x(day: number): number;
}

export const BREAK_WIDTH = 30;
const MIN_SEGMENT = 48;
const MIN_BIN = 14;
const TICK_SIZE = TYPE.tick;

/**
 * @param spans the events' [start, end) days
 * @param bounds the period asked for, when the user gave one
 */
export function buildAxis(spans: { start: number; end: number }[], left: number, right: number, bounds: { start?: number; end?: number } = {}): TimeAxis {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const lo = Math.min(bounds.start ?? Infinity, sorted[0]!.start);
  const hi = Math.max(bounds.end ?? -Infinity, ...sorted.map((s) => s.end));
  // A stretch with no event longer than this (and than a year) becomes a break.
  const threshold = Math.max(400, (hi - lo) * 0.08);
  const groups: { start: number; end: number; count: number }[] = [];
  for (const span of sorted) {
    const last = groups.at(-1);
    if (last && span.start - last.end <= threshold) {
      last.end = Math.max(last.end, span.end);
      last.count++;
    } else groups.push({ start: span.start, end: span.end, count: 1 });
  }
  // The asked-for edges belong to the picture when they are near the events.
  if (bounds.start !== undefined && groups[0]!.start - bounds.start <= threshold) groups[0]!.start = bounds.start;
  if (bounds.end !== undefined && bounds.end - groups.at(-1)!.end <= threshold) groups.at(-1)!.end = bounds.end;
  for (const g of groups) {
    // A little air so a marker never sits on a break or the frame.
    const pad = Math.max(10, (g.end - g.start) * 0.02, (90 - (g.end - g.start)) / 2);
    g.start -= pad;
    g.end += pad;
  }

  // A long stretch is cut into bins of whole years, so its busy years can be wider than its quiet ones.
  const bins = groups.flatMap((g, group) => binsOf(g, sorted).map((b, i, all) => ({ ...b, group, first: i === 0, alone: all.length === 1 })));
  const width = right - left - BREAK_WIDTH * (groups.length - 1);
  const totalDays = bins.reduce((n, b) => n + (b.end - b.start), 0);
  const totalEvents = bins.reduce((n, b) => n + b.count, 0);
  const weights = bins.map((b) => 0.5 * ((b.end - b.start) / totalDays) + 0.5 * (b.count / Math.max(1, totalEvents)));
  const widths = shareWidth(weights, bins.map((b) => (b.alone ? MIN_SEGMENT : MIN_BIN)), width);

  const segments: AxisSegment[] = [];
  const breaks: AxisBreak[] = [];
  let x = left;
  bins.forEach((b, i) => {
    if (b.first && b.group > 0) {
      const days = b.start - groups[b.group - 1]!.end;
      breaks.push({ x: x + BREAK_WIDTH / 2, days, label: describeGap(days) });
      x += BREAK_WIDTH;
    }
    segments.push({ start: b.start, end: b.end, x0: x, x1: x + widths[i]!, ...(b.alone ? {} : { binned: true }) });
    x += widths[i]!;
  });

  const scale = (day: number): number => {
    const seg = segments.find((s) => day <= s.end) ?? segments.at(-1)!;
    const clamped = Math.min(Math.max(day, seg.start), seg.end);
    return seg.x0 + ((clamped - seg.start) / (seg.end - seg.start)) * (seg.x1 - seg.x0);
  };
  return { segments, breaks, ticks: ticksFor(segments, breaks), x: scale };
}

/** Widths in proportion to the weights, none narrower than its floor (floors shrink when they do not fit). */
function shareWidth(weights: number[], floors: number[], width: number): number[] {
  const squeeze = Math.min(1, width / floors.reduce((a, b) => a + b, 0));
  const floor = floors.map((f) => f * squeeze);
  const free = width - floor.reduce((a, b) => a + b, 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w, i) => floor[i]! + (free * w) / sum);
}

/** A stretch of more than eight years as bins of whole years (about sixteen), each with its events' count. */
function binsOf(group: { start: number; end: number; count: number }, spans: { start: number }[]): { start: number; end: number; count: number }[] {
  const years = (group.end - group.start) / 365.25;
  if (years <= 8) return [group];
  const step = Math.ceil(years / 16);
  const firstYear = new Date(group.start * 86_400_000).getUTCFullYear();
  const cuts: number[] = [];
  for (let y = firstYear + step; ; y += step) {
    const day = dayNumber(y, 1, 1);
    if (day >= group.end) break;
    cuts.push(day);
  }
  const edges = [group.start, ...cuts, group.end];
  return edges.slice(0, -1).map((start, i) => {
    const end = edges[i + 1]!;
    return { start, end, count: spans.filter((s) => s.start >= start && s.start < end).length };
  });
}

function describeGap(days: number): string {
  const years = days / 365.25;
  if (years >= 1.5) return `${Math.round(years)} yrs`;
  return `${Math.round(days / 30.44)} mo`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STEPS = [1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 6000];

/** Month-boundary ticks at a step wide enough for its labels; labels never overlap each other or a break. */
function ticksFor(segments: AxisSegment[], breaks: AxisBreak[]): AxisTick[] {
  // Break labels have their own row under the tick labels.
  void breaks;
  const taken: { x: number; w: number }[] = [];
  const ticks: AxisTick[] = [];
  for (const seg of segments) {
    const before = ticks.length;
    const pxPerMonth = ((seg.x1 - seg.x0) / (seg.end - seg.start)) * 30.44;
    const step = STEPS.find((s) => s * pxPerMonth >= (s < 12 ? 72 : 48)) ?? STEPS.at(-1)!;
    const first = monthIndexAtOrAfter(seg.start, step);
    for (let m = first; ; m += step) {
      const day = dayNumber(Math.floor(m / 12), (m % 12) + 1, 1);
      if (day > seg.end) break;
      const x = seg.x0 + ((day - seg.start) / (seg.end - seg.start)) * (seg.x1 - seg.x0);
      const year = Math.floor(m / 12);
      // Months say their year at a year's start and at a stretch's first tick.
      const label = step >= 12 || m % 12 === 0 ? String(year) : ticks.length === before ? `${MONTHS[m % 12]} ${year}` : MONTHS[m % 12]!;
      const w = textWidth(label, TICK_SIZE);
      const box = { x: x - w / 2, w };
      if (taken.some((t) => box.x < t.x + t.w + 6 && t.x < box.x + box.w + 6)) continue;
      taken.push(box);
      ticks.push({ x, label, labelBox: box });
    }
    // A stretch too short for a month boundary still says when it is.
    if (ticks.length === before && !seg.binned) {
      const mid = (seg.start + seg.end) / 2;
      const x = (seg.x0 + seg.x1) / 2;
      const label = String(new Date(mid * 86_400_000).getUTCFullYear());
      const w = textWidth(label, TICK_SIZE);
      const box = { x: x - w / 2, w };
      if (!taken.some((t) => box.x < t.x + t.w + 6 && t.x < box.x + box.w + 6)) {
        taken.push(box);
        ticks.push({ x, label, labelBox: box });
      }
    }
  }
  return ticks.sort((a, b) => a.x - b.x);
}

function monthIndexAtOrAfter(day: number, step: number): number {
  const date = new Date(day * 86_400_000);
  let m = date.getUTCFullYear() * 12 + date.getUTCMonth();
  if (date.getUTCDate() > 1) m++;
  return Math.ceil(m / step) * step;
}
