import { describe, expect, it } from 'vitest';
import { createRelevanceTest, koreaEvidenceNames } from '../../src/feeds/relevance.ts';
import { readKnowledge } from '../../src/knowledge/load.ts';

// Relevance needs real evidence (issue 17): the topic's own terms, Korea
// named as a state, or a name the knowledge base ties to Korea — never a
// loose match on some entity's name. The figures on real items come from
// bench/relevance-quality.ts.

const { entities } = await readKnowledge('data');
const names = koreaEvidenceNames(entities);
const relevant = createRelevanceTest({ entityNames: names });
const item = (title: string, text = '') => ({ title, paragraphs: text ? [text] : [] });

describe('GIVEN the curated knowledge base', () => {
  it('takes the names of people and organisations tied to Korea, in full', () => {
    expect(names).toEqual(expect.arrayContaining(['Moon Jae-in', 'Kim Jong-un', 'Kwon Jong Gun', 'Stephen Biegun', 'KCNA', 'Korean Central News Agency', '청와대', 'USFK']));
  });

  it('leaves out names Korea has no claim on, bare surnames, generic aliases and short acronyms', () => {
    for (const loose of ['Donald Trump', 'Congress', 'House', 'UN', 'United Nations', 'US', 'America', 'China', 'Japan', 'Washington', 'AP', 'Democrats', 'Stanford', 'Bloomberg', 'Singapore', 'Hanoi', 'Kim', 'Moon', 'Kwon', 'Demilitarized Zone', 'DMZ', 'KPA', 'UNC', '국군', 'Jessica Lee']) {
      expect(names).not.toContain(loose);
    }
  });
});

describe('GIVEN items as real feeds write them', () => {
  it.each([
    ['North Korea fires ballistic missile into the Sea of Japan', ''],
    ['Two Koreas to hold talks at Panmunjom on Sunday', ''],
    ['South Korean President faces impeachment after martial law reversal', ''],
    ['National Korean War Veterans Armistice Day', ''],
    ['Statement', 'North Korean diplomat Kwon Jong Gun said Pyongyang has no intention to sit face to face with the U.S.'],
    ['KCNA says the drills are a dangerous provocation', ''],
    ['합참 "북한 평북 방현서 탄도미사일 발사"', ''],
  ] as Array<[string, string]>)('keeps %j', (title, text) => expect(relevant(item(title, text))).toBe(true));

  it.each([
    ['Trump State of the Union address promised unity but emphasized discord', 'Donald Trump told Congress the United States and China…'],
    ['Kim Kardashian and Kanye West, please just get divorced already', ''],
    ['Son bursting with pride as South Korea defies the odds', 'South Korea beat Portugal 2-1 to reach the last 16 of the World Cup.'],
    ['Samsung Elec Q2 operating profit rises 54% on strong chip prices', 'SEOUL (Reuters) - Samsung Electronics reported a 54% rise in second-quarter profit.'],
    ['Seoul stocks up on tech, auto gains', ''],
    ['Remembrance Day: how the end of the First World War will be honoured', 'This Sunday marks 100 years since the Armistice was signed in November 1918.'],
    ['Ukraine proposes a demilitarized zone', 'Kyiv wants a ceasefire along the front line and a 30-kilometre demilitarized zone.'],
    ['Israelis, Palestinians attempt to salvage peace effort', 'Negotiators meet in Jordan to restart the stalled peace process.'],
    ['Moon landing anniversary', 'Blue skies over the Washington House as Moon rises.'],
  ] as Array<[string, string]>)('drops %j', (title, text) => expect(relevant(item(title, text))).toBe(false));

  it('reads the title and the opening only: a passing mention deep in the text is no evidence', () => {
    const long = 'Iran talks resumed in Vienna. '.repeat(30);
    expect(relevant(item('Iran nuclear talks resume', `${long} Some compare it with North Korea.`))).toBe(false);
    expect(relevant(item('Iran nuclear talks resume', `Diplomats cite North Korea as the warning. ${long}`))).toBe(true);
  });
});
