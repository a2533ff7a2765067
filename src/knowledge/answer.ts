import { comparePartialDates } from '../core/dates.ts';
import type { Article, Corpus } from '../corpus/corpus.ts';
import { splitSentences } from '../corpus/sentences.ts';
import { tokenize } from '../corpus/tokens.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import { formMatches, formProbes, keywords, wordForm, type Question } from './question.ts';
import type { Entity, KnowledgeEvent } from './schema.ts';

/**
 * /ask's ranking: the sentences (and, for "when" questions, the dated
 * events) that answer a question, taken from the articles as they are.
 *
 * The rule, in order:
 * 1. The question becomes *units*: a run of its words that names a known
 *    entity ("Korea Peace Appeal", "Trump", "DMZ") is one unit, matched by
 *    those words or by any of the entity's names and aliases ("Demilitarized
 *    Zone"); every other content word is a unit of its own, matched in any
 *    inflection ("meet", "meets", "met"). Stop words and the words every
 *    question has ("when", "did", "happen") are not units.
 * 2. A sentence or event qualifies when it matches every unit, or all but one
 *    when the question has three units or more. Only the best tier is kept,
 *    events and sentences together: if anything matches every unit, nothing
 *    missing one is shown.
 * 3. Score: 1 per entity unit matched, 1.2 per word unit (the verb or thing
 *    asked about tells answers apart more than names shared by a whole
 *    story), plus 0.5 for a sentence carrying a date when the question asks
 *    "when". Ties go to the better search hit, then to the earlier sentence;
 *    between events, to the curated one, then to the earlier date.
 * 4. A unit that no article contains (not the candidates, nor the best hits
 *    of a search of the whole corpus for it) cannot be left out: the
 *    question is about something the articles do not mention, and the
 *    answer is that nothing was found.
 * Candidates: the best MAX_ARTICLES articles of the search index for the
 * question's words, and the timeline's events for each unit. A sentence
 * already quoted for an event, or one repeated word for word in another
 * article, is shown once.
 */

export const MAX_ANSWERS = 5;
const MAX_EVENTS = 3;
const MAX_ARTICLES = 20;
/** Quotes shown per event. */
const MAX_QUOTES = 2;
/** The longest name tried against the knowledge base, in words ("People's Solidarity for Participatory Democracy"). */
const LONGEST_NAME = 6;
const MIN_SENTENCE_WORDS = 5;
const WORD_WEIGHT = 1.2;
const ENTITY_WEIGHT = 1;
const DATE_BONUS = 0.5;

/** A date in a sentence: a year, a month, a weekday or a relative day. */
const DATE =
  /\b(?:(?:1[89]\d\d|20\d\d|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|(?:last|this|next) (?:year|month|week))\b|(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)/;

/** What a unit of the question is matched by. */
interface Unit {
  /** The question's own words for it. */
  label: string;
  forms: string[];
  /** The entity's names and aliases, as word lists. */
  names: string[][];
  entityIds: ReadonlySet<string>;
  weight: number;
  /** Matches at the start of a word in any text the unit can match (see mayMatch). */
  probe: RegExp;
}

export interface Quote {
  article: Article;
  /** One sentence of the article, verbatim. */
  sentence: string;
}

export interface RankedSentence extends Quote {
  score: number;
}

export interface RankedEvent {
  event: KnowledgeEvent;
  /** The sentences of the articles the event cites that hold its quotes. */
  quotes: Quote[];
  score: number;
}

export interface Answer {
  /** For "who is X?" / "what is X?" when X names one entry. */
  entity?: Entity;
  /** When X could be several entries. */
  ambiguous: Entity[];
  /** Chronological among equals; for "when" questions only. */
  events: RankedEvent[];
  sentences: RankedSentence[];
  /** The question's words (or names) that no article contains. */
  unknown: string[];
  /** The question's words and names that some article has, as the question wrote them: what a /news search could try. */
  found: string[];
  /** The entities the question names, for suggestions. */
  named: Entity[];
}

interface Candidate extends Quote {
  score: number;
  misses: number;
  rank: number;
  position: number;
}

export function answerQuestion(question: Question, corpus: Corpus, kb: KnowledgeBase): Answer {
  const subject = question.subject ? kb.lookup(question.subject, { suggest: false }) : undefined;
  const answer: Answer = {
    ...(subject?.kind === 'found' ? { entity: subject.entity } : {}),
    ambiguous: subject?.kind === 'ambiguous' ? subject.candidates : [],
    events: [],
    sentences: [],
    unknown: [],
    found: [],
    named: [],
  };
  const units = questionUnits(question, kb);
  if (units.length === 0) return answer;
  answer.named = [...new Set(units.flatMap((u) => [...u.entityIds]))].flatMap((id) => kb.entity(id) ?? []);

  // Sentences are matched word for word, so typo-tolerant search would only find articles none of them can come from.
  const articles = corpus.search(keywords(question).join(' '), { limit: MAX_ARTICLES, typos: false }).map((hit) => hit.article);
  const seen = new Set<Unit>();
  const candidates = sentenceCandidates(articles, units, question.kind === 'when', seen);
  const absent = new Set(units.filter((u) => !seen.has(u) && !inArticles(u, articles) && !inArticles(u, searchFor(u, corpus))));
  answer.unknown = units.filter((u) => absent.has(u)).map((u) => u.label);
  answer.found = units.filter((u) => !absent.has(u)).map((u) => u.label);
  if (answer.unknown.length > 0) return answer;

  const events = question.kind === 'when' ? eventCandidates(units, kb) : [];
  // One tier for both: an event missing a unit does not go before a sentence that has them all.
  const fewest = Math.min(...candidates.map((c) => c.misses), ...events.map((e) => e.misses));
  answer.events = events
    .filter((e) => e.misses === fewest)
    .sort((a, b) => b.score - a.score || reviewed(b.event) - reviewed(a.event) || comparePartialDates(a.event.date, b.event.date))
    .slice(0, MAX_EVENTS)
    .map(({ event, score }) => ({ event, score, quotes: eventQuotes(event, corpus) }));
  const shown = new Set(answer.events.flatMap((e) => e.quotes.map((q) => collapse(q.sentence))));
  const ranked = candidates.filter((c) => c.misses === fewest).sort((a, b) => b.score - a.score || a.rank - b.rank || a.position - b.position);
  for (const { article, sentence, score } of ranked) {
    if (answer.sentences.length + answer.events.length >= MAX_ANSWERS) break;
    const key = collapse(sentence);
    if (shown.has(key)) continue;
    shown.add(key);
    answer.sentences.push({ article, sentence, score });
  }
  return answer;
}

/** The question's units, left to right; the longest run of words naming an entity wins. */
function questionUnits(question: Question, kb: KnowledgeBase): Unit[] {
  const { tokens, isKeyword } = question;
  const units = new Map<string, Unit>();
  for (let i = 0; i < tokens.length; ) {
    if (!isKeyword[i]) {
      i++;
      continue;
    }
    let taken = 0;
    for (let n = Math.min(LONGEST_NAME, tokens.length - i); n >= 1 && taken === 0; n--) {
      const span = tokens.slice(i, i + n);
      const found = kb.lookup(span.join(' '), { suggest: false });
      if (found.kind === 'unknown') continue;
      const entities = found.kind === 'found' ? [found.entity] : found.candidates;
      const words = span.filter((_, k) => isKeyword[i + k]);
      const forms = words.map(wordForm);
      const names = entities.flatMap((e) => entityNames(e, kb)).map(tokenize).filter((n) => n.length > 0);
      units.set(words.join(' '), {
        label: span.join(' '),
        forms,
        names,
        entityIds: new Set(entities.map((e) => e.id)),
        weight: ENTITY_WEIGHT,
        probe: probeFor([...formProbes(forms[0]!), ...names.map((n) => n[0]!)]),
      });
      taken = n;
    }
    if (taken === 0) {
      const word = tokens[i]!;
      const form = wordForm(word);
      units.set(word, { label: word, forms: [form], names: [], entityIds: new Set(), weight: WORD_WEIGHT, probe: probeFor(formProbes(form)) });
      taken = 1;
    }
    i += taken;
  }
  return [...units.values()];
}

/** Names that stand for the entity in a text; an ambiguous alias, or a surname others share ("Kim"), does not. */
function entityNames(entity: Entity, kb: KnowledgeBase): string[] {
  const names = [entity.name, ...entity.aliases.filter((a) => !a.ambiguous).map((a) => a.name)];
  if (entity.surname) {
    const bySurname = kb.lookup(entity.surname, { suggest: false });
    if (bySurname.kind === 'found' && bySurname.entity.id === entity.id) names.push(entity.surname);
  }
  return names;
}

/** A matcher over one text: its words, and their normal forms. */
function textMatcher(text: string): { words: number; matches: (unit: Unit) => boolean } {
  const tokens = tokenize(text);
  const forms = tokens.map(wordForm);
  return {
    words: tokens.length,
    matches: (unit) => unit.forms.every((f) => forms.some((g) => formMatches(f, g))) || unit.names.some((name) => containsRun(tokens, name)),
  };
}

/** False when the text cannot match the unit: no word of it starts with one of the unit's probes. */
function mayMatch(text: string, unit: Unit): boolean {
  return unit.probe.test(text);
}

/** True when the text lacks more units than a candidate may miss (by the probes: it may lack more). */
function tooFewUnits(text: string, units: readonly Unit[], allowed: number): boolean {
  let missing = 0;
  for (const unit of units) if (!mayMatch(text, unit) && ++missing > allowed) return true;
  return false;
}

/** A regular expression for words starting with any of `pieces` (lower case; the test ignores case). */
function probeFor(pieces: readonly string[]): RegExp {
  const escaped = [...new Set(pieces)].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})`, 'iu');
}

function containsRun(tokens: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return false;
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let k = 0; k < run.length; k++) if (tokens[i + k] !== run[k]) continue outer;
    return true;
  }
  return false;
}

/** Units a candidate may miss: none for one or two units, one from three on. */
function allowedMisses(units: readonly Unit[]): number {
  return units.length >= 3 ? 1 : 0;
}

function sentenceCandidates(articles: readonly Article[], units: readonly Unit[], when: boolean, seen: Set<Unit>): Candidate[] {
  const out: Candidate[] = [];
  const allowed = allowedMisses(units);
  articles.forEach((article, rank) => {
    let position = 0;
    for (const paragraph of article.paragraphs) {
      // Most paragraphs and sentences of a broad search lack the question's words: rule them out before splitting and tokenising.
      const sentences = tooFewUnits(paragraph, units, allowed) ? [] : splitSentences(paragraph);
      for (const sentence of sentences) {
        position++;
        if (tooFewUnits(sentence, units, allowed)) continue;
        const { words, matches } = textMatcher(sentence);
        let misses = 0;
        let score = 0;
        for (const unit of units) {
          if (!matches(unit)) misses++;
          else {
            seen.add(unit);
            score += unit.weight;
          }
        }
        if (misses > allowed || words < MIN_SENTENCE_WORDS) continue;
        if (when && DATE.test(sentence)) score += DATE_BONUS;
        out.push({ article, sentence, score, misses, rank, position });
      }
    }
  });
  return out;
}

/** True when one of the articles (title or text) has the unit; the cheap probe goes first. */
function inArticles(unit: Unit, articles: readonly Article[]): boolean {
  return articles.some((article) => [article.title, ...article.paragraphs].some((text) => mayMatch(text, unit) && textMatcher(text).matches(unit)));
}

/** The articles most likely to have the unit, if any has it: the best few of a search for its words. */
function searchFor(unit: Unit, corpus: Corpus): Article[] {
  return corpus.search(unit.label, { limit: 3, typos: false }).map((hit) => hit.article);
}

/** The timeline's events for each unit that qualify by the same rule as sentences. */
function eventCandidates(units: readonly Unit[], kb: KnowledgeBase): Array<{ event: KnowledgeEvent; score: number; misses: number }> {
  const events = new Map<string, KnowledgeEvent>();
  for (const unit of units) for (const event of kb.timeline({ about: unit.label }).events) events.set(event.id, event);
  const allowed = allowedMisses(units);
  const scored: Array<{ event: KnowledgeEvent; score: number; misses: number }> = [];
  for (const event of events.values()) {
    const { matches } = textMatcher(`${event.name ?? ''} ${event.summary}`);
    let misses = 0;
    let score = 0;
    for (const unit of units) {
      if (event.entities.some((id) => unit.entityIds.has(id)) || matches(unit)) score += unit.weight;
      else misses++;
    }
    if (misses <= allowed) scored.push({ event, score, misses });
  }
  return scored;
}

/** 1 for a curated event, 0 for an extracted one: between equals, the reviewed record comes first. */
function reviewed(event: KnowledgeEvent): number {
  return event.status === 'curated' ? 1 : 0;
}

function eventQuotes(event: KnowledgeEvent, corpus: Corpus): Quote[] {
  const quotes: Quote[] = [];
  for (const citation of event.sources) {
    const article = corpus.get(citation.article);
    if (!article || quotes.length >= MAX_QUOTES) continue;
    const sentence = sentenceHolding(article, citation.quote);
    if (!quotes.some((q) => q.sentence === sentence)) quotes.push({ article, sentence });
  }
  return quotes;
}

/** The sentence of the article that holds the quote, or the quote itself when it spans sentences. */
function sentenceHolding(article: Article, quote: string): string {
  const wanted = collapse(quote);
  for (const paragraph of article.paragraphs) {
    if (!collapse(paragraph).includes(wanted)) continue;
    return splitSentences(paragraph).find((s) => collapse(s).includes(wanted)) ?? quote;
  }
  return quote;
}

/** Spaces compared loosely: articles carry no-break spaces a curator cannot see. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}
