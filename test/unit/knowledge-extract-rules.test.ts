import { beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/corpus.ts';
import { outletOf } from '../../src/feeds/feed-articles.ts';
import { extractFromArticle } from '../../src/knowledge/extract.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { isFullPersonName, koreanSurname } from '../../src/knowledge/person-names.ts';
import { roleAfter, roleBefore } from '../../src/knowledge/roles.ts';
import { splitSentences } from '../../src/knowledge/sentences.ts';

// One rule per test: how the extractor reads names, roles, dates and merges.

let kb: KnowledgeBase;
beforeEach(async () => {
  kb = await loadKnowledgeBase('data');
});

let n = 0;
function article(paragraphs: string[], published: Article['published'] = { year: 2021, month: 9, day: 20 }): Article {
  n++;
  return { id: `feed-rules-${n}`, title: `Rules ${n}`, published, dateDerivation: 'stated', origin: 'feed', feedId: 'rules', paragraphs };
}
const extract = (a: Article) => extractFromArticle(a, (name) => kb.lookup(name));
const names = (a: Article) => extract(a).entities.map((e) => e.name);

describe('sentences', () => {
  it('are not split at abbreviations, initials or times', () => {
    expect(splitSentences('Earlier on Tuesday, U.S. Secretary of State Antony Blinken met Mr. Chung at 3 p.m. Seoul time. He left.')).toEqual([
      'Earlier on Tuesday, U.S. Secretary of State Antony Blinken met Mr. Chung at 3 p.m. Seoul time.',
      'He left.',
    ]);
    expect(splitSentences('It was signed on Dec. 3 by Patrick J. Smith and Gen. Robert B. Abrams. Then it ended.')).toHaveLength(2);
  });

  it('end after "U.S." when a new sentence clearly starts', () => {
    expect(splitSentences('Sanctions were imposed by the U.S. The ministry objected.')).toEqual(['Sanctions were imposed by the U.S.', 'The ministry objected.']);
  });
});

describe('people and their roles', () => {
  it('never takes a city for a person ("a speech … in New York")', () => {
    const found = names(article(['Moon renewed his call in a speech to the U.N. General Assembly in New York on Tuesday, and again in London.']));
    expect(found).not.toContain('New York');
    expect(isFullPersonName('New York')).toBe(false);
  });

  it('ends a role at another person\'s name and "and" ("between President Moon Jae-in and U.S. President Joe Biden")', () => {
    const sentence = 'It was the first summit between President Moon Jae-in and U.S. President Joe Biden.';
    expect(roleBefore(sentence, sentence.indexOf('Joe Biden'), isFullPersonName)).toBe('US president');
    // A title that itself holds an "and" keeps it.
    const trade = 'He met Minister of Trade and Industry Ahn Duk-geun.';
    expect(roleBefore(trade, trade.indexOf('Ahn'), isFullPersonName)).toMatch(/^minister of trade and industry$/i);
    const biden = extract(article([sentence])).entities.find((e) => e.name === 'Joe Biden');
    expect(biden?.roles.map((r) => r.title)).toEqual(['US president']);
  });

  it('reads a title before the name and an appositive after it, in one form', () => {
    const s1 = 'Foreign Minister Chung Eui-yong met U.S. Secretary of State Antony Blinken.';
    expect(roleBefore(s1, s1.indexOf('Chung'))).toBe('Foreign minister');
    expect(roleBefore(s1, s1.indexOf('Antony'))).toBe('US secretary of state');
    const s2 = 'Chung Eui-yong, South Korea’s foreign minister, said so.';
    expect(roleAfter(s2, s2.indexOf(',') )).toBe('South Korean foreign minister');
    const s3 = 'as stated by South Korean Ambassador to the US Lee Soo-hyuck.';
    expect(roleBefore(s3, s3.indexOf('Lee'))).toBe('South Korean ambassador to the US');
    const s5 = 'Minister of Foreign Affairs of South Korea, Chung Eui-yong said on Wednesday that talks went on.';
    expect(roleBefore(s5, s5.indexOf('Chung'))).toBe('Minister of foreign affairs of South Korea');
    const s4 = 'Kim Yo Jong, the powerful sister of North Korean leader Kim Jong Un, spoke.';
    expect(roleBefore(s4, s4.indexOf('Kim Jong Un'))).toBe('North Korean leader');
  });

  it('writes Korean names surname first', () => {
    expect(koreanSurname('Yoon Suk Yeol')).toBe('Yoon');
    expect(koreanSurname('Kim Yo Jong')).toBe('Kim');
    expect(koreanSurname('Chung Eui-yong')).toBe('Chung');
    expect(koreanSurname('Sung Kim')).toBeUndefined();
    expect(koreanSurname('Antony Blinken')).toBeUndefined();
    const yoon = extract(article(['South Korean President Yoon Suk Yeol spoke on Monday.'])).entities[0]!;
    expect(yoon).toMatchObject({ name: 'Yoon Suk Yeol', surname: 'Yoon', roles: [{ title: 'South Korean president', from: { year: 2021, month: 9, day: 20 } }] });
  });

  it('makes later mentions ("Chung", "the minister") part of the entry, never a new one', () => {
    const a = article(['Foreign Minister Chung Eui-yong met reporters on Monday.', 'Chung said talks went well.', 'The minister met Wang Yi last month.']);
    const x = extract(a);
    expect(x.entities.map((e) => e.name)).toEqual(['Chung Eui-yong', 'Wang Yi']);
    const chung = x.entities[0]!.id;
    expect(x.events.map((e) => e.entities.includes(chung))).toEqual([true, true]);
  });

  it('makes no entry of garbage: split titles, initials, sentence openers, venues, bare names', () => {
    expect(isFullPersonName('State Antony')).toBe(false);
    expect(isFullPersonName('Patrick J.')).toBe(false);
    expect(isFullPersonName('Although Trump')).toBe(false);
    expect(isFullPersonName('Marriott Hotel')).toBe(false);
    expect(isFullPersonName('Patrick J. Smith')).toBe(true);
    const a = article(['Although Trump met Antony at the Marriott Hotel, U.S. Secretary of State Antony Blinken stayed in Seoul.', 'Blinken left.']);
    expect(names(a)).toEqual(['Antony Blinken']);
    // A feed item with only its headline: Title Case names are linked, never new entries.
    expect(names(article(['Blinken Meets Chung Eui-yong As Allies Weigh Peace Declaration']))).toEqual([]);
  });

  it('links spelling variants and known people to the existing entry', () => {
    const x = extract(article(['Kim Yo-jong, the sister of North Korean leader Kim Jong-un, spoke on Friday with President Moon Jae-in.']));
    expect(x.linked).toEqual(expect.arrayContaining(['kim-yo-jong', 'kim-jong-un', 'moon-jae-in']));
    expect(x.events[0]!.entities).toEqual(expect.arrayContaining(['kim-yo-jong', 'kim-jong-un', 'moon-jae-in']));
  });

  it('keeps ids stable: the same article gives the same ids, derived from the article and the name or sentence', () => {
    const a = article(['Foreign Minister Chung Eui-yong met reporters on Monday.']);
    const first = extract(a);
    const second = extract({ ...a, paragraphs: [...a.paragraphs, 'An unrelated sentence on Tuesday.'] });
    expect(first.entities[0]!.id).toBe(`x-feedrules${n}-person-chungeuiyong`);
    expect(second.entities[0]!.id).toBe(first.entities[0]!.id);
    expect(second.events[0]!.id).toBe(first.events[0]!.id);
  });
});

describe('organisations', () => {
  it('are named whole, without their owner, the occasion they host or a weekday run onto them', () => {
    const a = article([
      'Envoys of the Organization for Economic Cooperation and Development met officials of Seoul’s Unification Ministry on Monday.',
      'The Women’s Alliance for Example Peace spoke at the Annual Gala Dinner of the Example Peace Society on Monday.',
      'Delegates of the Example Defence Forum on Tuesday met the Example Reunification Council.',
    ]);
    expect(names(a)).toEqual([
      'Organization for Economic Cooperation and Development',
      'Unification Ministry',
      'Women’s Alliance for Example Peace',
      'Example Peace Society',
      'Example Defence Forum',
      'Example Reunification Council',
    ]);
  });
});

describe('dates of events', () => {
  it('counts "two days after X" from X when the article dates X, and gives no day otherwise', () => {
    const dated = extract(article(['President Moon Jae-in gave a speech at the UN on Tuesday.', 'Two days after the speech, Kim Yo Jong answered.'], { year: 2021, month: 9, day: 25 }));
    expect(dated.events.map((e) => e.date)).toEqual([{ year: 2021, month: 9, day: 21 }, { year: 2021, month: 9, day: 23 }]);
    const undated = extract(article(['Two days after the speech, Kim Yo Jong answered.'], { year: 2021, month: 9, day: 25 }));
    expect(undated.events).toEqual([]);
  });

  it('reads "due to end in May" as the May to come', () => {
    const x = extract(article(['President Moon Jae-in spoke, with his term due to end in May.'], { year: 2021, month: 9, day: 22 }));
    expect(x.events.map((e) => e.date)).toEqual([{ year: 2022, month: 5 }]);
  });

  it('reads clock times and durations as no date', () => {
    expect(extract(article(['Trump left at 2pm local time.', 'Kim Yo Jong reached out for a second time.'])).events).toEqual([]);
  });
});

describe('merging what several articles say', () => {
  it('GIVEN one event reported by two articles THEN it is one event with two sources', async () => {
    const a = article(['President Moon Jae-in renewed his call for an end-of-war declaration at the UN General Assembly on Tuesday.'], { year: 2021, month: 9, day: 22 });
    const b = article(['Moon Jae-in on Tuesday renewed the call for an end-of-war declaration in his UN General Assembly speech.'], { year: 2021, month: 9, day: 23 });
    const before = kb.events().length;
    await kb.ingest(a);
    await kb.ingest(b);
    const added = kb.events().filter((e) => e.status === 'extracted');
    expect(kb.events().length).toBe(before + 1);
    expect(added).toHaveLength(1);
    expect(added[0]!.sources.map((s) => s.article)).toEqual([a.id, b.id]);
  });

  it('GIVEN the same background told without names by two articles THEN it is one event with two sources', async () => {
    const before = kb.events().length;
    const a = article(['The first inter-Korean summit was held in 2000.']);
    const b = article(['The first inter-Korean summit took place in 2000, decades after the war.']);
    await kb.ingest(a);
    await kb.ingest(b);
    expect(kb.events().length).toBe(before + 1);
    const summit = kb.events().find((e) => e.status === 'extracted')!;
    expect(summit).toMatchObject({ date: { year: 2000 }, entities: [] });
    expect(summit.sources.map((s) => s.article)).toEqual([a.id, b.id]);
  });

  it('GIVEN a year-only event THEN later events of that year about the same person are still kept', async () => {
    await kb.ingest(article(['Yoon Suk Yeol took office as president in 2022.'], { year: 2022, month: 12, day: 1 }));
    await kb.ingest(article(['Yoon Suk Yeol met Joe Biden in Seoul on Saturday to discuss chip supply chains.'], { year: 2022, month: 5, day: 23 }));
    const yoon = kb.lookup('Yoon').kind === 'found' ? kb.timeline({ about: 'Yoon Suk Yeol' }).events : [];
    expect(yoon.map((e) => e.date)).toEqual([{ year: 2022 }, { year: 2022, month: 5, day: 21 }]);
  });

  it('GIVEN a known extracted person in a newer article THEN the newer role is added, dated, and shown first', async () => {
    await kb.ingest(article(['Gyeonggi Governor Lee Jae-myung spoke on Monday.'], { year: 2021, month: 9, day: 20 }));
    await kb.ingest(article(['President Lee Jae-myung spoke on Monday.'], { year: 2025, month: 6, day: 10 }));
    const lee = kb.lookup('Lee Jae-myung');
    expect(lee.kind).toBe('found');
    if (lee.kind !== 'found') return;
    expect(lee.entity.roles).toEqual([
      { title: 'President', from: { year: 2025, month: 6, day: 10 }, to: { year: 2025, month: 6, day: 10 } },
      { title: 'Gyeonggi governor', from: { year: 2021, month: 9, day: 20 }, to: { year: 2021, month: 9, day: 20 } },
    ]);
    expect(lee.entity.sources).toHaveLength(2);
  });
});

describe('feed articles', () => {
  it('take the outlet from the item only where it names one', () => {
    expect(outletOf({ author: 'Reuters' })).toBe('Reuters');
    expect(outletOf({ author: 'Yonhap News Agency' })).toBe('Yonhap News Agency');
    expect(outletOf({ author: 'Jane Smith' })).toBeUndefined();
    expect(outletOf({ author: 'news@example.org (Jane Smith)' })).toBeUndefined();
    expect(outletOf({})).toBeUndefined();
  });
});
