import { FEED_FAILURE_REASONS, type FeedFailureReason } from '../feeds/failure.ts';
import { fetchCount, type HealthDay } from '../feeds/feed-history.ts';
import { fitText, textWidth } from './measure.ts';
import type { TextLine } from './timeline-layout.ts';

/**
 * The feed health chart as data: one stacked bar of fetches per day (fine,
 * not modified, failed by reason) on the left scale, new items per day as
 * dots joined by a line on the right scale, a title, a legend with totals
 * and a footer. Pure: no font engine, no SVG.
 */

export type Series = 'ok' | 'notModified' | FeedFailureReason;

export interface SeriesStyle { key: Series; label: string; colour: string }

const FAILURE_LABELS: Record<FeedFailureReason, string> = {
  FETCH_FAILED: 'unreachable',
  HTTP_ERROR: 'HTTP error',
  NOT_A_FEED: 'not a feed',
  TOO_LARGE: 'too large',
  TIMEOUT: 'timeout',
  BLOCKED_ADDRESS: 'blocked address',
  TOO_MANY_REDIRECTS: 'redirects',
  BAD_URL: 'bad URL',
  RATE_LIMITED: 'rate limited',
};

const FAILURE_COLOURS: Record<FeedFailureReason, string> = {
  FETCH_FAILED: '#c0392b',
  HTTP_ERROR: '#e8743b',
  NOT_A_FEED: '#8e44ad',
  TOO_LARGE: '#8b5a2b',
  TIMEOUT: '#d4a017',
  BLOCKED_ADDRESS: '#4d4d4d',
  TOO_MANY_REDIRECTS: '#c71585',
  BAD_URL: '#7f0000',
  RATE_LIMITED: '#f08080',
};

/** Stacking order, bottom up, and colours told apart on the light background. */
export const SERIES: readonly SeriesStyle[] = [
  { key: 'ok', label: 'OK', colour: '#2e8b57' },
  { key: 'notModified', label: 'Not modified', colour: '#8fb3d9' },
  ...FEED_FAILURE_REASONS.map((reason) => ({ key: reason, label: `Failed: ${FAILURE_LABELS[reason]}`, colour: FAILURE_COLOURS[reason] })),
];

export const NEW_ITEMS_COLOUR = '#1f2f86';

export interface BarSegment { key: Series; colour: string; count: number; y: number; h: number }
export interface Bar { day: string; x: number; w: number; segments: BarSegment[]; total: number }
/** `recorded` false on a day with no fetch recorded (bot down, feed not added yet): no data, not zero items. */
export interface NewItemsDot { day: string; x: number; y: number; count: number; recorded: boolean }
export interface Tick { y: number; label: string }
export interface LegendEntry { label: string; colour: string; kind: 'box' | 'dot'; x: number; y: number }

export interface FeedHealthLayout {
  width: number;
  height: number;
  title: TextLine;
  summary: TextLine;
  legend: LegendEntry[];
  plot: { left: number; right: number; top: number; bottom: number };
  /** Fetches per day (left). */
  ticks: Tick[];
  /** New items per day (right). */
  newItemTicks: Tick[];
  bars: Bar[];
  newItems: NewItemsDot[];
  dayLabels: { x: number; label: string }[];
  axisTitles: { left: TextLine; right: TextLine };
  footer: TextLine[];
  totals: { fetches: number; bySeries: Partial<Record<Series, number>>; newItems: number };
}

export const CHART_WIDTH = 720;
/** Type sizes: at 600 px wide the smallest is still 11 px. */
export const CHART_TYPE = { title: 22, summary: 14, legend: 14, tick: 13, footer: 13 } as const;
const LEFT = 58;
const RIGHT = CHART_WIDTH - 52;
const PLOT_HEIGHT = 220;
/** A non-zero part of a bar is at least this tall, so one failure among a hundred fetches still shows. */
const MIN_SEGMENT = 2;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `4 Dec`; with the year when asked. */
export function dayLabel(day: string, withYear = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

export function countOf(day: HealthDay, key: Series): number {
  if (key === 'ok') return day.ok ?? 0;
  if (key === 'notModified') return day.notModified ?? 0;
  return day.failed?.[key] ?? 0;
}

/** Scale ends and steps of 1, 2 or 5 × 10^k, about four steps up to at least `max`. */
export function niceTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!);
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

/**
 * @param name the feed's name, for the title
 * @param days the window, oldest first (historyWindow), one entry per day
 */
export function layoutFeedHealth(name: string, days: readonly HealthDay[]): FeedHealthLayout {
  const bySeries: Partial<Record<Series, number>> = {};
  for (const day of days) for (const s of SERIES) if (countOf(day, s.key) > 0) bySeries[s.key] = (bySeries[s.key] ?? 0) + countOf(day, s.key);
  const fetches = days.reduce((a, d) => a + fetchCount(d), 0);
  const newItemsTotal = days.reduce((a, d) => a + (d.newItems ?? 0), 0);
  const failed = SERIES.filter((s) => s.key !== 'ok' && s.key !== 'notModified').reduce((a, s) => a + (bySeries[s.key] ?? 0), 0);

  const title: TextLine = { text: fitText(`Feed “${name}”`, CHART_TYPE.title, RIGHT - 20, true), x: 20, y: 36, size: CHART_TYPE.title, bold: true };
  const summary: TextLine = {
    text: `${fetches} fetch${fetches === 1 ? '' : 'es'}: ${bySeries.ok ?? 0} OK, ${bySeries.notModified ?? 0} not modified, ${failed} failed · ${newItemsTotal} new item${newItemsTotal === 1 ? '' : 's'}`,
    x: 20,
    y: 62,
    size: CHART_TYPE.summary,
  };

  // The legend: the series that occur, then new items; wrapped into rows.
  const entries = [
    ...SERIES.filter((s) => (bySeries[s.key] ?? 0) > 0).map((s) => ({ label: `${s.label} (${bySeries[s.key]})`, colour: s.colour, kind: 'box' as const })),
    { label: `New items (${newItemsTotal})`, colour: NEW_ITEMS_COLOUR, kind: 'dot' as const },
  ];
  const legend: LegendEntry[] = [];
  let lx = 20;
  let ly = 92;
  for (const entry of entries) {
    const w = 22 + textWidth(entry.label, CHART_TYPE.legend) + 18;
    if (lx + w > CHART_WIDTH - 20 && lx > 20) {
      lx = 20;
      ly += 22;
    }
    legend.push({ ...entry, x: lx, y: ly });
    lx += w;
  }

  const top = ly + 42;
  const bottom = top + PLOT_HEIGHT;
  const ticks = niceTicks(Math.max(...days.map(fetchCount)));
  const itemTicks = niceTicks(Math.max(...days.map((d) => d.newItems ?? 0)));
  const scaleY = (v: number, tickValues: number[]) => bottom - (v / tickValues.at(-1)!) * (bottom - top);

  const slot = (RIGHT - LEFT) / Math.max(1, days.length);
  const barW = Math.max(4, Math.round(slot * 0.7));
  const bars: Bar[] = days.map((day, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    let y = bottom;
    const segments: BarSegment[] = [];
    for (const s of SERIES) {
      const count = countOf(day, s.key);
      if (count === 0) continue;
      const h = Math.max(MIN_SEGMENT, bottom - scaleY(count, ticks));
      y -= h;
      segments.push({ key: s.key, colour: s.colour, count, y, h });
    }
    return { day: day.day, x, w: barW, segments, total: fetchCount(day) };
  });
  const newItems: NewItemsDot[] = days.map((day, i) => ({ day: day.day, x: LEFT + i * slot + slot / 2, y: scaleY(day.newItems ?? 0, itemTicks), count: day.newItems ?? 0, recorded: fetchCount(day) > 0 }));

  // A date under every fifth bar, counted back from today, so the last bar (today) is always named.
  const dayLabels = days.flatMap((day, i) => ((days.length - 1 - i) % 5 === 0 ? [{ x: LEFT + i * slot + slot / 2, label: dayLabel(day.day) }] : []));
  const first = days[0]!.day;
  const last = days.at(-1)!.day;
  return {
    width: CHART_WIDTH,
    height: bottom + 92,
    title,
    summary,
    legend,
    plot: { left: LEFT, right: RIGHT, top, bottom },
    ticks: ticks.map((v) => ({ y: scaleY(v, ticks), label: String(v) })),
    newItemTicks: itemTicks.map((v) => ({ y: scaleY(v, itemTicks), label: String(v) })),
    bars,
    newItems,
    dayLabels,
    axisTitles: {
      left: { text: 'fetches', x: LEFT - 8, y: top - 12, size: CHART_TYPE.tick },
      right: { text: 'new items', x: RIGHT + 8, y: top - 12, size: CHART_TYPE.tick },
    },
    footer: [{ text: `Last ${days.length} days, UTC: ${dayLabel(first, true)} to ${dayLabel(last, true)} (today, so far)`, x: 20, y: bottom + 76, size: CHART_TYPE.footer }],
    totals: { fetches, bySeries, newItems: newItemsTotal },
  };
}
