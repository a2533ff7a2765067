import { hash } from 'node:crypto';
// Loaded on the first feed parsed (see parseFeed): a process that only answers commands never needs it.
import type Parser from 'rss-parser';
import { cleanLine, cleanLink, cleanParagraphs, FIELD_LIMITS, textOf } from './clean-text.ts';
import { feedFailure, type FeedFailure } from '../failure.ts';
import { itemBlocks } from './item-blocks.ts';
import { guardXml } from './xml-guard.ts';

/**
 * src/feeds/parse/ — a feed's text to clean items, or a FeedFailure.
 * Entry point: parseFeed (this file); the rest serve it: xml-guard.ts
 * (refuses entity tricks and absurd nesting before any XML parser runs),
 * item-blocks.ts (finds the blocks of known items, to leave them unparsed),
 * clean-text.ts (untrusted feed text to bounded plain text).
 * It must not fetch (rss-parser's parseString only), touch the store, or
 * decide what is new or relevant: the caller says which identities are
 * known (ParseOptions.isKnown). Imports no other feeds folder; of
 * src/feeds/ only failure.ts (test/unit/boundaries.test.ts).
 *
 * Feed text to clean items. rss-parser (parseString only: it never fetches)
 * reads RSS 0.91, 1.0 (RDF), 2.0 and Atom; everything it hands back is
 * treated as untrusted and cleaned here.
 *
 * Dates: an unparseable date is "date unknown" (undefined) and never fails
 * the feed (see PARSER_OPTIONS). A date more than a day in the future is clamped to now (a
 * misconfigured clock or time zone, the story is new). A date before 1990 is
 * dropped to "date unknown": it is a zero timestamp or a typo, not news, and
 * clamping it to some other day would invent a date.
 */

export interface FeedItem {
  /** Stable within the feed: `guid:…`, `link:…` or `hash:…` (title and date). */
  identity: string;
  title: string;
  /** Link, date, author and paragraphs are cleaned on first read (see LazyItem). */
  readonly link?: string;
  /** Undefined when the feed gave no usable date. */
  readonly published?: Date;
  readonly paragraphs: string[];
  readonly author?: string;
}

export interface ParsedFeed {
  title?: string;
  link?: string;
  /** In the feed's own order (usually newest first); without the known items left out (see ParseOptions). */
  items: FeedItem[];
  /** Items left out unparsed because their identity was already known. */
  knownLeftOut?: number;
}

export interface ParseOptions {
  /**
   * Identities whose items need not be parsed (seen recently). Their blocks
   * are cut from the text before rss-parser reads it when item-blocks.ts can
   * tell every block's identity exactly as the full parse would; the other
   * items come out the same as from the full parse.
   */
  isKnown?: (identity: string) => boolean;
}

export type ParseResult = { ok: true; feed: ParsedFeed } | FeedFailure;

export const MAX_ITEMS = 500;

/**
 * rss-parser turns an Atom entry's `published` / `updated` into ISO strings
 * with `toISOString()`, which throws on a bad date and would fail the whole
 * feed. The value processor sees each date as the XML parser read it (CDATA
 * opened, comments dropped, character references decoded): it trims it and
 * empties it when it is no date, so a bad date is only "date unknown" and a
 * valid one written in any XML spelling is read. RSS dates need no help:
 * rss-parser reads them in a try/catch and sensibleDate trims.
 * `emptyTag` makes a whitespace-only element '' (xml2js would otherwise hand
 * the whitespace itself to `new Date`). rss-parser skips a date element
 * with attributes (`<published xml:lang="en">`); the custom fields keep its
 * text for cleanItem. `defaultRSS: 2` reads an `<rss>`
 * root without a version attribute (UOL Notícias serves one) as RSS 2.0.
 */
const ATOM_DATES = new Set(['published', 'updated']);
const PARSER_OPTIONS: Parser.ParserOptions<Record<string, unknown>, Record<string, unknown>> = {
  defaultRSS: 2,
  customFields: {
    item: [
      ['published', 'atomPublished'],
      ['updated', 'atomUpdated'],
    ],
  },
  xml2js: {
    emptyTag: () => '',
    valueProcessors: [
      (value: string, name: string) => {
        if (!ATOM_DATES.has(name)) return value;
        const trimmed = value.trim();
        return Number.isNaN(new Date(trimmed).getTime()) ? '' : trimmed;
      },
    ],
  },
};
/** rss-parser, imported once: a dynamic import per document costs a trip through the module loader each time. */
let loadedParser: typeof Parser | undefined;
const rssParser = async (): Promise<typeof Parser> => (loadedParser ??= (await import('rss-parser')).default);

const EARLIEST_DATE = Date.UTC(1990, 0, 1);
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
const MAX_GUID_LENGTH = 512;

export async function parseFeed(text: string, now: Date, baseUrl?: string, options: ParseOptions = {}): Promise<ParseResult> {
  const body = text.replace(/^\ufeff/, '').trimStart();
  if (body.length === 0) return feedFailure('NOT_A_FEED', 'the body is empty');
  if (/^(<!doctype html|<html[\s>])/i.test(body)) return feedFailure('NOT_A_FEED', 'the address returned an HTML page, not a feed');
  if (!body.startsWith('<')) return feedFailure('NOT_A_FEED', 'the body is not XML');
  const guarded = guardXml(body);
  if (!guarded.ok) return feedFailure('NOT_A_FEED', `refused: ${guarded.problem}`);

  const { xml, knownLeftOut } = options.isKnown ? withoutKnownItems(guarded.xml, options.isKnown) : { xml: guarded.xml, knownLeftOut: 0 };
  let raw: Parser.Output<Record<string, unknown>>;
  try {
    // A parser per document: a shared one keeps state after a malformed
    // document and answers the same bytes differently the next time.
    raw = await new (await rssParser())(PARSER_OPTIONS).parseString(xml);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : 'unreadable XML';
    return feedFailure('NOT_A_FEED', `not a readable RSS or Atom feed (${message})`);
  }
  const rawItems = (Array.isArray(raw.items) ? raw.items : []).slice(0, MAX_ITEMS);
  const link = cleanLink(raw.link, baseUrl);
  const items = assignIdentities(
    rawItems.map((item) => cleanItem(item as Record<string, unknown>, now, link ?? baseUrl)).filter((draft) => draft !== undefined),
  );
  return { ok: true, feed: { title: cleanLine(raw.title, FIELD_LIMITS.name), link, items, knownLeftOut } };
}

/**
 * The document without the blocks of known items, same head and order. Only
 * when every block has a trusted guid (which then is its identity whatever
 * the other items hold) and the whole document is within MAX_ITEMS (so no
 * item moves across the cut-off); otherwise the document as it is.
 */
function withoutKnownItems(xml: string, isKnown: (identity: string) => boolean): { xml: string; knownLeftOut: number } {
  const blocks = itemBlocks(xml);
  if (!blocks || blocks.length > MAX_ITEMS) return { xml, knownLeftOut: 0 };
  const parts: string[] = [];
  let from = 0;
  for (const block of blocks) {
    if (!isKnown(identityOfGuid(block.guid))) continue;
    parts.push(xml.slice(from, block.start));
    from = block.end;
  }
  if (parts.length === 0) return { xml, knownLeftOut: 0 };
  parts.push(xml.slice(from));
  return { xml: parts.join(''), knownLeftOut: parts.length - 1 };
}

export function identityOfGuid(guid: string): string {
  return guid.length > MAX_GUID_LENGTH ? `guid#${hash('sha256', guid)}` : `guid:${guid}`;
}

/** An item before its identity is settled, with what identity is made of. */
interface Draft {
  item: FeedItem;
  guid?: string;
  dateText?: string;
}

function cleanItem(raw: Record<string, unknown>, now: Date, base: string | undefined): Draft | undefined {
  const body = raw['content:encoded'] ?? raw.content ?? raw.summary;
  let title = cleanLine(raw.title, FIELD_LIMITS.title);
  if (!title) {
    const first = cleanParagraphs(body, 500)[0];
    title = first ? cleanLine(first, 120) : undefined;
  }
  if (!title) return undefined; // nothing a reader could recognise
  const guid = textOf(raw.guid ?? raw.id)?.trim();
  const dateText = firstText(raw.isoDate, raw.pubDate, raw.date, raw.atomPublished, raw.atomUpdated);
  const item = new LazyItem(title, { link: raw.link, author: raw.creator ?? raw.author, body }, dateText, now, base);
  return { item, guid: guid || undefined, dateText };
}

/** The first of the values that has text, trimmed. */
function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = textOf(value)?.trim();
    if (text) return text;
  }
  return undefined;
}

/**
 * Only the title is cleaned at once. Link, date, author and body are
 * cleaned when first read: a poll reads them only for the items it has not
 * seen before, usually a few of a feed's fifty, and an item known by its
 * guid never needs its link. One object per item, getters on the class:
 * a poll makes thousands of these, and every allocation that outlives a
 * minor GC swells the heap until the next full one.
 */
class LazyItem implements FeedItem {
  identity = '';
  // What the cleaned fields are made from; private fields, so the item's own keys stay its data.
  readonly #rawLink: unknown;
  readonly #rawAuthor: unknown;
  readonly #body: unknown;
  readonly #dateText: string | undefined;
  readonly #now: Date;
  readonly #base: string | undefined;
  #link: string | undefined | null = null;
  #published: Date | undefined | null = null;
  #author: string | undefined | null = null;
  #paragraphs: string[] | undefined;

  constructor(
    readonly title: string,
    raw: { link: unknown; author: unknown; body: unknown },
    dateText: string | undefined,
    now: Date,
    base: string | undefined,
  ) {
    this.#rawLink = raw.link;
    this.#rawAuthor = raw.author;
    this.#body = raw.body;
    this.#dateText = dateText;
    this.#now = now;
    this.#base = base;
  }

  get link(): string | undefined {
    return this.#link === null ? (this.#link = cleanLink(this.#rawLink, this.#base)) : this.#link;
  }

  get published(): Date | undefined {
    return this.#published === null ? (this.#published = sensibleDate(this.#dateText, this.#now)) : this.#published;
  }

  get author(): string | undefined {
    return this.#author === null ? (this.#author = cleanLine(this.#rawAuthor, FIELD_LIMITS.author)) : this.#author;
  }

  get paragraphs(): string[] {
    return (this.#paragraphs ??= cleanParagraphs(this.#body, FIELD_LIMITS.body));
  }
}

/** A real publication date, or undefined ("date unknown"); see the module comment. */
export function sensibleDate(text: string | undefined, now: Date): Date | undefined {
  if (!text) return undefined;
  const time = Date.parse(text.trim());
  if (Number.isNaN(time) || time < EARLIEST_DATE) return undefined;
  if (time > now.getTime() + FUTURE_TOLERANCE_MS) return new Date(now.getTime());
  return new Date(time);
}

/**
 * guid, else link, else a hash of title and date. A guid (or link) that
 * occurs more than once in the same document identifies nothing, so those
 * items fall back to the next choice.
 */
function assignIdentities(drafts: Draft[]): FeedItem[] {
  const guidCounts = countBy(drafts.map((d) => d.guid));
  // Links are cleaned (parsed as URLs) only when some item has no guid of its own.
  let counted: Map<string, number> | undefined;
  const linkCounts = () => (counted ??= countBy(drafts.map((d) => d.item.link)));
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const { item, guid, dateText } of drafts) {
    if (guid && guidCounts.get(guid) === 1) {
      item.identity = identityOfGuid(guid);
    } else if (item.link && linkCounts().get(item.link) === 1) {
      item.identity = `link:${item.link}`;
    } else {
      item.identity = `hash:${hash('sha256', `${item.title}\n${dateText ?? ''}`)}`;
    }
    if (seen.has(item.identity)) continue; // the very same item twice: keep the first
    seen.add(item.identity);
    out.push(item);
  }
  return out;
}

function countBy(values: Array<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
