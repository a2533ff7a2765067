import { historyWindow, fetchCount } from '../feeds/feed-history.ts';
import type { FeedRecord } from '../feeds/feed-registry.ts';
import type { ReplyImage } from '../reply/reply.ts';
import { dayLabel, layoutFeedHealth, SERIES, type FeedHealthLayout } from './feed-health-layout.ts';
import { feedHealthSvg } from './feed-health-svg.ts';
import { svgToPng } from './rasterise.ts';

/** A feed's last 30 days → its health chart, with its alt text; undefined when nothing was fetched in that time. */

export function feedHealthLayoutFor(feed: Pick<FeedRecord, 'name' | 'history'>, now: Date): FeedHealthLayout | undefined {
  const days = historyWindow(feed.history, now);
  if (!days.some((d) => fetchCount(d) > 0)) return undefined;
  return layoutFeedHealth(feed.name, days);
}

export async function feedHealthPicture(feed: Pick<FeedRecord, 'id' | 'name' | 'history'>, now: Date): Promise<ReplyImage | undefined> {
  const layout = feedHealthLayoutFor(feed, now);
  if (!layout) return undefined;
  return { bytes: await svgToPng(feedHealthSvg(layout)), filename: `feed-${feed.id}-30-days.png`, mimeType: 'image/png', alt: altText(feed.name, layout) };
}

/** What a screen reader says instead of the chart: its totals and its worst day. */
function altText(name: string, layout: FeedHealthLayout): string {
  const { totals } = layout;
  const parts = SERIES.filter((s) => (totals.bySeries[s.key] ?? 0) > 0).map((s) => `${s.label.toLowerCase()} ${totals.bySeries[s.key]}`);
  const failedOn = layout.bars.map((b) => ({ day: b.day, failed: b.segments.filter((s) => s.key !== 'ok' && s.key !== 'notModified').reduce((a, s) => a + s.count, 0) }));
  const worst = failedOn.reduce((a, b) => (b.failed > a.failed ? b : a), { day: '', failed: 0 });
  return `Picture: health of feed “${name}”, last 30 days (UTC): ${plural(totals.fetches, 'fetch', 'fetches')} (${parts.join(', ')}), ${plural(totals.newItems, 'new item', 'new items')}.${worst.failed > 0 ? ` Most failures on ${dayLabel(worst.day, true)} (${worst.failed}).` : ''}`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
