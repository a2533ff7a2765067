import { describe, expect, it } from 'vitest';
import { findRelativeDates, resolveRelativeDate, tenseOf } from '../../src/knowledge/relative-dates.ts';

describe('resolveRelativeDate: an article\'s words against its publication date', () => {
  it('GIVEN a day-precise publication THEN a weekday resolves to a day', () => {
    expect(resolveRelativeDate('on Thursday', { year: 2020, month: 10, day: 9 })).toEqual({ year: 2020, month: 10, day: 8 });
    expect(resolveRelativeDate('Monday', { year: 2019, month: 9, day: 24 })).toEqual({ year: 2019, month: 9, day: 23 });
  });

  it('GIVEN a publication known to the month THEN a weekday gives only that month (never an invented day)', () => {
    expect(resolveRelativeDate('on Thursday', { year: 2018, month: 8 })).toEqual({ year: 2018, month: 8 });
    expect(resolveRelativeDate('on Thursday', { year: 2018, month: 8 }, 'future')).toEqual({ year: 2018, month: 8 });
  });

  it('GIVEN a past-tense sentence THEN "on Saturday" is the last Saturday before the article, never the next', () => {
    // 20 September 2021 was a Monday.
    const monday = { year: 2021, month: 9, day: 20 };
    expect(findRelativeDates('Blinken met Chung on Tuesday.', monday).map((f) => f.date)).toEqual([{ year: 2021, month: 9, day: 14 }]);
    expect(findRelativeDates('He said on Saturday that talks would go on.', monday).map((f) => f.date)).toEqual([{ year: 2021, month: 9, day: 18 }]);
    expect(findRelativeDates('They said on Monday.', monday).map((f) => f.date)).toEqual([monday]);
  });

  it('GIVEN a future-tense sentence THEN a weekday is the next one', () => {
    const monday = { year: 2021, month: 9, day: 20 };
    expect(findRelativeDates('Chung will meet Blinken on Tuesday.', monday).map((f) => f.date)).toEqual([{ year: 2021, month: 9, day: 21 }]);
    expect(tenseOf('The ministers are set to meet on Friday.')).toBe('future');
    expect(tenseOf('The ministers met on Friday.')).toBe('past');
  });

  it('GIVEN "last month", "next week" THEN a month (or a year across months), never a day', () => {
    const monday = { year: 2021, month: 9, day: 20 };
    const found = (s: string) => findRelativeDates(s, monday).map((f) => f.date);
    expect(found('They met last month.')).toEqual([{ year: 2021, month: 8 }]);
    expect(found('They met last week.')).toEqual([{ year: 2021, month: 9 }]);
    // 27 September – 3 October: two months.
    expect(found('They will meet next week.')).toEqual([{ year: 2021 }]);
    expect(found('They will meet this week.')).toEqual([{ year: 2021, month: 9 }]);
  });

  it('GIVEN a month without a year THEN the one the tense points to ("met in March" in September is the March before)', () => {
    const september = { year: 2021, month: 9, day: 20 };
    expect(findRelativeDates('They met in March.', september).map((f) => f.date)).toEqual([{ year: 2021, month: 3 }]);
    expect(findRelativeDates('They will meet in March.', september).map((f) => f.date)).toEqual([{ year: 2022, month: 3 }]);
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

  it('GIVEN a year-precise publication THEN "in June" is that year\'s when told in the past, undecidable when to come (June of that year or the next)', () => {
    expect(resolveRelativeDate('in June', { year: 2020 })).toEqual({ year: 2020, month: 6 });
    expect(resolveRelativeDate('in June', { year: 2020 }, 'future')).toBeUndefined();
    expect(resolveRelativeDate('banana', { year: 2020 })).toBeUndefined();
  });

  it('GIVEN a year-precise publication THEN a day named without a year ("on July 27") is that year\'s', () => {
    const found = findRelativeDates('The campaigns kicked off on July 27, 67 years after the armistice.', { year: 2020 });
    expect(found[0]).toMatchObject({ text: 'July 27', date: { year: 2020, month: 7, day: 27 } });
  });

  it('finds every date phrase of a sentence, skipping ranges', () => {
    const found = findRelativeDates('On Wednesday, Moon proposed a plan; the 1950-53 war ended next month.', { year: 2018, month: 8 });
    expect(found.map((f) => f.text.trim())).toContain('next month');
  });
});
