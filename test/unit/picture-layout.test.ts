import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestServices } from '../support/services.ts';
import { generatedEvents } from '../../bench/generated-events.ts';
import { decodePng } from '../support/png-pixels.ts';
import type { Services } from '../../src/services.ts';
import { pictureEvents, timelineLayoutFor, timelinePicture } from '../../src/picture/timeline-picture.ts';
import { textWidth } from '../../src/picture/measure.ts';
import { measuredTextWidth } from '../../src/picture/rasterise.ts';
import type { Box, TimelineLayout } from '../../src/picture/timeline-layout.ts';
import type { KnowledgeEvent } from '../../src/knowledge/schema.ts';

let services: Services;
beforeAll(async () => {
  services = await makeTestServices();
});

function request(events: readonly KnowledgeEvent[], extra: { from?: { year: number }; to?: { year: number } } = {}) {
  return { title: 'Timeline', selection: 'test', events, entities: services.knowledge.entities(), slug: 'test', ...extra };
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every pair of text boxes that overlap: event labels and "+N more" badges. */
function overlaps(layout: TimelineLayout): string[] {
  const boxes = [...layout.labels.map((l) => ({ id: l.eventId, box: l.box })), ...layout.more.map((m, i) => ({ id: `more-${i}`, box: m.box }))];
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i]!.box, boxes[j]!.box)) found.push(`${boxes[i]!.id} × ${boxes[j]!.id}`);
  return found;
}

describe('timeline picture layout', () => {
  it('GIVEN the seed timeline THEN every event has a marker, labels do not overlap, the 1953–2005 gap is compressed and marked', () => {
    const events = services.knowledge.timeline({}).events;
    const layout = timelineLayoutFor(request(events));
    expect(layout.width).toBe(1200);
    expect(layout.marks).toHaveLength(events.length);
    expect(overlaps(layout)).toEqual([]);
    expect(layout.axis.breaks.map((b) => b.label)).toContain('51 yrs');
    // Markers are in time order left to right.
    const xs = layout.marks.map((m) => ({ id: m.eventId, x: m.x }));
    const byDate = events.map((e) => xs.find((m) => m.id === e.id)!.x);
    expect([...byDate].sort((a, b) => a - b)).toEqual(byDate);
    // Labels stay inside the picture.
    for (const l of layout.labels) expect(l.box.x >= 0 && l.box.x + l.box.w <= 1200).toBe(true);
  });

  it('GIVEN a year-only event THEN it is drawn as a span a year wide, and a day event as a point', () => {
    const events = services.knowledge.timeline({ from: { year: 2017 }, to: { year: 2018 } }).events;
    const layout = timelineLayoutFor(request(events));
    const year = events.find((e) => e.date.month === undefined)!;
    const day = events.find((e) => e.date.day !== undefined)!;
    const yearMark = layout.marks.find((m) => m.eventId === year.id)!;
    expect(yearMark.kind).toBe('span');
    expect(yearMark.x2 - yearMark.x).toBeGreaterThan(100);
    expect(layout.marks.find((m) => m.eventId === day.id)!.kind).toBe('point');
    const label = layout.labels.find((l) => l.eventId === year.id);
    if (label) expect(label.date).toBe('2017');
  });

  it('GIVEN threads derived from entities THEN Panmunjom is inter-Korean, Singapore US–North Korea, the Korea Peace Appeal civic', () => {
    const all = services.knowledge.timeline({}).events;
    const thread = (pattern: RegExp) => pictureEvents([all.find((e) => pattern.test(e.summary))!], services.knowledge.entities())[0]!.thread;
    expect(thread(/Panmunjom Declaration/)).toBe('inter-korean');
    expect(thread(/Singapore/)).toBe('us-dprk');
    expect(thread(/Korea Peace Appeal/)).toBe('civic');
  });

  it('GIVEN 500 events over 75 years THEN no labels overlap, the rest are counted in "+N more" badges, and the footer says so', () => {
    const layout = timelineLayoutFor(request(generatedEvents(500)));
    expect(layout.marks).toHaveLength(500);
    expect(overlaps(layout)).toEqual([]);
    expect(layout.labels.length).toBeGreaterThan(20);
    const counted = layout.more.reduce((n, m) => n + m.count, 0);
    expect(counted).toBe(500 - layout.labels.length);
    expect(layout.more.every((m) => m.text === `+${m.count} more`)).toBe(true);
    expect(layout.footer[0]!.text).toMatch(new RegExp(`^${layout.labels.length} of 500 events labelled; “\\+N more” counts`));
    expect(layout.height).toBeLessThanOrEqual(1000);
    // The busy years (70% of the events fall in 2017–2021) are drawn wider than the quiet ones.
    const yearWidth = (year: number) => {
      const at = (y: number) => layout.axis.ticks.find((t) => t.label === String(y))?.x;
      return at(year + 1)! - at(year)!;
    };
    expect(yearWidth(2019)).toBeGreaterThan(5 * ((layout.axis.ticks.find((t) => t.label === '1970')!.x - layout.axis.ticks.find((t) => t.label === '1960')!.x) / 10));
  });

  it('GIVEN one event, or an event in the year 1000 THEN the picture is drawn with a sensible axis', () => {
    const all = services.knowledge.timeline({}).events;
    const one = timelineLayoutFor(request([all[1]!]));
    expect(one.marks).toHaveLength(1);
    expect(one.labels).toHaveLength(1);
    expect(one.axis.ticks.length).toBeGreaterThan(0);
    expect(one.axis.ticks[0]!.label).toMatch(/1953/);
    const old = timelineLayoutFor(request([{ ...all[3]!, date: { year: 1000 } }, ...all.slice(4)]));
    expect(old.axis.breaks[0]!.label).toMatch(/^10\d\d yrs$/);
    expect(old.axis.ticks[0]!.label).toBe('1000');
    expect(overlaps(old)).toEqual([]);
  });

  it('GIVEN label texts THEN the width estimate is never narrower than what the font really draws', () => {
    const samples = ['Panmunjom Declaration', 'Singapore summit', '27 Jul 1953', 'Trump–Kim meeting at the DMZ', 'WWW MMM wide', '문재인 김정은 대화', '+12 more', 'illicit filings, jitters'];
    for (const s of samples) {
      expect(textWidth(s, 13), s).toBeGreaterThanOrEqual(measuredTextWidth(s, 13));
      expect(textWidth(s, 22, true), s).toBeGreaterThanOrEqual(measuredTextWidth(s, 22, true));
    }
  });
});

describe('timeline picture PNG', () => {
  it('GIVEN the 2018 timeline THEN a 1200-px opaque PNG with the background at the corners and coloured marks in the plot', async () => {
    const events = services.knowledge.timeline({ from: { year: 2018 }, to: { year: 2018 } }).events;
    const image = await timelinePicture(request(events, { from: { year: 2018 }, to: { year: 2018 } }));
    const layout = timelineLayoutFor(request(events, { from: { year: 2018 }, to: { year: 2018 } }));
    expect(image.mimeType).toBe('image/png');
    expect(image.filename).toBe('test.png');
    const png = decodePng(image.bytes);
    expect(png.width).toBe(1200);
    expect(png.height).toBe(Math.round(layout.height));
    expect(png.pixel(0, 0)).toEqual([0xfa, 0xfa, 0xf7]);
    expect(png.pixel(1199, png.height - 1)).toEqual([0xfa, 0xfa, 0xf7]);
    // The centre of a day marker is its thread's colour.
    const mark = layout.marks.find((m) => m.kind === 'point' && m.labelled)!;
    const [r, g, b] = png.pixel(Math.round(mark.x), Math.round(mark.y));
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(60);
    expect(image.alt).toMatch(/^Picture: Timeline: 9 events, 8 Mar 2018 to 19 Sep 2018, by thread: /);
  });
});
