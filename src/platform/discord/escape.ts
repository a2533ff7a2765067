/**
 * Untrusted text (feed titles, article text, user input echoed back) must
 * reach Discord as text: no bold, no headings, no masked links, no mentions,
 * no auto-linked URLs. Discord's markdown honours a backslash before any
 * punctuation, so every character that can start markup is escaped.
 */

// Inline markup anywhere in a line: emphasis, strike, spoilers, code,
// quotes, masked links, angle-bracket mentions/emoji/timestamps.
const INLINE = /[\\*_~`|[\]()<>]/g;
// Block markup that only counts at the start of a line: headings, lists,
// block quotes, numbered lists, subtext (`-# `).
const LINE_START = /^(\s*)([#>+-]|\d+\.)/gm;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_, space: string, mark: string) => `${space}\\${mark}`)
    // `https://…` auto-links even as plain text; `https\://…` does not.
    .replace(/:\/\//g, '\\://')
    // Mentions are also disarmed by allowed_mentions on every message; the
    // zero-width space keeps @everyone/@here from even looking like one.
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/**
 * http(s) URLs only, safe inside `[text](url)`: parentheses (common in
 * Wikipedia links) are percent-encoded so they cannot end the link early;
 * spaces, angle brackets and the like make the URL unusable.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 2000 || /[\s<>[\]`"\\]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return undefined;
  }
}

/** Shortens to `max` characters with an ellipsis, never splitting a backslash escape. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // An odd run of trailing backslashes would escape the ellipsis.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}
