import { describe, expect, it } from 'vitest';
import { findRelativeDates, resolveRelativeDate } from '../../src/knowledge/relative-dates.ts';

describe('resolveRelativeDate: an article\'s words against its publication date', () => {
  it('GIVEN a day-precise publication THEN a weekday resolves to a day', () => {
    expect(resolveRelativeDate('on Thursday', { year: 2020, month: 10, day: 9 })).toEqual({ year: 2020, month: 10, day: 8 });
    expect(resolveRelativeDate('Monday', { year: 2019, month: 9, day: 24 })).toEqual({ year: 2019, month: 9, day: 23 });
  });

  it('GIVEN a publication known to the month THEN a weekday gives only the month (never an invented day)', () => {
    expect(resolveRelativeDate('on Thursday', { year: 2018, month: 8 })).toEqual({ year: 2018, month: 8 });
  });

  it('keeps the precision of the phrase: "in June" is a month, "last year" a year', () => {
    expect(resolveRelativeDate('in June', { year: 2019, month: 9, day: 24 })).toEqual({ year: 2019, month: 6 });
    expect(resolveRelativeDate('last year', { year: 2020 })).toEqual({ year: 2019 });
    expect(resolveRelativeDate('late last year', { year: 2018, month: 8 })).toEqual({ year: 2017 });
    expect(resolveRelativeDate('two years ago', { year: 2020 })).toEqual({ year: 2018 });
  });

  it('resolves "next month" and "On March 12" against a month-precise date', () => {
    expect(resolveRelativeDate('next month', { year: 2018, month: 8 })).toEqual({ year: 2018, month: 9 });
    expect(resolveRelativeDate('On March 12', { year: 2018, month: 3 })).toEqual({ year: 2018, month: 3, day: 12 });
  });

  it('GIVEN a year-precise publication THEN "in June" is undecidable (June of that year or the next)', () => {
    expect(resolveRelativeDate('in June', { year: 2020 })).toBeUndefined();
    expect(resolveRelativeDate('banana', { year: 2020 })).toBeUndefined();
  });

  it('finds every date phrase of a sentence, skipping ranges', () => {
    const found = findRelativeDates('On Wednesday, Moon proposed a plan; the 1950-53 war ended next month.', { year: 2018, month: 8 });
    expect(found.map((f) => f.text.trim())).toContain('next month');
  });
});
