import { describe, expect, it } from 'vitest';
import { historyWindow, HISTORY_DAYS, recordFetchDay } from '../../src/feeds/feed-history.ts';
import { CHART_WIDTH, layoutFeedHealth, SERIES } from '../../src/picture/feed-health-layout.ts';
import { feedHealthLayoutFor, feedHealthPicture } from '../../src/picture/feed-health-picture.ts';
import { feedHealthSvg } from '../../src/picture/feed-health-svg.ts';
import { textWidth } from '../../src/picture/measure.ts';
import { decodePng } from '../support/png-pixels.ts';
import { mixedMonth } from '../support/feed-history-month.ts';

const NOW = new Date('2026-12-04T10:00:00Z');
const colourOf = (key: string) => SERIES.find((s) => s.key === key)!.colour;
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('the daily history', () => {
  it('GIVEN a fetch on a new UTC day THEN the day before the 30-day window falls off and the order stays oldest first', () => {
    const history = mixedMonth(NOW);
    expect(history[0]!.day).toBe('2026-11-05');
    const next = recordFetchDay(history, new Date('2026-12-05T00:00:01Z'), { result: 'failed', reason: 'TIMEOUT' });
    expect(next).toHaveLength(HISTORY_DAYS);
    expect(next[0]!.day).toBe('2026-11-06');
    expect(next.at(-1)).toEqual({ day: '2026-12-05', failed: { TIMEOUT: 1 } });
    // The old record is not changed: the poller writes the new one.
    expect(history[0]!.day).toBe('2026-11-05');
  });

  it('GIVEN a feed not fetched for weeks THEN its window is 30 days ending today, the old days empty', () => {
    const window = historyWindow([{ day: '2026-10-01', ok: 3 }, { day: '2026-11-20', notModified: 2 }], NOW);
    expect(window).toHaveLength(30);
    expect(window[0]).toEqual({ day: '2026-11-05' });
    expect(window.find((d) => d.day === '2026-11-20')).toEqual({ day: '2026-11-20', notModified: 2 });
    expect(window.at(-1)!.day).toBe('2026-12-04');
  });
});

describe('the feed health chart as data', () => {
  const layout = layoutFeedHealth('38 North', historyWindow(mixedMonth(NOW), NOW));

  it('GIVEN a mixed month THEN 30 bars left to right, today last and labelled, fetches stacked OK, not modified, then failures', () => {
    expect(layout.bars).toHaveLength(30);
    expect(layout.bars.map((b) => b.x)).toEqual([...layout.bars.map((b) => b.x)].sort((a, b) => a - b));
    expect(layout.dayLabels.at(-1)!.label).toBe('4 Dec');
    expect(layout.dayLabels.map((l) => l.label)).toEqual(['9 Nov', '14 Nov', '19 Nov', '24 Nov', '29 Nov', '4 Dec']);
    const stormy = layout.bars.find((b) => b.day === '2026-11-23')!;
    expect(stormy.segments.map((s) => [s.key, s.count])).toEqual([
      ['ok', 5],
      ['notModified', 105],
      ['HTTP_ERROR', 28],
      ['TIMEOUT', 6],
    ]);
    // Stacked: each part sits on the one below; the bar stands on the axis.
    expect(stormy.segments[0]!.y + stormy.segments[0]!.h).toBeCloseTo(layout.plot.bottom);
    for (let i = 1; i < stormy.segments.length; i++) expect(stormy.segments[i]!.y + stormy.segments[i]!.h).toBeCloseTo(stormy.segments[i - 1]!.y);
    // The day the bot was down has no bar, and the outage day is one colour.
    expect(layout.bars.find((b) => b.day === '2026-11-08')!.segments).toEqual([]);
    expect(layout.bars.find((b) => b.day === '2026-11-17')!.segments.map((s) => s.key)).toEqual(['FETCH_FAILED']);
  });

  it('GIVEN a day with nothing recorded THEN the new-items line breaks there instead of claiming zero', () => {
    expect(layout.newItems.filter((d) => !d.recorded).map((d) => d.day)).toEqual(['2026-11-08']);
    expect(feedHealthSvg(layout).match(/<polyline /g)).toHaveLength(2);
  });

  it('GIVEN the month THEN the summary and legend give the totals, the busiest new-item day reaches the top of its scale, the scales cover the data', () => {
    expect(layout.title.text).toBe('Feed “38 North”');
    expect(layout.summary.text).toBe('4092 fetches: 98 OK, 3679 not modified, 315 failed · 70 new items');
    expect(layout.legend.map((l) => l.label)).toEqual([
      'OK (98)',
      'Not modified (3679)',
      'Failed: unreachable (144)',
      'Failed: HTTP error (150)',
      'Failed: not a feed (3)',
      'Failed: timeout (18)',
      'New items (70)',
    ]);
    expect(Number(layout.ticks.at(-1)!.label)).toBeGreaterThanOrEqual(144);
    expect(layout.newItemTicks.at(-1)!.y).toBe(layout.plot.top);
    const top = Math.max(...layout.newItems.map((d) => d.count));
    expect(Number(layout.newItemTicks.at(-1)!.label)).toBeGreaterThanOrEqual(top);
    for (const dot of layout.newItems) expect(dot.y).toBeGreaterThanOrEqual(layout.plot.top);
    expect(layout.footer[0]!.text).toBe('Last 30 days, UTC: 5 Nov 2026 to 4 Dec 2026 (today, so far)');
  });

  it('GIVEN the legend THEN no entry overlaps another or leaves the picture', () => {
    const boxes = layout.legend.map((l) => ({ x0: l.x, x1: l.x + 22 + textWidth(l.label, 14), y: l.y }));
    for (const a of boxes) {
      expect(a.x1).toBeLessThanOrEqual(CHART_WIDTH - 20);
      for (const b of boxes) if (a !== b && a.y === b.y) expect(a.x1 <= b.x0 || b.x1 <= a.x0).toBe(true);
    }
    expect(layout.plot.top).toBeGreaterThan(layout.legend.at(-1)!.y + 20);
  });

  it('GIVEN a feed with no fetch in the last 30 days THEN there is no chart to draw', async () => {
    expect(feedHealthLayoutFor({ name: 'x', history: undefined }, NOW)).toBeUndefined();
    expect(await feedHealthPicture({ id: 'x', name: 'x', history: [{ day: '2026-10-01', ok: 5 }] }, NOW)).toBeUndefined();
  });
});

describe('the feed health PNG', () => {
  it('GIVEN a mixed month THEN a 720-px PNG with an opaque background and the failure colours drawn where the layout put them', async () => {
    const image = (await feedHealthPicture({ id: 'abc1234567', name: '38 North', history: mixedMonth(NOW) }, NOW))!;
    const layout = feedHealthLayoutFor({ name: '38 North', history: mixedMonth(NOW) }, NOW)!;
    const png = decodePng(image.bytes);
    expect(png.width).toBe(CHART_WIDTH);
    expect(png.height).toBe(Math.round(layout.height));
    expect(png.pixel(0, 0)).toEqual([0xfa, 0xfa, 0xf7]);
    expect(png.pixel(png.width - 1, png.height - 1)).toEqual([0xfa, 0xfa, 0xf7]);
    const outage = layout.bars.find((b) => b.day === '2026-11-17')!;
    expect(png.pixel(Math.round(outage.x + outage.w / 2), Math.round(outage.segments[0]!.y + 20))).toEqual(rgb(colourOf('FETCH_FAILED')));
    const today = layout.bars.at(-1)!;
    const notModified = today.segments.find((s) => s.key === 'notModified')!;
    expect(png.pixel(Math.round(today.x + 2), Math.round(notModified.y + notModified.h / 2))).toEqual(rgb(colourOf('notModified')));
    expect(image.filename).toBe('feed-abc1234567-30-days.png');
    expect(image.alt).toBe(
      'Picture: health of feed “38 North”, last 30 days (UTC): 4092 fetches (ok 98, not modified 3679, failed: unreachable 144, failed: http error 150, failed: not a feed 3, failed: timeout 18), 70 new items. Most failures on 17 Nov 2026 (144).',
    );
  });

  it('GIVEN a feed name with markup THEN it is drawn as text', () => {
    const svg = feedHealthSvg(layoutFeedHealth('<svg onload="x()">&', historyWindow(mixedMonth(NOW), NOW)));
    expect(svg).not.toContain('<svg onload');
    expect(svg).toContain('Feed “&lt;svg onload=&quot;x()&quot;&gt;&amp;”');
  });
});
