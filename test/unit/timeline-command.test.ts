import { beforeAll, describe, expect, it } from 'vitest';
import timeline from '../../commands/timeline.ts';
import { readConfig } from '../../src/config.ts';
import { comparePartialDates, describePartialDate, parsePartialDate, type PartialDate } from '../../src/core/dates.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { Args, CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';

let kb: KnowledgeBase;
let articles: Article[];
let services: Services;

beforeAll(async () => {
  articles = (await readCorpus('data')).articles;
  kb = await loadKnowledgeBase('data');
  services = { corpus: createCorpus(articles), knowledge: kb, config: readConfig({}) } as unknown as Services;
});

const date = (text: string) => parsePartialDate(text)!;
function ask(args: Args, positional: string[] = []): Reply {
  const ctx: CommandContext = { services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(positional), now: new Date('2026-06-20T00:00:00Z') };
  return timeline.run!(ctx, args) as Reply;
}
/** Every page of an answer, following its paging. */
function allItems(args: Args, positional: string[] = []) {
  const first = ask(args, positional);
  const pages = first.paging?.pages ?? 1;
  return [first, ...Array.from({ length: pages - 1 }, (_, i) => ask({ ...args, page: i + 2 }, positional))].flatMap((r) => r.items ?? []);
}
const titleOf = (id: string) => {
  const event = kb.event(id)!;
  return `${describePartialDate(event.date)} — ${event.summary}`;
};

describe('/timeline with no filter', () => {
  it('lists every curated event once, chronologically, eight to a page', () => {
    const first = ask({});
    expect(first.title).toBe('Timeline from the 1950 outbreak to the latest article');
    expect(first.items).toHaveLength(8);
    expect(first.paging).toEqual({ page: 1, pages: Math.ceil(kb.events().length / 8), commandLine: '/timeline' });
    const titles = allItems({}).map((i) => i.title);
    expect(titles).toEqual(kb.events().map((e) => titleOf(e.id)));
    expect(new Set(titles).size).toBe(kb.events().length);
    const dates = kb.events().map((e) => e.date);
    for (let i = 1; i < dates.length; i++) expect(comparePartialDates(dates[i - 1]!, dates[i]!)).toBeLessThanOrEqual(0);
    expect(titles[0]).toBe('25 June 1950 — North Korean forces invade South Korea and the Korean War begins.');
  });

  it('cites, for each page, exactly the articles its events rest on, and names each event’s entities', () => {
    const page = ask({ page: 2 });
    const cited = new Set(page.items!.flatMap((i) => i.sourceIds ?? []));
    expect(new Set(page.sources!.map((s) => s.articleId))).toEqual(cited);
    for (const source of page.sources!) expect(source.title).toBe(articles.find((a) => a.id === source.articleId)!.title);
    const singapore = allItems({}).find((i) => i.title === titleOf('singapore-summit'))!;
    expect(singapore.meta).toBe('Donald Trump, Kim Jong-un, Singapore');
  });

  it('shows dates only as precisely as they are known', () => {
    const titles = allItems({}).map((i) => i.title);
    expect(titles).toContain('August 2018 — ' + kb.event('pompeo-progress-remarks')!.summary);
    expect(titles).toContain('2019 — ' + kb.event('khanna-resolution')!.summary);
    expect(titles).toContain('27 July 1953 — ' + kb.event('armistice-signed')!.summary);
  });

  it('shows corrections beside the record: the established fact and what the source said', () => {
    const hanoi = allItems({}).find((i) => i.title === titleOf('hanoi-summit'))!;
    expect(hanoi.text).toBe('Recorded date: 2019-02-27. Article 003 says the Hanoi summit was "in March 2019"; it was held on 27–28 February 2019.');
    const bolton = allItems({}).find((i) => i.title === titleOf('bolton-fired'))!;
    expect(bolton.text).toContain('"earlier this year"');
  });
});

describe('/timeline periods', () => {
  it('GIVEN every event WHEN asked for its own period THEN it is listed', () => {
    for (const event of kb.events()) {
      const period: PartialDate = event.date;
      const titles = allItems({ from: period, to: period }).map((i) => i.title);
      expect(titles, event.id).toContain(titleOf(event.id));
    }
  });

  it('GIVEN a lone date in free text (/timeline 2018) THEN it lists the events of that year only', () => {
    const reply = ask({ from: date('2018') }, ['from']);
    expect(reply.title).toBe('Timeline of 2018');
    const titles = allItems({ from: date('2018') }, ['from']).map((i) => i.title);
    expect(titles).toContain(titleOf('singapore-summit'));
    expect(titles).toContain(titleOf('pyongyang-joint-declaration'));
    expect(titles).not.toContain(titleOf('hanoi-summit'));
    expect(titles).not.toContain(titleOf('trump-kim-insults'));
    expect(reply.paging?.commandLine).toBe('/timeline from:2018 to:2018');
  });

  it('GIVEN from:2018 by name THEN it lists from 2018 onward', () => {
    const titles = allItems({ from: date('2018') }).map((i) => i.title);
    expect(titles[0]).toBe(titleOf('trump-accepts-meeting'));
    expect(titles).toContain(titleOf('moon-korea-society-speech'));
    expect(titles).not.toContain(titleOf('un-sanctions-exports'));
  });

  it('GIVEN to:1953 THEN only the outbreak and the armistice', () => {
    expect(allItems({ to: date('1953') }).map((i) => i.title)).toEqual([titleOf('korean-war-outbreak'), titleOf('armistice-signed')]);
  });

  it('GIVEN a month THEN the events of that month, including the month-precise ones', () => {
    const titles = allItems({ from: date('2020-06') }, ['from']).map((i) => i.title);
    expect(titles).toEqual([titleOf('kims-criticise-moon'), titleOf('kim-suspends-military-plans'), titleOf('cni-70th-anniversary-event'), titleOf('liaison-office-demolished')]);
  });

  it('GIVEN from after to THEN INVALID_RANGE with examples, only to the asker', () => {
    const reply = ask({ from: date('2020'), to: date('2018-06') });
    expect(reply.errorCode).toBe('INVALID_RANGE');
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('The period starts (2020) after it ends (2018-06).');
    expect(reply.text?.join(' ')).toContain('/timeline from:2018 to:2019');
  });

  it('GIVEN a period with no events THEN it says so and suggests what to try', () => {
    const reply = ask({ from: date('1960'), to: date('1970') });
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('No events from 1960 to 1970');
    expect(reply.items).toBeUndefined();
  });
});

describe('/timeline about', () => {
  it('filters by a keyword in the summaries', () => {
    const titles = allItems({ about: 'summit' }).map((i) => i.title);
    expect(titles).toEqual(expect.arrayContaining([titleOf('singapore-summit'), titleOf('hanoi-summit'), titleOf('pyongyang-joint-declaration')]));
    expect(titles).not.toContain(titleOf('bolton-fired'));
    expect(allItems({ about: 'peace treaty' }).map((i) => i.title)).toContain(titleOf('korea-peace-appeal-launch'));
  });

  it('filters by an entity given by name, alias, misspelling or Korean script', () => {
    expect(allItems({ about: 'Bolton' }).map((i) => i.title)).toEqual([titleOf('hanoi-summit'), titleOf('bolton-fired')]);
    expect(allItems({ about: 'Beigun' }).map((i) => i.title)).toEqual([titleOf('biegun-seoul-visit')]);
    expect(allItems({ about: '평양' }).map((i) => i.title)).toContain(titleOf('pyongyang-joint-declaration'));
    expect(allItems({ about: 'Women Cross DMZ' }).map((i) => i.title)).toEqual([titleOf('bipartisan-round-table')]);
    expect(ask({ about: 'Beigun' }).title).toBe('Timeline about “Beigun” (Stephen Biegun)');
  });

  it('GIVEN an ambiguous name THEN the events of every candidate', () => {
    const reply = ask({ about: 'Kim' });
    expect(reply.title).toBe('Timeline about “Kim” (Kim Jong-un, Kim Yo Jong)');
    expect(allItems({ about: 'Kim' }).map((i) => i.title)).toContain(titleOf('kims-criticise-moon'));
  });

  it('combines a period and a subject, and keeps both in the paging command line', () => {
    const titles = allItems({ from: date('2019'), about: 'Trump' }, ['from']).map((i) => i.title);
    expect(titles).toContain(titleOf('dmz-meeting'));
    expect(titles).not.toContain(titleOf('singapore-summit'));
    expect(ask({ from: date('2018'), about: 'Moon Jae-in' }).paging?.commandLine).toBe('/timeline from:2018 about:"Moon Jae-in"');
  });

  it('GIVEN a subject nothing matches THEN a friendly empty answer, not an error', () => {
    const reply = ask({ about: 'banana' });
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('No events about “banana”');
  });
});

describe('/timeline paging', () => {
  it('GIVEN a page past the end THEN PAGE_OUT_OF_RANGE naming the last page', () => {
    const pages = ask({}).paging!.pages;
    const reply = ask({ page: pages + 1 });
    expect(reply.errorCode).toBe('PAGE_OUT_OF_RANGE');
    expect(reply.text).toEqual([`Try /timeline page:${pages}`]);
    expect(ask({ about: 'Bolton', page: 2 }).errorCode).toBe('PAGE_OUT_OF_RANGE');
  });

  it('gives the last page the remaining events and no paging when one page is enough', () => {
    const pages = ask({}).paging!.pages;
    expect(ask({ page: pages }).items).toHaveLength(kb.events().length - 8 * (pages - 1));
    expect(ask({ about: 'Bolton' }).paging).toBeUndefined();
  });
});

describe('/timeline autocomplete', () => {
  it('completes names for about', async () => {
    const ctx: CommandContext = { services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(), now: new Date() };
    expect(await timeline.autocomplete!(ctx, 'about', 'bolt')).toEqual(['John Bolton']);
  });
});
