/**
 * Slack treats `<...>` in message text as a control sequence: `<!channel>`,
 * `<!here>`, `<@U123>`, `<#C123>` and `<https://x|label>` become mentions or
 * links. Every string from a Reply is untrusted (feed titles, article text,
 * user input), so it is escaped before it reaches any Slack text field —
 * mrkdwn, plain_text and the notification `text` alike. Slack shows the
 * entities as the plain characters.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Only absolute http(s) URLs become links. Returns the URL normalised and
 * made safe to sit inside `<url|label>` (no `|`, `<`, `>` or whitespace,
 * `&` as an entity), or undefined when the value is not such a URL.
 */
export function safeLinkUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  // URL.href percent-encodes spaces, quotes and angle brackets but keeps `|`,
  // which would end the URL part of a Slack link.
  const href = url.href.replace(/\|/g, '%7C');
  if (/[<>\s]/.test(href)) return undefined;
  return href.replace(/&/g, '&amp;');
}

/** `<url|label>` with the label escaped, or the escaped label alone when the URL is not safe. */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const href = safeLinkUrl(url);
  const text = escapeMrkdwn(label);
  return href ? `<${href}|${text}>` : text;
}

/**
 * Shortens already-escaped text to at most `max` characters, ending with an
 * ellipsis when cut. Never cuts an entity (`&amp;`), one of our links or a
 * surrogate pair in half, so the result is still valid, safe text.
 */
export function clipEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&[a-z]{0,3}$/, '');
  // Our own links are the only `<` left in escaped text: drop a cut-off one.
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Escapes, then clips to Slack's limit for the field. */
export function escapeClipped(text: string, max: number): string {
  return clipEscaped(escapeMrkdwn(text), max);
}

/**
 * Slack sends `&`, `<` and `>` in typed text (slash command text) as
 * entities; the router wants what the person typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
