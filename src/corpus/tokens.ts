import type { Article } from './corpus.ts';

/** How article text becomes index terms: the search index's tokenizer and its helpers. */

/**
 * Words too common to tell articles apart. Dropping them keeps the index
 * smaller and spares queries a prefix expansion of "the" or "and".
 */
export const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his',
  'i', 'if', 'in', 'is', 'it', 'its', 'of', 'on', 'or', 's', 'she', 'so', 't', 'that', 'the', 'their', 'them',
  'then', 'there', 'they', 'this', 'to', 'was', 'we', 'were', 'which', 'who', 'will', 'with',
]);

/** MiniSearch's default tokenizer: split on spaces and punctuation. */
const SEPARATOR = /[\n\r\p{Z}\p{P}]+/u;

/**
 * The words of a text, lower case, stop words included (they count in a
 * field's length).
 */
export function tokenize(text: string): string[] {
  const tokens = text.toLowerCase().split(SEPARATOR);
  if (tokens[0] === '') tokens.shift();
  if (tokens[tokens.length - 1] === '') tokens.pop();
  return tokens;
}

/** The words that are indexed and searched for. */
export function indexTerms(text: string): string[] {
  return tokenize(text).filter((t) => !STOP_WORDS.has(t));
}

/**
 * The texts of one field. The body is tokenised paragraph by paragraph: the
 * same words as the joined text (a line break separates words anyway), without
 * building and lower-casing a second copy of the whole article.
 */
export function fieldTexts(article: Article, field: number): readonly string[] {
  if (field === 0) return [article.title];
  if (field === 1) return article.paragraphs;
  return article.outlet ? [article.outlet] : [];
}

/**
 * A copy of a word that holds only its own characters. A word cut out of a
 * text by split() may be a slice that keeps the whole lower-cased paragraph
 * alive; a word kept in the dictionary must not.
 */
export function ownCopy(word: string): string {
  return (` ${word}`).slice(1);
}
