/**
 * A short window of an article's text around the first place one of the
 * matched words occurs, cut at word boundaries, with ellipses where text
 * was left out.
 */

export const SNIPPET_LENGTH = 200;
/** How much text to show before the match, so the reader sees its context. */
const LEAD = 60;

export function makeSnippet(paragraphs: readonly string[], terms: readonly string[], length = SNIPPET_LENGTH): string {
  const text = paragraphs.join(' ').replace(/\s+/g, ' ').trim();
  if (text.length <= length) return text;
  const at = firstMatch(text, terms);

  let start = 0;
  if (at > LEAD) {
    // Prefer starting at the sentence the match is in, if it begins nearby.
    const sentence = text.lastIndexOf('. ', at);
    start = sentence >= 0 && at - sentence <= LEAD + 40 ? sentence + 2 : wordStartAfter(text, at - LEAD);
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  const body = text.slice(start, end).trim().replace(/[,;:]$/, '');
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** Where the earliest matched word starts (at the start of a word), or 0. */
function firstMatch(text: string, terms: readonly string[]): number {
  const words = terms.filter((t) => t.length > 0).map(escapeRegExp);
  if (words.length === 0) return 0;
  words.sort((a, b) => b.length - a.length);
  const match = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})`, 'iu').exec(text);
  return match ? match.index : 0;
}

function wordStartAfter(text: string, position: number): number {
  const space = text.indexOf(' ', position);
  return space < 0 ? position : space + 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
