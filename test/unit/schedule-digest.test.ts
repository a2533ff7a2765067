import { describe, expect, it } from 'vitest';
import type { LoggedArticle } from '../../src/schedule/article-log.ts';
import { digestMessages, MAX_CHARS_PER_MESSAGE, MAX_ITEMS_PER_MESSAGE } from '../../src/schedule/digest.ts';
import { aboutFilter, groupIntoStories } from '../../src/schedule/stories.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';

let n = 0;
function article(title: string, outlet: string, extra: Partial<LoggedArticle> = {}): LoggedArticle {
  n += 1;
  return { id: `feed:${n}`, title, outlet, url: `https://news.example/${n}`, ingestedAt: `2026-07-26T10:${String(n % 60).padStart(2, '0')}:00.000Z`, lead: '', ...extra };
}

describe('digest stories', () => {
  it('GIVEN several feeds reporting the same event THEN they make one story, named by the oldest report', () => {
    const articles = [
      article('North and South Korea agree to reopen liaison office', 'Yonhap'),
      article('US envoy arrives in Seoul for talks', 'Reuters'),
      article('North, South Korea agree to reopen liaison office', 'The Associated Press'),
    ];
    const stories = groupIntoStories(articles);
    expect(stories.map((s) => s.articles.map((a) => a.outlet))).toEqual([['Yonhap', 'The Associated Press'], ['Reuters']]);

    const [message] = digestMessages(stories, { title: 'News digest — 27 July 2026' });
    expect(message!.items).toEqual([
      {
        title: 'North and South Korea agree to reopen liaison office',
        meta: 'Yonhap · 2026-07-26 · also reported by The Associated Press',
        url: articles[0]!.url,
        sourceIds: [articles[0]!.id, articles[2]!.id],
      },
      { title: 'US envoy arrives in Seoul for talks', meta: 'Reuters · 2026-07-26', url: articles[1]!.url, sourceIds: [articles[1]!.id] },
    ]);
    expect(message!.sources!.map((s) => s.outlet)).toEqual(['Yonhap', 'The Associated Press', 'Reuters']);
    expect(message!.footer).toMatch(/^2 stories from 3 new articles/);
  });

  it('shows the publication date when the feed gave one', () => {
    const [message] = digestMessages(groupIntoStories([article('Talks resume', 'KBS', { published: { year: 2026, month: 7, day: 25 } })]), { title: 'x' });
    expect(message!.items![0]!.meta).toBe('KBS · 2026-07-25');
  });

  it('GIVEN nothing new THEN there is no message at all', () => {
    expect(digestMessages([], { title: 'News digest' })).toEqual([]);
  });

  it('GIVEN many stories THEN the digest is split into numbered messages of at most 10 items and 3,500 characters', () => {
    const many = Array.from({ length: 23 }, (_, i) => article(`Story ${i} alpha${i} beta${i} gamma${i}`, 'Yonhap'));
    const messages = digestMessages(groupIntoStories(many), { title: 'News digest — 27 July 2026' });
    expect(messages.map((m) => m.title)).toEqual(['News digest — 27 July 2026 (1/3)', 'News digest — 27 July 2026 (2/3)', 'News digest — 27 July 2026 (3/3)']);
    expect(messages.map((m) => m.items!.length)).toEqual([10, 10, 3]);
    // Oldest first, across the messages.
    expect(messages.flatMap((m) => m.items!.map((i) => i.title))).toEqual(many.map((a) => a.title));

    // Stories carried by many outlets cite them all: the limit still holds.
    const widelyReported = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 8 }, (_, k) => article(`Border talks round${i} envoy${i} agenda${i}`, `Outlet ${k} with a rather long name`)),
    ).flat();
    const wide = digestMessages(groupIntoStories(widelyReported), { title: 'News digest' });
    expect(wide.flatMap((m) => m.items!)).toHaveLength(12);
    for (const message of wide) expect(renderPlainText(message).length).toBeLessThanOrEqual(MAX_CHARS_PER_MESSAGE);

    const long = Array.from({ length: 12 }, (_, i) => article(`${'Very long headline '.repeat(12)}${i} unique${i}`, 'Yonhap'));
    for (const message of digestMessages(groupIntoStories(long), { title: 'News digest' })) {
      expect(message.items!.length).toBeLessThanOrEqual(MAX_ITEMS_PER_MESSAGE);
      expect(renderPlainText(message).length).toBeLessThanOrEqual(MAX_CHARS_PER_MESSAGE);
    }
  });
});

describe('the about filter', () => {
  const summit = article('Kim and Trump hold summit in Hanoi', 'AP');
  const treaty = article('Lawmakers urge a peace treaty', 'AP', { lead: 'A resolution calls for a formal end to the war.' });
  const other = article('Typhoon hits the coast', 'AP');

  it('keeps articles with all the words of one of the comma-separated alternatives', () => {
    const keep = aboutFilter('summit, peace treaty');
    expect([summit, treaty, other].filter(keep)).toEqual([summit, treaty]);
    expect([summit, treaty, other].filter(aboutFilter('formal end'))).toEqual([treaty]);
  });

  it('matches word beginnings, case-insensitively, and keeps everything without a filter', () => {
    expect([summit, treaty, other].filter(aboutFilter('SUMMIT'))).toEqual([summit]);
    expect([summit, treaty, other].filter(aboutFilter('lawmaker'))).toEqual([treaty]);
    expect([summit, treaty, other].filter(aboutFilter(undefined))).toHaveLength(3);
  });
});
