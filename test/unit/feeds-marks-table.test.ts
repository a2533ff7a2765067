import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MarkFilter, MarksTable } from '../../src/feeds/seen/marks-table.ts';

const mark = (kind: 'i' | 't', n: number) => kind + createHash('sha1').update(`item ${n}`).digest('hex').slice(0, 16);
const T0 = Date.UTC(2024, 5, 1);
const MINUTE = 60_000;

describe('the marks table', () => {
  it('finds every mark with its time (to the minute), and nothing else, however the marks arrived', () => {
    const entries = new Map(Array.from({ length: 500 }, (_, n) => [mark(n % 2 ? 'i' : 't', n), T0 + n * MINUTE + 59_000] as const));
    const all = MarksTable.of(entries);
    const inTwo = MarksTable.of(new Map([...entries].slice(0, 250))).merged(new Map([...entries].slice(250)));
    for (const table of [all, inTwo]) {
      expect(table.size).toBe(500);
      for (const [m, at] of entries) expect(table.lastSeen(m)).toBe(at - 59_000);
      expect(table.lastSeen(mark('i', 10_000))).toBeUndefined();
    }
    expect(inTwo.text).toBe(all.text);
  });

  it('replaces a mark\'s time on a merge instead of adding it twice, and ignores strings that are not marks', () => {
    const table = MarksTable.of(new Map([[mark('i', 1), T0], [mark('i', 2), T0]]));
    const merged = table.merged(new Map([[mark('i', 2), T0 + 5 * MINUTE], ['not a mark', T0]]));
    expect(merged.size).toBe(2);
    expect(merged.lastSeen(mark('i', 2))).toBe(T0 + 5 * MINUTE);
    expect(merged.entries()).toEqual(new Map([[mark('i', 1), T0], [mark('i', 2), T0 + 5 * MINUTE]]));
  });

  it('cleans out marks seen before the cutoff, then keeps the most recently seen up to the cap, ties included only as far as they fit', () => {
    // Marks 0-9 seen at minutes 0,0,1,1,2,2,3,3,4,4.
    const table = MarksTable.of(new Map(Array.from({ length: 10 }, (_, n) => [mark('i', n), T0 + Math.floor(n / 2) * MINUTE] as const)));
    expect(table.cleaned(T0 + MINUTE, 100).size).toBe(6); // minutes 2, 3, 4
    const capped = table.cleaned(T0 - 1, 5); // minutes 4, 4, 3, 3 and one of the two at minute 2
    expect(capped.size).toBe(5);
    const minutes = [...capped.entries().values()].map((at) => (at - T0) / MINUTE).sort();
    expect(minutes).toEqual([2, 3, 3, 4, 4]);
  });

  it('reads a damaged stored table as its whole entries only', () => {
    const table = MarksTable.of(new Map([[mark('i', 1), T0], [mark('i', 2), T0]]));
    const damaged = MarksTable.parse(table.text.slice(0, -5));
    expect(damaged.size).toBe(1);
    expect(damaged.entries()).toEqual(new Map([[[...table.entries().keys()][0]!, T0]]));
    expect(MarksTable.parse(undefined).size).toBe(0);
    expect(MarksTable.parse({ not: 'a string' }).size).toBe(0);
  });

  it('splits into the marks of a set and the rest', () => {
    const table = MarksTable.of(new Map(Array.from({ length: 6 }, (_, n) => [mark('i', n), T0] as const)));
    const [inside, outside] = table.split(new Set([mark('i', 1), mark('i', 4), mark('i', 99)]));
    expect([...inside.entries().keys()].sort()).toEqual([mark('i', 1), mark('i', 4)].sort());
    expect(outside.size).toBe(4);
    expect(outside.lastSeen(mark('i', 1))).toBeUndefined();
  });
});

describe('the mark filter', () => {
  const table = MarksTable.of(new Map(Array.from({ length: 4000 }, (_, n) => [mark('i', n), T0] as const)));
  const filter = MarkFilter.fromText(MarkFilter.of(table).toText())!;

  it('never rules out a mark that is in the table, after a round trip through its text', () => {
    for (let n = 0; n < 4000; n++) expect(filter.mayHave(mark('i', n))).toBe(true);
  });

  it('rules out nearly every mark that is not (about 1 % false "maybe"s), a title mark with an identity\'s digits included', () => {
    let maybes = 0;
    for (let n = 4000; n < 24_000; n++) if (filter.mayHave(mark('i', n))) maybes++;
    expect(maybes / 20_000).toBeLessThan(0.02);
    let titleMaybes = 0;
    for (let n = 0; n < 4000; n++) if (filter.mayHave(`t${mark('i', n).slice(1)}`)) titleMaybes++;
    expect(titleMaybes / 4000).toBeLessThan(0.02);
  });

  it('is absent when its text is missing or damaged, so every mark counts as "maybe"', () => {
    expect(MarkFilter.fromText(undefined)).toBeUndefined();
    expect(MarkFilter.fromText('AAAA')).toBeUndefined();
  });
});
