import { decodeHTML } from 'entities';

/**
 * Feed text is written by strangers. What comes out of here is plain text:
 * no markup, no control or bidirectional-override characters, bounded in
 * length. It is not escaped for any platform: the renderers do that, so an
 * `@everyone` in a title stays visible text and never becomes a mention.
 */

/** Elements whose content is never text a reader sees. */
const INVISIBLE_ELEMENTS = /<(script|style|noscript|template|iframe|object|svg|math|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENTS = /<!--[\s\S]*?(?:-->|$)/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
/** Tags that end a paragraph or a line. */
const BLOCK_TAGS =
  /<\/?(?:p|div|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|section|article|aside|nav|main|header|footer|address|details|summary|table|caption|thead|tbody|tfoot|tr|pre|figure|figcaption|form|fieldset|legend)\b[^>]*>/gi;
/** Table cells and images sit side by side on a line: a space between them. */
const SEPARATING_INLINE_TAGS = /<\/?(?:td|th|img)\b[^>]*>/gi;
/**
 * Every other tag is inline (em, b, a, span, sup, sub, ...) and joins the
 * text around it as a browser does: `1930ft<sup>2</sup>` is "1930ft2".
 */
const ANY_TAG = /<\/?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*\?>/g;

/**
 * C0/C1 controls (tab and newline aside), bidi embeddings, overrides and
 * isolates, zero-width and invisible formatting characters, the BOM and
 * unpaired surrogates' replacement leftovers.
 */
const INVISIBLE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

export const FIELD_LIMITS = {
  title: 300,
  summary: 2000,
  /** The body kept for search: enough for /news snippets and the extractor. */
  body: 20_000,
  name: 100,
  author: 120,
} as const;

/** Removes invisible and direction-changing characters; keeps newlines and tabs. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '');
}

/** Cuts at a word boundary when one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Tags out, block ends as line breaks; entities still encoded. */
function stripTags(html: string): string {
  return html
    .replace(CDATA, '$1')
    .replace(COMMENTS, ' ')
    .replace(INVISIBLE_ELEMENTS, ' ')
    .replace(BLOCK_TAGS, '\n')
    .replace(SEPARATING_INLINE_TAGS, ' ')
    .replace(ANY_TAG, '');
}

/** HTML (or plain text with entities) to paragraphs of plain text. */
export function htmlToParagraphs(html: string): string[] {
  if (!html) return [];
  // Most titles are plain text: no tag or entity, nothing to strip or decode.
  // Entities are decoded once, after the tags are gone, so `&lt;b&gt;` stays visible text rather than becoming a tag.
  const text = html.includes('<') || html.includes('&') ? decodeHTML(stripTags(html)) : html;
  return stripInvisible(text)
    .split(/\n\s*\n|\n/)
    .map((line) => line.replace(/[ \t\u00a0\u2028\u2029\r]+/g, ' ').trim())
    .filter((line) => line.length > 0);
}

/** One line of plain text (titles, names, authors), truncated. */
/** Text that needs no cleaning beyond spacing: no markup, entity, control or invisible character. */
const NEEDS_CLEANING = /[<&\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/;

export function cleanLine(value: unknown, max: number): string | undefined {
  const raw = textOf(value);
  if (raw === undefined) return undefined;
  const line = (NEEDS_CLEANING.test(raw) ? htmlToParagraphs(raw).join(' ') : raw).replace(/\s+/g, ' ').trim();
  return line.length === 0 ? undefined : truncate(line, max);
}

/** Paragraphs of plain text, the whole bounded by `max` characters. */
export function cleanParagraphs(value: unknown, max: number): string[] {
  const raw = textOf(value);
  if (raw === undefined) return [];
  const out: string[] = [];
  let used = 0;
  for (const paragraph of htmlToParagraphs(raw)) {
    if (used >= max) break;
    const kept = truncate(paragraph, max - used);
    out.push(kept);
    used += kept.length;
  }
  return out;
}

/**
 * A link a reader may follow: absolute http(s) only. `javascript:`,
 * `data:`, `file:` and relative junk are dropped.
 */
export function cleanLink(value: unknown, base?: string): string | undefined {
  const raw = textOf(value)?.trim();
  if (!raw) return undefined;
  try {
    const url = new URL(stripInvisible(raw), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href.length > 2000 ? undefined : url.href;
  } catch {
    return undefined;
  }
}

/**
 * The text of a parsed XML value: xml2js hands over strings, `{ _: text, $: attrs }`
 * objects or arrays; anything else (nested elements, odd shapes from hostile
 * feeds) is not text.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '_')) {
    const inner = (value as { _: unknown })._;
    return typeof inner === 'string' ? inner : undefined;
  }
  return undefined;
}
