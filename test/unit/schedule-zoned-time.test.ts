import { describe, expect, it } from 'vitest';
import { instantAt, isoWeek, parseTimeOfDay, wallClock } from '../../src/schedule/zoned-time.ts';

describe('wall-clock time in a time zone', () => {
  it('reads the local date and time of an instant', () => {
    expect(wallClock(new Date('2026-07-27T00:30:00Z'), 'Asia/Seoul')).toEqual({ year: 2026, month: 7, day: 27, hour: 9, minute: 30 });
    expect(wallClock(new Date('2026-07-27T00:30:00Z'), 'America/New_York')).toEqual({ year: 2026, month: 7, day: 26, hour: 20, minute: 30 });
  });

  it('finds the instant of a local time on an ordinary day', () => {
    expect(instantAt({ year: 2026, month: 7, day: 27 }, { hour: 9, minute: 0 }, 'Asia/Seoul').toISOString()).toBe('2026-07-27T00:00:00.000Z');
    expect(instantAt({ year: 2026, month: 1, day: 15 }, { hour: 9, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('GIVEN a spring-forward night WHEN 02:30 does not exist in New York THEN it moves forward to 03:30 EDT', () => {
    expect(instantAt({ year: 2026, month: 3, day: 8 }, { hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('GIVEN a fall-back night WHEN 01:30 happens twice in New York THEN the first one is chosen', () => {
    expect(instantAt({ year: 2026, month: 11, day: 1 }, { hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('handles London: 01:30 missing in March (→ 02:30 BST), doubled in October (→ the BST one)', () => {
    expect(instantAt({ year: 2026, month: 3, day: 29 }, { hour: 1, minute: 30 }, 'Europe/London').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantAt({ year: 2026, month: 10, day: 25 }, { hour: 1, minute: 30 }, 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('numbers ISO weeks across year boundaries', () => {
    expect(isoWeek({ year: 2026, month: 1, day: 1 })).toBe('2026-W01');
    expect(isoWeek({ year: 2027, month: 1, day: 1 })).toBe('2026-W53');
    expect(isoWeek({ year: 2024, month: 12, day: 30 })).toBe('2025-W01');
    expect(isoWeek({ year: 2026, month: 7, day: 27 })).toBe('2026-W31');
  });

  it('accepts HH:MM times of day and refuses the rest', () => {
    expect(parseTimeOfDay('09:00')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('7:45')).toEqual({ hour: 7, minute: 45 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['25:00', '9h', '12:60', '', '0900', 'noon']) expect(parseTimeOfDay(bad)).toBeUndefined();
  });
});
