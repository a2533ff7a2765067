import { ownCopy, STOP_WORDS, tokenize } from '../corpus/tokens.ts';

/**
 * A question in words, read just enough to answer it from the articles:
 * what it asks for (a time, a person, a thing), what it is about ("who is
 * X?"), and its content words, compared in a normal form that forgives
 * inflection ("meets", "meeting" and "met" are all "meet").
 */

export type QuestionKind = 'when' | 'who' | 'what' | 'other';

export interface Question {
  text: string;
  kind: QuestionKind;
  /** For "who is X?" / "what is the X?": X. */
  subject?: string;
  /** The question's words, lower case, in order (stop words included: names such as "Quincy Institute for…" span them). */
  tokens: string[];
  /** Which of `tokens` carry content: neither stop words nor the words every question has. */
  isKeyword: boolean[];
}

/**
 * Words of the question itself rather than of its subject: an article
 * answering "when did X happen?" need not say "when" or "happen".
 */
const QUESTION_WORDS = new Set([
  'what', 'when', 'who', 'whom', 'whose', 'where', 'why', 'how', 'which', 'did', 'does', 'do', 'done', 'doing',
  'been', 'being', 'can', 'could', 'would', 'should', 'shall', 'may', 'might', 'must', 'me', 'my', 'you', 'your',
  'about', 'any', 'anything', 'something', 'please', 'tell', 'know', 'happen', 'happened', 'happens', 'occur',
  'occurred', 'take', 'took', 'place', 'year', 'date', 'day', 'month', 'time', 'much', 'many', 'mean', 'means',
  'meant', 'exactly', 'ever', 'up',
]);

/** Pieces of abbreviations and times ("p.m.", "3:00"): a letter or digit alone, or zeros. */
const FRAGMENT = /^(?:.|0+)$/u;

/** Questions asking for a time; "what year…", "what day…" too. */
const WHEN = /^(?:and\s+|so\s+)?(?:when\b|what\s+(?:year|date|day|month|time)\b|in\s+what\s+year\b|since\s+when\b)/i;
const WHO = /^(?:and\s+|so\s+)?(?:who|whom|whose)\b/i;
const WHAT = /^(?:and\s+|so\s+)?(?:what|which)\b/i;
/** "who is X", "what was the X", "who are the X", "what's X": X is the subject. */
const SUBJECT = /^(?:who|what)(?:\s+(?:is|are|was|were)\s+|['’]s\s+)(?:the\s+|a\s+|an\s+)?(.+?)[\s?.!]*$/i;

export function parseQuestion(text: string): Question {
  const trimmed = text.trim();
  const kind: QuestionKind = WHEN.test(trimmed) ? 'when' : WHO.test(trimmed) ? 'who' : WHAT.test(trimmed) ? 'what' : 'other';
  const subject = kind === 'who' || kind === 'what' ? SUBJECT.exec(trimmed)?.[1]?.trim() : undefined;
  const tokens = tokenize(trimmed);
  const isKeyword = tokens.map((t) => !STOP_WORDS.has(t) && !QUESTION_WORDS.has(t) && !FRAGMENT.test(t));
  return { text: trimmed, kind, ...(subject ? { subject } : {}), tokens, isKeyword };
}

/** The content words, in order, each once. */
export function keywords(question: Question): string[] {
  return [...new Set(question.tokens.filter((_, i) => question.isKeyword[i]))];
}

/** Past forms that share no prefix with their verb. */
const IRREGULAR: Record<string, string> = {
  met: 'meet', said: 'say', told: 'tell', held: 'hold', spoke: 'speak', spoken: 'speak', went: 'go', gone: 'go',
  began: 'begin', begun: 'begin', fought: 'fight', wrote: 'write', written: 'write', led: 'lead', won: 'win',
  sent: 'send', left: 'leave', made: 'make', gave: 'give', given: 'give', came: 'come', saw: 'see', seen: 'see',
  agreed: 'agree', chose: 'choose', chosen: 'choose', broke: 'break', broken: 'break', stood: 'stand', flew: 'fly',
  blew: 'blow', blown: 'blow', shot: 'shoot', fled: 'flee', struck: 'strike', built: 'build', threw: 'throw',
  thrown: 'throw', drew: 'draw', drawn: 'draw', shown: 'show', sought: 'seek', brought: 'bring', caught: 'catch',
  thought: 'think', kept: 'keep', lost: 'lose', paid: 'pay', ran: 'run', fell: 'fall', fallen: 'fall', grew: 'grow',
  grown: 'grow', withdrew: 'withdraw', withdrawn: 'withdraw', rose: 'rise', risen: 'rise', became: 'become',
  taken: 'take', hit: 'hit', cut: 'cut', set: 'set', put: 'put', let: 'let',
};
/** Base form → its irregular forms ("meet" → ["met"]). */
const IRREGULAR_OF = new Map<string, string[]>();
for (const [word, base] of Object.entries(IRREGULAR)) IRREGULAR_OF.set(base, [...(IRREGULAR_OF.get(base) ?? []), word]);

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'edly', 'ed', 'es', 's', 'ly'];

/**
 * Forms already computed: /ask reads the same words in every sentence. Emptied
 * when full, so a stream of new words cannot grow it without bound.
 */
const FORMS = new Map<string, string>();
const MAX_FORMS = 50_000;

/** The normal form a word is compared in: "meetings" → "meet", "declaration" → "declar", "met" → "meet". */
export function wordForm(token: string): string {
  let form = FORMS.get(token);
  if (form === undefined) {
    // Own copies: a word split out of a sentence may keep the whole sentence alive.
    form = ownCopy(IRREGULAR[token] ?? stripSuffix(token));
    if (FORMS.size >= MAX_FORMS) FORMS.clear();
    FORMS.set(ownCopy(token), form);
  }
  return form;
}

function stripSuffix(token: string): string {
  for (const suffix of SUFFIXES) {
    if (token.endsWith(suffix) && token.length - suffix.length >= 3) return token.slice(0, -suffix.length);
  }
  return token;
}

/**
 * True when two words (in normal form) are the same word: equal, or, when the
 * shorter has five letters or more, one starting with the other ("declar" and
 * "declare"). Shorter forms must match whole: "war" must not find "warn".
 */
export function formMatches(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.startsWith(short);
}

/**
 * Pieces of text, one of which every word matching `form` contains: a cheap
 * test that rules most sentences out before they are split into words.
 */
export function formProbes(form: string): string[] {
  return [form.slice(0, 5), ...(IRREGULAR_OF.get(form) ?? [])];
}
