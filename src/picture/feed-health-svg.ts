import type { FeedHealthLayout } from './feed-health-layout.ts';
import { CHART_TYPE } from './feed-health-layout.ts';
import { INK, MUTED, RULE, n, svgOpen, text } from './svg.ts';

/** A laid-out feed health chart → SVG text. Draws only what the layout decided; the feed's name is escaped like all text. */
export function feedHealthSvg(layout: FeedHealthLayout): string {
  const { plot } = layout;
  const out: string[] = [
    ...svgOpen(layout.width, layout.height),
    text(layout.title.x, layout.title.y, layout.title.size, layout.title.text, `font-weight="700" fill="${INK}"`),
    text(layout.summary.x, layout.summary.y, layout.summary.size, layout.summary.text, `fill="${MUTED}"`),
  ];
  for (const entry of layout.legend) {
    out.push(
      entry.kind === 'box'
        ? `<rect x="${n(entry.x)}" y="${n(entry.y - 12)}" width="16" height="14" rx="2" fill="${entry.colour}"/>`
        : `<line x1="${n(entry.x)}" x2="${n(entry.x + 16)}" y1="${n(entry.y - 5)}" y2="${n(entry.y - 5)}" stroke="${entry.colour}" stroke-width="2"/><circle cx="${n(entry.x + 8)}" cy="${n(entry.y - 5)}" r="4" fill="${entry.colour}"/>`,
    );
    out.push(text(entry.x + 22, entry.y, CHART_TYPE.legend, entry.label, `fill="${INK}"`));
  }
  // Grid at the fetch ticks, the fetch scale on the left and the new-item scale on the right.
  for (const tick of layout.ticks) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${n(tick.y)}" y2="${n(tick.y)}" stroke="${tick.label === '0' ? INK : '#e2e2dc'}" stroke-width="1"/>`);
    out.push(text(plot.left - 8, tick.y + 4, CHART_TYPE.tick, tick.label, `text-anchor="end" fill="${INK}"`));
  }
  for (const tick of layout.newItemTicks) out.push(text(plot.right + 8, tick.y + 4, CHART_TYPE.tick, tick.label, `fill="${layout.legend.at(-1)!.colour}"`));
  const { left, right } = layout.axisTitles;
  out.push(text(left.x, left.y, left.size, left.text, `text-anchor="end" fill="${MUTED}"`));
  out.push(text(right.x, right.y, right.size, right.text, `text-anchor="middle" fill="${MUTED}"`));
  for (const bar of layout.bars) {
    for (const s of bar.segments) out.push(`<rect x="${n(bar.x)}" y="${n(s.y)}" width="${bar.w}" height="${n(s.h)}" fill="${s.colour}"/>`);
  }
  // New items over the bars: a line through the days, a dot on each day that brought some.
  const colour = layout.legend.at(-1)!.colour;
  // The line breaks over days with nothing recorded: no data is not "no new items".
  const runs: (typeof layout.newItems)[] = [];
  layout.newItems.forEach((d, i) => {
    if (!d.recorded) return;
    if (i > 0 && layout.newItems[i - 1]!.recorded) runs.at(-1)!.push(d);
    else runs.push([d]);
  });
  for (const run of runs.filter((r) => r.length > 1)) {
    out.push(`<polyline points="${run.map((d) => `${n(d.x)},${n(d.y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-opacity="0.7" stroke-width="1.5" stroke-linejoin="round"/>`);
  }
  for (const dot of layout.newItems) if (dot.count > 0) out.push(`<circle cx="${n(dot.x)}" cy="${n(dot.y)}" r="4" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`);
  for (const label of layout.dayLabels) {
    out.push(`<line x1="${n(label.x)}" x2="${n(label.x)}" y1="${plot.bottom}" y2="${plot.bottom + 5}" stroke="${INK}" stroke-width="1"/>`);
    out.push(text(label.x, plot.bottom + 22, CHART_TYPE.tick, label.label, `text-anchor="middle" fill="${INK}"`));
  }
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom + 44}" y2="${plot.bottom + 44}" stroke="${RULE}" stroke-width="1"/>`);
  for (const line of layout.footer) out.push(text(line.x, line.y, line.size, line.text, `fill="${MUTED}"`));
  out.push('</svg>');
  return out.join('\n');
}
