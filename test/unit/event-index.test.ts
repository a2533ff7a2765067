import { describe, expect, it } from 'vitest';
import { EventIndex } from '../../src/knowledge/event-index.ts';
import type { KnowledgeEvent } from '../../src/knowledge/schema.ts';

/** 400 events over 40 years, one in four about a summit (so the filter matches too many to sort them apart). */
function events(): KnowledgeEvent[] {
  return Array.from({ length: 400 }, (_, i) => ({
    id: `e${i}`,
    date: i % 3 === 0 ? { year: 1980 + ((i * 7) % 40) } : { year: 1980 + ((i * 7) % 40), month: 1 + (i % 12) },
    derivation: 'stated' as const,
    summary: i % 4 === 0 ? `Leaders held summit number ${i}.` : `Envoys met for talks number ${i}.`,
    entities: [],
    anniversary: false,
    sources: [{ article: 'a', quote: 'q' }],
    status: 'extracted' as const,
  }));
}

describe('the event index, a page of a broad selection', () => {
  const index = new EventIndex(events(), () => []);
  const summits = { entityIds: new Set<string>(), keywords: ['summit'] };

  it.each([
    ['summits, every year', undefined, undefined, summits],
    ['summits in a period', '1990-01-01', '2005-12-31', summits],
    ['everything, every year', undefined, undefined, undefined],
    ['everything from a day within a year', '1995-06-15', undefined, undefined],
    ['everything in a period starting mid-month', '1990-03-10', '2005-12-31', undefined],
  ])('GIVEN %s THEN each page is that slice of the whole chronological selection, with the same total', (_, from, to, filter) => {
    const whole = index.select(from, to, filter);
    const all = index.select(undefined, undefined);
    // The whole selection, worked out the long way: every event whose period overlaps [from, to].
    const expected = all.events.filter((e) => {
      const year = e.date.year;
      const start = `${year}-${String(e.date.month ?? 1).padStart(2, '0')}-01`;
      const endDay = e.date.month === undefined ? `${year}-12-31` : `${year}-${String(e.date.month).padStart(2, '0')}-31`;
      return (!from || endDay >= from) && (!to || start <= to) && (!filter || e.summary.includes('summit'));
    });
    expect(whole.events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(whole.total).toBe(whole.events.length);
    expect(whole.total).toBeGreaterThan(16);
    for (const offset of [0, 8, whole.total - 3, whole.total + 8]) {
      const page = index.select(from, to, filter, { offset, limit: 8 });
      expect(page.total).toBe(whole.total);
      expect(page.events.map((e) => e.id)).toEqual(whole.events.slice(offset, offset + 8).map((e) => e.id));
    }
  });
});
