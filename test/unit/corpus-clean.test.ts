import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanArticleText } from '../../src/corpus/clean.ts';
import { boilerplateRuleFor } from '../../src/corpus/boilerplate.ts';

const raw = (id: string) => readFileSync(new URL(`../../data/corpus/${id}.txt`, import.meta.url), 'utf8');

/**
 * For each seed: the lines that must go (line number and why), the headline,
 * and sentences of the body picked by hand, including the ones next to
 * boilerplate, which a careless rule would take with it.
 */
const SEEDS = [
  {
    id: '000_546d1457a8590048',
    title: 'South Korea’s Moon Asks for US Support to Formally End Korean War',
    removed: [
      [1, 'tracking-tag'],
      [7, 'dateline'],
      [8, 'duplicate-line'],
      [9, 'photo-caption'],
      [10, 'photo-credit'],
    ],
    sentences: [
      'Mr. Moon said that such an action would “not only deter war but also actively create and institutionalize peace,” ultimately strengthening the US-ROK alliance even further.',
      'South Korean President Moon Jae-in on Thursday reiterated his wish to formally declare an end to the Korean War and called on the United States (US) to support the move.',
      'Though the Korean War ended in 1953, North and South Korea (ROK) still technically remain at war, given that the conflict ended in an armistice, rather than a peace treaty.',
      'Though North Korean leader Kim Jong-un offered a rare apology to South Korea over the incident, the country has resisted Seoul’s efforts to establish a joint inquiry into the matter.',
      '“I take it as America’s call on Korea to assume responsibility and a role commensurate with its international stature based on deep mutual trust between our two countries,” Moon said, adding that South Korea would actively participate in global efforts to address the coronavirus pandemic.',
    ],
  },
  {
    id: '001_a52e17232520a38c',
    title: 'Pyongyang Wants U.S. to Declare End of Korean War',
    removed: [
      [19, 'comment-prompt'],
      [21, 'comment-prompt'],
      [23, 'comment-form-notice'],
    ],
    sentences: [
      'North Korea pressed its demand on Friday that Washington agree to declare an end to the 1950-53 Korean War, amid announcements that State Secretary Mike Pompeo, was preparing for his fourth visit to the North, The New York Times reported.',
      'South Korean officials have also said that Moon has scheduled his own visit to Pyongyang in September to discuss improving inter-Korean relations with Kim after Pompeo’s fourth trip to the North.',
      'While the conflict has been halted with an armistice that was signed in 1953,the North demands that Washington negotiates a peace treaty to formally end the war.',
      'That’s encouraging news for the families of many long-lost loved ones, but we must not mistake that as real progress toward the far more important security goal: denuclearization, The Post notes.',
    ],
  },
  {
    id: '002_6b42de142ce55b91',
    title: 'Report: North Korea May Seek Peace Treaty to Formally End Korean War',
    removed: [
      [1, 'tag-archive-header'],
      [19, 'related-link'],
      [25, 'bare-link'],
    ],
    sentences: [
      // The page has a no-break space after “is”.
      'Washington, D.C. – After President Donald Trump agreed to meet with North Korean President Kim Jong Un, with specific details yet to be worked out, Bloomberg is\u00a0reporting that Kim may request that the signing of a peace treaty at a proposed meeting with the U.S. president.',
      'Ironically, South Korea was not a signatory.',
      'According to the report by Bloomberg:',
      'Signing a peace treaty would require addressing issues regarding the U.S. military’s presence in South Korea and its transfer of wartime operational control to South Korea and United Nations forces in South Korea, Koh said.',
      'Although Trump’s acceptance of the offer to meet was considered risky, in another sign of thawing relations between the North and South, South Korean President Moon Jae-in also accepted an offer for a meeting near the countries shared border later next month, in which Kim is expected to propose resuming cultural exchanges and family reunions.',
      'Some reports indicate the US will not have an aircraft participate in the joint military drills in an effort to mitigate the breakthrough in diplomacy.',
    ],
  },
  {
    id: '003_d3d20f4a58c752ab',
    title: undefined, // the page starts with the body
    removed: [
      [6, 'popular-widget-header'],
      [7, 'swipe-widget'],
    ],
    sentences: [
      'As US denuclearization talks with North Korea have hopelessly stalled and inter-Korea tensions are rising fast, citizen groups on both sides of the Pacific hope to convince the United States to embrace a peace treaty to formally end the Korean War.',
      'In June, the North Korean military even blew up the North-South liaison offices in Gaesong, just north of the border, to underscore its anger.',
      'A few days later, however, the senior Kim overruled his military and called off plans to deploy more troops along the border.',
      'During the debates, Biden often referred to Kim as a “thug”—not exactly a recipe for negotiations.',
      '“Our inability to end this war,” said Quincy’s Jessica Lee, “has really colored the US–South Korean alliance and the possibility of building an enduring peace in East Asia at large.”',
    ],
  },
  {
    id: '004_e776972307e5fca4',
    title: 'South Korean leader calls for closer ties with North Korea',
    removed: [
      [3, 'archive-notice'],
      [29, 'copyright-notice'],
    ],
    sentences: [
      'UNITED NATIONS (AP) — South Korean President Moon Jae-in on Tuesday called for deeper engagement with rival North Korea in return for progress on nuclear disarmament.',
      'Trump said Monday at the United Nations that another meeting with Kim “could happen soon” but didn’t provide details.',
      'He said he hoped the DMZ could house U.N. offices and other international organizations.',
      'At the same time, South Korea will also be able to gain permanent peace.”',
    ],
  },
] as const;

describe('cleaning the seed articles', () => {
  for (const seed of SEEDS) {
    describe(seed.id, () => {
      const text = raw(seed.id);
      const cleaned = cleanArticleText(text);
      const body = cleaned.paragraphs.join('\n');

      it('drops exactly its boilerplate lines, each for the expected reason', () => {
        expect(cleaned.removed.map((r) => [r.line, r.reason])).toEqual(seed.removed);
      });

      it('finds the headline, or none when the page starts with the body', () => {
        expect(cleaned.title).toBe(seed.title);
      });

      it('keeps the hand-picked sentences of the body verbatim', () => {
        for (const sentence of seed.sentences) expect(body).toContain(sentence);
      });

      it('keeps every other line of the page, verbatim and in order', () => {
        const removedLines = new Set<number>(seed.removed.map(([line]) => line));
        const expected = text
          .split('\n')
          .map((line, i) => ({ line: i + 1, text: line.trim() }))
          .filter((l) => l.text !== '' && !removedLines.has(l.line))
          .map((l) => l.text);
        expect([cleaned.title, ...cleaned.paragraphs].filter((p) => p !== undefined)).toEqual(expected);
      });
    });
  }
});

describe('boilerplate rules', () => {
  it('match whole lines of other outlets’ boilerplate too', () => {
    expect(boilerplateRuleFor('Copyright © 2023 Reuters. All rights reserved.')?.name).toBe('copyright-notice');
    expect(boilerplateRuleFor('Leave a Comment')?.name).toBe('comment-prompt');
    expect(boilerplateRuleFor('PHOTO: AFP/Getty Images')?.name).toBe('photo-credit');
    expect(boilerplateRuleFor('https://example.org/video/123')?.name).toBe('bare-link');
    expect(boilerplateRuleFor('[READ MORE: Inside the DMZ]')?.name).toBe('related-link');
  });

  it('never take article sentences that merely mention the same words', () => {
    for (const sentence of [
      'Copyright law was not discussed at the summit, officials said.',
      'Source: a senior official in Seoul said the talks would resume within weeks, according to several people familiar with the planning of the summit and its aftermath.',
      'The treaty text is online at https://example.org/treaty for anyone to read.',
      'Popular support for the treaty has grown.',
      'Readers were told to swipe left to see more photos of the ceremony, which drew thousands of people to the border village of Panmunjom on a cold morning that nobody there will forget.',
    ]) {
      expect(boilerplateRuleFor(sentence), sentence).toBeUndefined();
      expect(cleanArticleText(`Headline\n\n${sentence}`).paragraphs).toEqual([sentence]);
    }
  });

  it('take a caption only when it is the short line right above a photo credit', () => {
    const long = `${'A long paragraph of the story. '.repeat(8)}It ends here.`;
    const page = ['Headline', 'First paragraph.', long, 'SOURCE: REUTERS/IMAGES', 'A short caption.', 'SOURCE: AP PHOTO', 'Last paragraph.'];
    const cleaned = cleanArticleText(page.join('\n'));
    expect(cleaned.paragraphs).toEqual(['First paragraph.', long, 'Last paragraph.']);
    expect(cleaned.removed.map((r) => [r.line, r.reason])).toEqual([
      [4, 'photo-credit'],
      [5, 'photo-caption'],
      [6, 'photo-credit'],
    ]);
    // Set apart by a blank line, it may be the article's own text: kept.
    expect(cleanArticleText('Headline\n\nA short line.\n\nSOURCE: AP PHOTO').paragraphs).toEqual(['A short line.']);
  });

  it('handle Windows line ends and an empty page', () => {
    expect(cleanArticleText('Headline\r\n\r\nBody text here.\r\nBe the first to comment\r\n')).toMatchObject({
      title: 'Headline',
      paragraphs: ['Body text here.'],
    });
    expect(cleanArticleText('')).toEqual({ title: undefined, paragraphs: [], removed: [] });
  });
});
