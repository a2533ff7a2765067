import { beforeAll, describe, expect, it } from 'vitest';
import anniversaries from '../../commands/anniversaries.ts';
import { readConfig } from '../../src/config.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { KnowledgeBase, loadKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { KnowledgeEvent } from '../../src/knowledge/schema.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { Args, CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';
import type { Corpus } from '../../src/corpus/corpus.ts';

let kb: KnowledgeBase;
let corpus: Corpus;

beforeAll(async () => {
  corpus = createCorpus((await readCorpus('data')).articles);
  kb = await loadKnowledgeBase('data');
});

function ask(now: string, args: Args = {}, knowledge = kb, timeZone = 'Asia/Seoul'): Reply {
  const services = { corpus, knowledge, config: readConfig({ DEFAULT_TIMEZONE: timeZone }) } as unknown as Services;
  const ctx: CommandContext = { services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(), now: new Date(now) };
  return anniversaries.run!(ctx, args) as Reply;
}

describe('/anniversaries', () => {
  it('lists the six anniversaries by the next date each falls on, with the years it marks', () => {
    const reply = ask('2026-06-20T00:00:00Z');
    expect(reply.title).toBe('Coming anniversaries');
    expect(reply.items!.map((i) => i.title)).toEqual([
      '25 June 2026 — 76th anniversary: Outbreak of the Korean War (25 June 1950)',
      '30 June 2026 — 7th anniversary: Trump–Kim meeting at the DMZ (30 June 2019)',
      '27 July 2026 — 73rd anniversary: Signing of the Korean Armistice Agreement (27 July 1953)',
      '19 September 2026 — 8th anniversary: Pyongyang Joint Declaration (19 September 2018)',
      '27 April 2027 — 9th anniversary: Panmunjom Declaration (27 April 2018)',
      '12 June 2027 — 9th anniversary: Singapore summit (12 June 2018)',
    ]);
    expect(reply.items![0]!.meta).toMatch(/^in 5 days · North Korea/);
    expect(reply.footer).toContain('Asia/Seoul');
  });

  it('cites the articles of every anniversary listed', () => {
    const reply = ask('2026-06-20T00:00:00Z');
    for (const item of reply.items!) expect(item.sourceIds!.length).toBeGreaterThan(0);
    const cited = new Set(reply.items!.flatMap((i) => i.sourceIds!));
    expect(new Set(reply.sources!.map((s) => s.articleId))).toEqual(cited);
  });

  it('GIVEN within:7 THEN only the anniversaries of the next seven days', () => {
    const reply = ask('2026-06-20T00:00:00Z', { within: 7 });
    expect(reply.title).toBe('Anniversaries in the next 7 days');
    expect(reply.items!.map((i) => i.title)).toEqual(['25 June 2026 — 76th anniversary: Outbreak of the Korean War (25 June 1950)']);
  });

  it('GIVEN it is already July 27 in Seoul (still July 26 in UTC) THEN Armistice Day is today', () => {
    const reply = ask('2026-07-26T16:00:00Z', { within: 1 });
    expect(reply.items![0]!.title).toBe('27 July 2026 — 73rd anniversary: Signing of the Korean Armistice Agreement (27 July 1953)');
    expect(reply.items![0]!.meta).toMatch(/^today · /);
    expect(ask('2026-07-26T16:00:00Z', { within: 1 }, kb, 'UTC').items![0]!.meta).toMatch(/^tomorrow · /);
  });

  it('GIVEN nothing within the window THEN it says so and names the next one', () => {
    const reply = ask('2026-10-01T00:00:00Z', { within: 30 });
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('No anniversaries in the next 30 days');
    expect(reply.text).toEqual(['The next is the 9th anniversary (Panmunjom Declaration) on 27 April 2027, in 208 days.']);
  });

  it('GIVEN an event of February 29 THEN it falls on March 1 in common years and counts the years', () => {
    const leap: KnowledgeEvent = {
      id: 'leap-day-test', name: 'Leap-day test event', date: { year: 2020, month: 2, day: 29 }, derivation: 'established',
      summary: 'A test event on a leap day.', entities: [], anniversary: true, sources: [{ article: '000_546d1457a8590048', quote: 'x' }], status: 'curated',
    };
    const withLeap = new KnowledgeBase(kb.entities(), [...kb.events(), leap]);
    const common = ask('2027-02-20T00:00:00Z', { within: 30 }, withLeap);
    expect(common.items!.map((i) => i.title)).toEqual(['1 March 2027 — 7th anniversary: Leap-day test event (29 February 2020)']);
    const leapYear = ask('2028-02-20T00:00:00Z', { within: 30 }, withLeap);
    expect(leapYear.items!.map((i) => i.title)).toEqual(['29 February 2028 — 8th anniversary: Leap-day test event (29 February 2020)']);
  });
});
