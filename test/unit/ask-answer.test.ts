import { beforeEach, describe, expect, it } from 'vitest';
import type { Article, Corpus } from '../../src/corpus/corpus.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { splitSentences } from '../../src/corpus/sentences.ts';
import { answerQuestion, MAX_ANSWERS, type Answer } from '../../src/knowledge/answer.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { loadEvalSet } from '../../bench/knowledge-eval/load.ts';
import { formMatches, keywords, parseQuestion, wordForm } from '../../src/knowledge/question.ts';

let articles: Article[];
let corpus: Corpus;
let kb: KnowledgeBase;

beforeEach(async () => {
  articles ??= (await readCorpus('data')).articles;
  corpus = createCorpus(articles);
  kb = await loadKnowledgeBase('data');
});

const ask = (question: string): Answer => answerQuestion(parseQuestion(question), corpus, kb);
const quoted = (answer: Answer) => [...answer.events.flatMap((e) => e.quotes), ...answer.sentences];

/** Every quote is one whole sentence of its article's cleaned text, as written. */
function expectVerbatim(answer: Answer): void {
  for (const { article, sentence } of quoted(answer)) {
    expect(article.paragraphs.flatMap(splitSentences), `${article.id}: ${sentence}`).toContain(sentence);
  }
}

describe('/ask ranking on the seed articles', () => {
  it('GIVEN "when did Trump and Kim meet at the DMZ?" THEN the dated event of 30 June 2019 comes first, quoting article 004', () => {
    const answer = ask('when did Trump and Kim meet at the DMZ?');
    expect(answer.events[0]!.event.id).toBe('dmz-meeting');
    expect(answer.events[0]!.event.date).toEqual({ year: 2019, month: 6, day: 30 });
    expect(answer.events[0]!.quotes.map((q) => [q.article.id, q.sentence])).toContainEqual([
      '004_e776972307e5fca4',
      'And in June he was the first to step into North Korean territory.',
    ]);
    // The event matches trump, kim, meet and dmz: sentences missing one of them (the 2018 meeting) are left out.
    expect(answer.events).toHaveLength(1);
    expect(answer.sentences).toEqual([]);
    expectVerbatim(answer);
  });

  it('GIVEN "what is the Korea Peace Appeal?" THEN the entry is the entity and the launch sentence of article 003 is quoted', () => {
    const answer = ask('what is the Korea Peace Appeal?');
    expect(answer.entity?.id).toBe('korea-peace-appeal');
    expect(answer.events).toEqual([]); // not a "when" question
    expect(answer.sentences[0]!.article.id).toBe('003_d3d20f4a58c752ab');
    expect(answer.sentences[0]!.sentence).toMatch(/^“Peace efforts on the Korean Peninsula .* 324 Korean civic groups declared Monday, as they launched an international “Korea Peace Appeal” to collect 100 million signatures favoring a treaty by 2023\.$/);
    expectVerbatim(answer);
  });

  it('GIVEN "who called the end-of-war declaration an admirable idea?" THEN nothing is claimed: no seed article says "admirable"', () => {
    const answer = ask('who called the end-of-war declaration an admirable idea?');
    expect(answer.unknown).toEqual(['admirable']);
    expect(quoted(answer)).toEqual([]);
  });

  it('GIVEN the real article that says it (Korea JoongAng Daily, 24 Sept 2021, from the evaluation set) WHEN the same question is asked THEN its sentence is the answer, with its date and outlet', async () => {
    // Arrives as a feed item would: test/fixtures/knowledge-eval/03 (see its articles.yaml for the address).
    const joongang = (await loadEvalSet()).find((e) => e.article.id === 'eval-03')!.article;
    corpus.add(joongang);
    const answer = ask('who called the end-of-war declaration an admirable idea?');
    expect(answer.unknown).toEqual([]);
    expect(answer.sentences[0]).toMatchObject({
      article: { id: 'eval-03', outlet: 'Korea JoongAng Daily', published: { year: 2021, month: 9, day: 24 } },
      sentence: expect.stringMatching(/^Kim Yo-jong, the influential sister of North Korean leader Kim Jong-un, said Friday that .*"admirable idea"/),
    });
    expectVerbatim(answer);
  });

  it('GIVEN a sentence with every word of a "when" question THEN it goes before events missing one; a shared surname ("Kim") names no one', () => {
    const answer = ask('when did Kim Yo Jong criticize Moon?');
    // Events of Moon with Kim Jong-un (the Panmunjom summit...) do not involve Kim Yo Jong and say nothing of criticism.
    expect(answer.events).toEqual([]);
    expect(answer.sentences.map((s) => s.sentence)).toEqual([
      'Over the last two months, Chairman Kim and his influential sister Kim Yo Jong have criticized Moon for his dependence on the United States, while their Foreign Ministry has slammed him as “nonsensical” for trying to mediate a deal with Trump.',
    ]);
  });

  it('GIVEN a broad question THEN at most five answers', () => {
    const answer = ask('who is Moon?');
    expect(answer.entity?.id).toBe('moon-jae-in');
    expect(answer.sentences).toHaveLength(MAX_ANSWERS);
    expectVerbatim(answer);
  });

  it('GIVEN a full name that ends in a stop word ("Moon Jae-in") THEN it names the entry, not "Moon Jae" and "in"', () => {
    const answer = ask('what did Moon Jae-in tell the Korea Society?');
    expect(answer.named.map((e) => e.id)).toEqual(['moon-jae-in', 'korea-society']);
    expect(answer.found).toEqual(['moon jae in', 'korea society']);
  });

  it('GIVEN a name the question writes one way and the article another ("DMZ" / "Demilitarized Zone") THEN the sentence still matches', () => {
    const answer = ask('when did Moon call for a peace zone in the DMZ?');
    expect(quoted(answer).map((q) => q.sentence)).toContain(
      'He called for an “international peace zone” in the Demilitarized Zone, a heavily fortified border separating the two Koreas — an idea that’s been generally proposed before.',
    );
    expectVerbatim(answer);
  });

  it('GIVEN a "when" question THEN a sentence with a date ranks above one matching as well without', () => {
    const dated = /^The campaigns to resuscitate US-Korean diplomacy kicked off on July 27, 67 years after US and North Korean generals signed the armistice/;
    const undated = 'The Korean War came to an end with the signing of an armistice, with neither side able to claim outright victory.';
    const when = ask('when was the armistice signed?');
    expect(when.events[0]!.event.id).toBe('armistice-signed');
    const scoreOf = (answer: Answer, match: RegExp | string) => answer.sentences.find((s) => (typeof match === 'string' ? s.sentence === match : match.test(s.sentence)))!.score;
    expect(scoreOf(when, dated)).toBeGreaterThan(scoreOf(when, undated));
    // Asked without "when", the date earns nothing.
    const plain = ask('was the armistice signed?');
    expect(scoreOf(plain, dated)).toBe(scoreOf(plain, undated));
  });

  it('GIVEN a sentence repeated word for word in several articles THEN it is quoted once', () => {
    const copy = articles.find((a) => a.id.startsWith('003'))!;
    corpus.add({ ...copy, id: 'feed-copy-of-003', origin: 'feed' });
    const sentences = ask('what is the Korea Peace Appeal?').sentences.map((s) => s.sentence);
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(sentences.filter((s) => s.includes('Korea Peace Appeal'))).toHaveLength(1);
  });

  it('GIVEN a question whose words no sentence has together THEN nothing is quoted', () => {
    const answer = ask('why did Pompeo sign the Hanoi armistice with Bolton in Gaesong?');
    expect(quoted(answer)).toEqual([]);
  });
});

describe('reading a question', () => {
  it('tells "when", "who" and "what" questions apart and finds the subject of "who is X?"', () => {
    expect(parseQuestion('When did they meet?').kind).toBe('when');
    expect(parseQuestion('what year was the armistice signed').kind).toBe('when');
    expect(parseQuestion('who is Moon Jae-in?')).toMatchObject({ kind: 'who', subject: 'Moon Jae-in' });
    expect(parseQuestion('What is the Korea Peace Appeal?')).toMatchObject({ kind: 'what', subject: 'Korea Peace Appeal' });
    expect(parseQuestion('what’s the DMZ?')).toMatchObject({ kind: 'what', subject: 'DMZ' });
    expect(parseQuestion('Pompeo visit Pyongyang').kind).toBe('other');
  });

  it('keeps content words only, each once', () => {
    expect(keywords(parseQuestion('When did Trump and Kim meet at the DMZ?'))).toEqual(['trump', 'kim', 'meet', 'dmz']);
    expect(keywords(parseQuestion('what is the?'))).toEqual([]);
    expect(keywords(parseQuestion('what happened at 3:00 p.m. in 2018?'))).toEqual(['2018']);
    expect(keywords(parseQuestion('who called the end-of-war declaration an “admirable idea”?'))).toEqual(['called', 'end', 'war', 'declaration', 'admirable', 'idea']);
  });

  it('compares words in a form that forgives inflection, but not short prefixes', () => {
    expect(wordForm('meetings')).toBe('meet');
    expect(wordForm('met')).toBe('meet');
    expect(formMatches(wordForm('declaration'), wordForm('declared'))).toBe(true);
    expect(formMatches(wordForm('war'), wordForm('warned'))).toBe(false);
  });
});

describe('sentences', () => {
  it('are not cut at abbreviations, and each is a verbatim slice of the paragraph', () => {
    const paragraph = 'Earlier on Tuesday, U.S. officials met at 3 p.m. in Seoul.  On Dec. 12 Mr. Moon spoke with U.S. President Donald Trump. He met the U.S. The next day was calm.';
    const sentences = splitSentences(paragraph);
    expect(sentences).toEqual([
      'Earlier on Tuesday, U.S. officials met at 3 p.m. in Seoul.',
      'On Dec. 12 Mr. Moon spoke with U.S. President Donald Trump.',
      'He met the U.S.',
      'The next day was calm.',
    ]);
    for (const s of sentences) expect(paragraph).toContain(s);
  });

  it('keep a quotation of several sentences whole', () => {
    expect(splitSentences('Moon said the walk “was a remarkable step. I hope both leaders will take another.” Then he left.')).toEqual([
      'Moon said the walk “was a remarkable step. I hope both leaders will take another.”',
      'Then he left.',
    ]);
  });
});
