import { precisionOf, type PartialDate } from '../core/dates.ts';
import { fitText, textWidth } from './measure.ts';
import { THREADS, type Thread, type ThreadId } from './threads.ts';
import { buildAxis, daySpan, type TimeAxis } from './time-axis.ts';
import { LABEL_BOX, TYPE } from './type-scale.ts';

/**
 * The timeline picture as data: where every mark, label, lane and line goes.
 * Pure: no font engine, no SVG. Labels are placed greedily (named, reviewed
 * events first) in a few rows above their lane's line; an event whose label
 * finds no free room keeps its marker and is counted in a "+N more" badge
 * under the line, and the footer says how many were left unlabelled.
 */

export interface PictureEvent {
  id: string;
  date: PartialDate;
  /** A short name ("Panmunjom Declaration"); the summary's start otherwise. */
  name?: string;
  summary: string;
  thread: ThreadId;
  /** Reviewed events are labelled before extracted ones. */
  curated: boolean;
}

export interface TimelineInput {
  title: string;
  /** The selection in words: "of 2018 about “summit”". */
  selection: string;
  events: PictureEvent[];
  /** The period asked for, when the user gave one. */
  from?: PartialDate;
  to?: PartialDate;
  sourceIds: string[];
}

export interface Box { x: number; y: number; w: number; h: number }

export interface Mark { eventId: string; thread: ThreadId; kind: 'point' | 'span'; x: number; x2: number; y: number; labelled: boolean }
export interface Label { eventId: string; thread: ThreadId; box: Box; date: string; text: string; leader: { x: number; y1: number; y2: number } }
export interface MoreBadge { thread: ThreadId; box: Box; text: string; count: number }
export interface Lane { thread: Thread; top: number; baseline: number; bottom: number }
export interface TextLine { text: string; x: number; y: number; size: number; bold?: boolean }

export interface TimelineLayout {
  width: number;
  height: number;
  title: TextLine;
  selection: TextLine;
  legend: { thread: Thread; count: number; x: number; y: number }[];
  lanes: Lane[];
  marks: Mark[];
  labels: Label[];
  more: MoreBadge[];
  axis: { y: number; left: number; right: number } & Pick<TimeAxis, 'segments' | 'breaks' | 'ticks'>;
  footer: TextLine[];
  hidden: number;
}

export const WIDTH = 1200;
const PLOT_RIGHT = WIDTH - 30;
const HEADER = 124;
const ROWS = 3;
const ROW_H = LABEL_BOX.rowHeight;
const LABEL_H = LABEL_BOX.height;
const MARK_BAND = 16;
const MORE_ROW = 28;
const LANE_GAP = 10;
const LABEL_MAX_W = 250;
const TITLE_SIZE = TYPE.labelTitle;
const DATE_SIZE = TYPE.labelDate;
const MORE_SIZE = TYPE.more;
const GAP = 6;

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `27 Apr 2018`, `Aug 2018`, `2019`: the date exactly as precise as known. */
export function shortDate(date: PartialDate): string {
  if (date.month === undefined) return String(date.year);
  const month = SHORT_MONTHS[date.month - 1]!;
  return date.day === undefined ? `${month} ${date.year}` : `${date.day} ${month} ${date.year}`;
}

export function layoutTimeline(input: TimelineInput): TimelineLayout {
  if (input.events.length === 0) throw new Error('layoutTimeline needs at least one event');
  const spans = input.events.map((e) => daySpan(e.date));
  const threads = THREADS.filter((t) => input.events.some((e) => e.thread === t.id));
  // The plot starts after the widest lane name.
  const left = 30 + Math.max(...threads.map((t) => textWidth(t.label, TYPE.lane, true))) + 36;
  const axis = buildAxis(spans, left, PLOT_RIGHT, {
    start: input.from ? daySpan(input.from).start : undefined,
    end: input.to ? daySpan(input.to).end : undefined,
  });

  const marks: Mark[] = [];
  const labels: Label[] = [];
  const more: MoreBadge[] = [];
  const lanes: Lane[] = [];
  let top = HEADER;
  for (const thread of threads) {
    const indexed = input.events.map((e, i) => ({ e, span: spans[i]! })).filter(({ e }) => e.thread === thread.id);
    const placed = placeLane(indexed.map(({ e, span }) => ({ event: e, x: axis.x(span.start), x2: axis.x(span.end) })), thread.id, left);
    const rows = Math.max(1, ...placed.labels.map((l) => l.row + 1));
    const baseline = top + rows * ROW_H + MARK_BAND / 2;
    const bottom = baseline + MARK_BAND / 2 + (placed.more.length > 0 ? MORE_ROW : 4);
    lanes.push({ thread, top, baseline, bottom });
    for (const m of placed.marks) marks.push({ ...m, y: baseline });
    for (const l of placed.labels) {
      const y = baseline - MARK_BAND / 2 - (l.row + 1) * ROW_H + (ROW_H - LABEL_H);
      labels.push({ eventId: l.eventId, thread: thread.id, box: { x: l.x, y, w: l.w, h: LABEL_H }, date: l.date, text: l.text, leader: { x: l.leaderX, y1: baseline, y2: y + LABEL_H } });
    }
    for (const b of placed.more) more.push({ thread: thread.id, box: { x: b.x, y: baseline + MARK_BAND / 2 + 4, w: b.w, h: MORE_ROW - 6 }, text: b.text, count: b.count });
    top = bottom + LANE_GAP;
  }

  const axisY = top + 4;
  const hidden = marks.filter((m) => !m.labelled).length;
  const footer = footerLines(input, hidden, marks.length, axisY + (axis.breaks.length > 0 ? 70 : 52));
  const counts = new Map(threads.map((t) => [t.id, input.events.filter((e) => e.thread === t.id).length]));
  return {
    width: WIDTH,
    height: footer.at(-1)!.y + 18,
    title: { text: fitText(input.title, TYPE.title, WIDTH - 60, true), x: 30, y: 44, size: TYPE.title, bold: true },
    selection: { text: fitText(input.selection, TYPE.selection, WIDTH - 60), x: 30, y: 74, size: TYPE.selection },
    legend: legend(threads, counts),
    lanes,
    marks,
    labels,
    more,
    axis: { y: axisY, left, right: PLOT_RIGHT, segments: axis.segments, breaks: axis.breaks, ticks: axis.ticks },
    footer,
    hidden,
  };
}

interface Placed {
  marks: Omit<Mark, 'y'>[];
  labels: { eventId: string; row: number; x: number; w: number; date: string; text: string; leaderX: number }[];
  more: { x: number; w: number; text: string; count: number }[];
}

/** Greedy placement in one lane; rows are lists of occupied [x, x+w] intervals. */
function placeLane(items: { event: PictureEvent; x: number; x2: number }[], thread: ThreadId, left: number): Placed {
  const rows: { x: number; w: number }[][] = Array.from({ length: ROWS }, () => []);
  const out: Placed = { marks: [], labels: [], more: [] };
  const order = [...items].sort((a, b) => priority(a.event) - priority(b.event) || a.x - b.x);
  const hidden: number[] = [];
  for (const { event, x, x2 } of order) {
    const span = precisionOf(event.date) !== 'day' && x2 - x >= 3;
    const centre = span ? x : (x + x2) / 2;
    const date = shortDate(event.date);
    const text = fitText(event.name ?? firstClause(event.summary), TITLE_SIZE, LABEL_MAX_W);
    const w = Math.max(textWidth(date, DATE_SIZE), textWidth(text, TITLE_SIZE)) + 2 * LABEL_BOX.padding;
    const spot = findSpot(rows, centre, w, left);
    out.marks.push({ eventId: event.id, thread, kind: span ? 'span' : 'point', x: span ? x : centre, x2: span ? x2 : centre, labelled: spot !== undefined });
    if (!spot) {
      hidden.push(centre);
      continue;
    }
    rows[spot.row]!.push({ x: spot.x, w });
    out.labels.push({ eventId: event.id, row: spot.row, x: spot.x, w, date, text, leaderX: Math.min(Math.max(centre, spot.x + 1), spot.x + w - 1) });
  }
  out.more = moreBadges(hidden, left);
  return out;
}

function priority(event: PictureEvent): number {
  return (event.curated ? 0 : 2) + (event.name ? 0 : 1);
}

/** The lowest row with room, the label starting at its marker, else ending there, else centred on it. */
function findSpot(rows: { x: number; w: number }[][], centre: number, w: number, left: number): { row: number; x: number } | undefined {
  const candidates = [centre - 6, centre - w + 6, centre - w / 2].map((x) => Math.min(Math.max(x, left - 20), PLOT_RIGHT + 10 - w));
  for (let row = 0; row < rows.length; row++) {
    for (const x of candidates) {
      if (rows[row]!.every((o) => x + w + GAP <= o.x || o.x + o.w + GAP <= x)) return { row, x };
    }
  }
  return undefined;
}

/** "+N more" badges for the unlabelled markers, merged until no two touch. */
function moreBadges(hidden: number[], left: number): Placed['more'] {
  const sorted = [...hidden].sort((a, b) => a - b);
  const clusters: { xs: number[] }[] = [];
  const badge = (xs: number[]) => {
    const text = `+${xs.length} more`;
    const w = textWidth(text, MORE_SIZE) + 14;
    const mid = (xs[0]! + xs.at(-1)!) / 2;
    const x = Math.min(Math.max(mid - w / 2, left - 20), PLOT_RIGHT + 10 - w);
    return { x, w, text, count: xs.length };
  };
  for (const x of sorted) {
    const last = clusters.at(-1);
    if (last && x - last.xs.at(-1)! <= 40) last.xs.push(x);
    else clusters.push({ xs: [x] });
  }
  // Merge neighbours whose badges would touch, until none do.
  for (let i = 1; i < clusters.length; ) {
    const a = badge(clusters[i - 1]!.xs);
    const b = badge(clusters[i]!.xs);
    if (a.x + a.w + GAP <= b.x) {
      i++;
      continue;
    }
    clusters.splice(i - 1, 2, { xs: [...clusters[i - 1]!.xs, ...clusters[i]!.xs] });
    i = Math.max(1, i - 1);
  }
  return clusters.map((c) => badge(c.xs));
}

function firstClause(summary: string): string {
  const clause = summary.split(/(?<=[.;:])\s|,\s| — | – /)[0] ?? summary;
  return clause.replace(/\.$/, '');
}

function legend(threads: Thread[], counts: Map<ThreadId, number>): TimelineLayout['legend'] {
  let x = 30;
  return threads.map((thread) => {
    const item = { thread, count: counts.get(thread.id) ?? 0, x, y: 104 };
    x += 24 + textWidth(`${thread.label} (${item.count})`, TYPE.legend) + 22;
    return item;
  });
}

function footerLines(input: TimelineInput, hidden: number, total: number, y: number): TextLine[] {
  const lines: TextLine[] = [];
  const note = hidden > 0
    ? `${total - hidden} of ${total} events labelled; “+N more” counts events too close together to label — ask for a shorter period or a keyword to see them.`
    : `${total} event${total === 1 ? '' : 's'}; dates as precise as the sources allow (a year or month alone is drawn as a bar).`;
  lines.push({ text: fitText(note, TYPE.footer, WIDTH - 60), x: 30, y, size: TYPE.footer });
  const ids = input.sourceIds;
  let sources = `Sources: ${ids.join(', ')}`;
  for (let n = ids.length; n > 0 && textWidth(sources, TYPE.sources) > WIDTH - 60; n--) {
    sources = `Sources: ${ids.slice(0, n - 1).join(', ')} and ${ids.length - n + 1} more`;
  }
  if (ids.length > 0) lines.push({ text: sources, x: 30, y: y + 22, size: TYPE.sources });
  return lines;
}
