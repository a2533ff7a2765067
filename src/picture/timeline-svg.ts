import type { TimelineLayout } from './timeline-layout.ts';
import { THREADS } from './threads.ts';
import { LABEL_BOX, TYPE } from './type-scale.ts';
import { BACKGROUND, INK, MUTED, RULE, n, svgOpen, text } from './svg.ts';

/**
 * A laid-out timeline → SVG text. Only draws what the layout decided; every
 * string is escaped, so feed text cannot become markup.
 */

const colour = (id: string) => THREADS.find((t) => t.id === id)!.colour;

export function timelineSvg(layout: TimelineLayout): string {
  const { width, height, axis } = layout;
  const out: string[] = [
    ...svgOpen(width, height),
    text(layout.title.x, layout.title.y, layout.title.size, layout.title.text, `font-weight="700" fill="${INK}"`),
    text(layout.selection.x, layout.selection.y, layout.selection.size, layout.selection.text, `fill="${MUTED}"`),
  ];
  for (const item of layout.legend) {
    out.push(`<rect x="${item.x}" y="${item.y - 12}" width="16" height="14" rx="2" fill="${item.thread.colour}"/>`);
    out.push(text(item.x + 24, item.y, TYPE.legend, `${item.thread.label} (${item.count})`, `fill="${INK}"`));
  }
  const plotTop = layout.lanes[0]?.top ?? axis.y;
  // Lane bands and names.
  layout.lanes.forEach((lane, i) => {
    if (i % 2 === 0) out.push(`<rect x="20" y="${n(lane.top - 4)}" width="${width - 40}" height="${n(lane.bottom - lane.top + 8)}" fill="#f0f0ea"/>`);
    out.push(`<line x1="${axis.left - 20}" x2="${axis.right + 20}" y1="${n(lane.baseline)}" y2="${n(lane.baseline)}" stroke="${RULE}" stroke-width="1"/>`);
    out.push(text(30, lane.baseline + 5, TYPE.lane, lane.thread.label, `font-weight="700" fill="${lane.thread.colour}"`));
  });
  // Grid lines at the ticks, behind everything else.
  for (const tick of axis.ticks) out.push(`<line x1="${n(tick.x)}" x2="${n(tick.x)}" y1="${n(plotTop)}" y2="${n(axis.y)}" stroke="#e2e2dc" stroke-width="1"/>`);
  for (const b of axis.breaks) out.push(`<rect x="${n(b.x - 7)}" y="${n(plotTop - 4)}" width="14" height="${n(axis.y - plotTop + 4)}" fill="${BACKGROUND}" opacity="0.85"/>`);
  for (const label of layout.labels) {
    out.push(`<line x1="${n(label.leader.x)}" x2="${n(label.leader.x)}" y1="${n(label.leader.y1)}" y2="${n(label.leader.y2)}" stroke="${colour(label.thread)}" stroke-opacity="0.55" stroke-width="1"/>`);
  }
  for (const mark of layout.marks) {
    const c = colour(mark.thread);
    if (mark.kind === 'span') {
      const w = Math.max(4, mark.x2 - mark.x);
      out.push(`<rect x="${n(mark.x)}" y="${n(mark.y - 4)}" width="${n(w)}" height="8" rx="3" fill="${c}" fill-opacity="${mark.labelled ? 0.55 : 0.3}"/>`);
    } else {
      out.push(`<circle cx="${n(mark.x)}" cy="${n(mark.y)}" r="${mark.labelled ? 5 : 3}" fill="${c}" fill-opacity="${mark.labelled ? 1 : 0.6}" stroke="#ffffff" stroke-width="${mark.labelled ? 1.5 : 0}"/>`);
    }
  }
  for (const label of layout.labels) {
    const { x, y, w, h } = label.box;
    out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${h}" rx="3" fill="#ffffff" stroke="${colour(label.thread)}" stroke-opacity="0.5"/>`);
    out.push(text(x + LABEL_BOX.padding, y + LABEL_BOX.dateBaseline, TYPE.labelDate, label.date, `fill="${MUTED}"`));
    out.push(text(x + LABEL_BOX.padding, y + LABEL_BOX.titleBaseline, TYPE.labelTitle, label.text, `fill="${INK}"`));
  }
  for (const badge of layout.more) {
    const { x, y, w, h } = badge.box;
    out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${h}" rx="${h / 2}" fill="#e4e4de"/>`);
    out.push(text(x + w / 2, y + h - 6, TYPE.more, badge.text, `text-anchor="middle" fill="${INK}"`));
  }
  // The axis: solid over each stretch, broken (//) where time was compressed.
  for (const s of axis.segments) out.push(`<line x1="${n(s.x0)}" x2="${n(s.x1)}" y1="${n(axis.y)}" y2="${n(axis.y)}" stroke="${INK}" stroke-width="1.5"/>`);
  for (const b of axis.breaks) {
    for (const dx of [-4, 3]) out.push(`<line x1="${n(b.x + dx - 3)}" x2="${n(b.x + dx + 3)}" y1="${n(axis.y + 6)}" y2="${n(axis.y - 6)}" stroke="${INK}" stroke-width="1.5"/>`);
    out.push(text(b.x, axis.y + 42, TYPE.tick, b.label, `text-anchor="middle" fill="${MUTED}"`));
  }
  for (const tick of axis.ticks) {
    out.push(`<line x1="${n(tick.x)}" x2="${n(tick.x)}" y1="${n(axis.y)}" y2="${n(axis.y + 5)}" stroke="${INK}" stroke-width="1"/>`);
    out.push(text(tick.x, axis.y + 22, TYPE.tick, tick.label, `text-anchor="middle" fill="${INK}"`));
  }
  for (const line of layout.footer) out.push(text(line.x, line.y, line.size, line.text, `fill="${MUTED}"`));
  out.push('</svg>');
  return out.join('\n');
}
