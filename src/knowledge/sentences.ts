/**
 * Sentences of a paragraph. The platform's Unicode segmenter breaks after
 * every period followed by a capital, so "U.S. Secretary of State", "Mr.
 * Chung", "Dec. 3", "3 p.m. Seoul time" and "Patrick J. Smith" come apart
 * into junk sentences (and junk names such as "State Antony"). Its pieces are
 * joined again where the period ends an abbreviation rather than a sentence.
 */

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations that always belong to what follows: titles, months, name parts. */
const BINDING = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cmdr', 'adm', 'sgt', 'gov', 'sen', 'rep', 'amb',
    'pres', 'sec', 'st', 'mt', 'ft', 'no', 'nos', 'vol', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept',
    'oct', 'nov', 'dec', 'vs', 'approx', 'est', 'jr', 'sr', 'rev', 'hon', 'fig',
  ],
);

/**
 * Abbreviations that may also end a sentence ("…sanctions imposed by the
 * U.S. The ministry said…"): joined unless the next piece starts like a new
 * sentence.
 */
const AMBIGUOUS = new Set(['us', 'un', 'uk', 'eu', 'am', 'pm', 'inc', 'corp', 'co', 'ltd', 'etc', 'dprk', 'rok', 'usa']);

/** Words that usually open a sentence: after "U.S." they mean a new one starts. */
const SENTENCE_OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'but', 'and', 'in', 'on', 'at', 'this', 'that', 'these',
  'those', 'his', 'her', 'their', 'its', 'there', 'however', 'meanwhile', 'after', 'before', 'when', 'while', 'as',
  'if', 'since', 'for', 'of', 'to', 'last', 'earlier', 'later', 'both', 'some', 'many', 'officials', 'experts',
]);

export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const { segment } of SEGMENTER.segment(paragraph)) {
    if (pending !== '' && !continues(pending, segment)) {
      out.push(pending.trim());
      pending = '';
    }
    pending += segment;
  }
  if (pending.trim() !== '') out.push(pending.trim());
  return out.filter((s) => s !== '');
}

/** Whether `next` continues `before` (which ends with an abbreviation, not a sentence). */
function continues(before: string, next: string): boolean {
  const last = /(?:^|[\s(“"‘'])((?:[\p{L}]\.)+|[\p{L}]+\.)\s*$/u.exec(before);
  if (!last) return false;
  const token = last[1]!;
  const key = token.replace(/\./g, '').toLowerCase();
  // A lone capital initial ("Patrick J. Smith", "Robert B. Abrams").
  if (/^\p{Lu}\.$/u.test(token)) return true;
  if (BINDING.has(key)) return true;
  if (!AMBIGUOUS.has(key) && !/^(?:\p{L}\.){2,}$/u.test(token)) return false;
  const firstWord = /^\s*["“‘']?([\p{L}]+)/u.exec(next)?.[1];
  if (!firstWord) return true;
  // A lower-case or numeric start never opens a sentence; a common opener does.
  return !SENTENCE_OPENERS.has(firstWord.toLowerCase());
}
