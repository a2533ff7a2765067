import { describe, expect, it } from 'vitest';
import { anniversaryDayIn, localDay, nextAnniversary, ordinal } from '../../src/core/anniversaries.ts';

const ARMISTICE = { year: 1953, month: 7, day: 27 };
const LEAP_DAY = { year: 2016, month: 2, day: 29 };

describe('nextAnniversary', () => {
  it('GIVEN a day before Armistice Day in Seoul THEN the next one is this year and marks 1953 + n', () => {
    const next = nextAnniversary(ARMISTICE, new Date('2026-07-20T03:00:00Z'), 'Asia/Seoul');
    expect(next).toEqual({ on: { year: 2026, month: 7, day: 27 }, years: 73, daysUntil: 7 });
  });

  it('GIVEN the anniversary day itself THEN it counts as today (daysUntil 0), not next year', () => {
    const next = nextAnniversary(ARMISTICE, new Date('2026-07-27T10:00:00Z'), 'Asia/Seoul');
    expect(next.on).toEqual({ year: 2026, month: 7, day: 27 });
    expect(next.daysUntil).toBe(0);
    expect(next.years).toBe(73);
  });

  it('GIVEN the day after THEN the next one is a year later and marks one more year', () => {
    const next = nextAnniversary(ARMISTICE, new Date('2026-07-28T01:00:00Z'), 'Asia/Seoul');
    expect(next.on).toEqual({ year: 2027, month: 7, day: 27 });
    expect(next.years).toBe(74);
    expect(next.daysUntil).toBe(364);
  });

  it('WHEN it is already July 27 in Seoul but still July 26 in UTC THEN Seoul sees today, UTC sees tomorrow', () => {
    const instant = new Date('2026-07-26T16:00:00Z'); // 01:00 on the 27th in Seoul
    expect(nextAnniversary(ARMISTICE, instant, 'Asia/Seoul').daysUntil).toBe(0);
    expect(nextAnniversary(ARMISTICE, instant, 'UTC').daysUntil).toBe(1);
    expect(localDay(instant, 'America/New_York')).toEqual({ year: 2026, month: 7, day: 26 });
  });

  it('GIVEN an event of February 29 THEN common years keep it on March 1 and leap years on February 29', () => {
    expect(anniversaryDayIn(LEAP_DAY, 2027)).toEqual({ year: 2027, month: 3, day: 1 });
    expect(anniversaryDayIn(LEAP_DAY, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
    const inCommonYear = nextAnniversary(LEAP_DAY, new Date('2027-02-20T00:00:00Z'), 'UTC');
    expect(inCommonYear).toEqual({ on: { year: 2027, month: 3, day: 1 }, years: 11, daysUntil: 9 });
    const inLeapYear = nextAnniversary(LEAP_DAY, new Date('2028-02-20T00:00:00Z'), 'UTC');
    expect(inLeapYear).toEqual({ on: { year: 2028, month: 2, day: 29 }, years: 12, daysUntil: 9 });
  });

  it('GIVEN March 1 of a common year THEN a February 29 event is kept today', () => {
    const next = nextAnniversary(LEAP_DAY, new Date('2026-03-01T12:00:00Z'), 'UTC');
    expect(next).toEqual({ on: { year: 2026, month: 3, day: 1 }, years: 10, daysUntil: 0 });
  });

  it('GIVEN an instant before the event itself THEN the first anniversary is one year after the event', () => {
    const next = nextAnniversary({ year: 2030, month: 5, day: 1 }, new Date('2026-01-01T00:00:00Z'), 'UTC');
    expect(next.on).toEqual({ year: 2031, month: 5, day: 1 });
    expect(next.years).toBe(1);
  });

  it('spells ordinals as English does', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 73, 101, 111, 112].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '73rd', '101st', '111th', '112th',
    ]);
  });
});
