/**
 * The sentences of a paragraph, each a verbatim slice of it (trimmed), so an
 * answer can quote one exactly as the article has it.
 *
 * Intl.Segmenter finds the boundaries; it also breaks after abbreviations
 * ("U.S. officials", "Dec. 12", "3 p.m. on Monday", "Mr. Moon", "Patrick J.
 * Buchanan"), which would cut a sentence in two. A break is undone when the
 * piece before it ends in such an abbreviation and the next piece does not
 * start a new sentence on its own (it begins in lower case, with a digit, or
 * with a name after a title, or is a title after "U.S." or "U.N.":
 * "U.S. President Donald Trump"). "…talks with the U.S. The next day…"
 * stays split, since another capitalised word after "U.S." usually starts a
 * sentence. A quotation (“…”) of several sentences stays whole, so a quote
 * never opens a quotation mark it does not close.
 */

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Titles and abbreviations that are always followed by more of the same sentence. */
const ALWAYS_JOINED = /(?:^|[\s(“"])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sen|Rep|Gov|St|Jr|Sr|No|Vol|vs|etc|e\.g|i\.e|[A-Z])\.$/;
/** Abbreviations after which a lower-case word or a number continues the sentence. */
const JOINED_BEFORE_LOWER = /(?:^|[\s(“"])(?:[A-Z]\.(?:[A-Z]\.)+|[ap]\.m\.|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|approx|est|Inc|Corp|Co|Ltd)\.?$/;

export function splitSentences(paragraph: string): string[] {
  // [start, end) of each sentence in the paragraph: a rejoined one is sliced whole, so it stays verbatim.
  const spans: Array<[number, number]> = [];
  for (const { segment, index } of SEGMENTER.segment(paragraph)) {
    if (segment.trim() === '') continue;
    const end = index + segment.trimEnd().length;
    const last = spans[spans.length - 1];
    if (last && continues(paragraph.slice(last[0], last[1]), segment.trim())) last[1] = end;
    else spans.push([index + segment.length - segment.trimStart().length, end]);
  }
  return spans.map(([start, end]) => paragraph.slice(start, end));
}

/** After an initialism such as "U.S." or "U.N.", these capitalised words continue the sentence ("U.S. President Donald Trump"). */
const INITIALISM = /(?:^|[\s(“"])[A-Z]\.(?:[A-Z]\.)+$/;
const TITLE_AFTER_INITIALISM = /^(?:President|Vice|Secretary|Ambassador|Envoy|Special|Representative|Senator|Sen\.|Rep\.|Gen\.|General|Admiral|Forces|Army|Navy|Air|Marine|Congress|House|Senate|State|Department|Embassy|Command|Security|Treasury|Defense|Trade|Council|General Assembly|Secretary-General)\b/;

/** A quotation left open is one sentence with the rest of the quote, up to this length (a stray “ must not swallow a paragraph). */
const MAX_QUOTED_SENTENCE = 600;

function continues(previous: string, next: string): boolean {
  if (ALWAYS_JOINED.test(previous)) return true;
  if (count(previous, '“') > count(previous, '”') && previous.length < MAX_QUOTED_SENTENCE) return true;
  if (INITIALISM.test(previous) && TITLE_AFTER_INITIALISM.test(next)) return true;
  return JOINED_BEFORE_LOWER.test(previous) && /^[\p{Ll}\p{N}]/u.test(next);
}

function count(text: string, mark: string): number {
  let n = 0;
  for (let i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) n++;
  return n;
}
