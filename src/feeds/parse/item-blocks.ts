/**
 * Hand-made for one measured figure: "feeds: CPU per changed feed (5 new
 * items) ÷ rss-parser alone", target ≤ 1.5 × (README "Measured figures",
 * bench/feeds.ts; 1.37 × on 2026-12-04). rss-parser has no way to skip
 * items, so the plain code parses all fifty and drops the known ones after:
 * measured back to back on 2026-12-04 (`npm run bench -- feeds`, 2 cores
 * shared, load ~4.5), 2.90–2.99 × without this scan against 1.61–1.78 ×
 * with it. It earns its place.
 *
 * A feed's item blocks (`<item>` of RSS 0.91/2.0 and 1.0, `<entry>` of
 * Atom) and each block's guid (`<guid>` / `<id>`), found by a linear scan
 * without parsing the document. A poll drops the blocks it already knows
 * before rss-parser sees the text: parsing the fifty items of a feed that
 * gained five is most of a poll's CPU.
 *
 * The scan answers only when its reading is certainly the one rss-parser
 * (xml2js over sax, strict) would make; otherwise it returns undefined and
 * the caller parses the whole document. In doubt: an unterminated or
 * mismatched tag, an item element anywhere but directly under the channel
 * (RSS 0.91/2.0) or the root (RSS 1.0, Atom), more than one channel, a
 * comment, processing instruction or declaration inside an item, an entity
 * other than the predefined and numeric ones inside an item, a block without
 * a plain-text guid (CDATA, markup, an empty one), and guids that repeat
 * within the document (parse.ts distrusts those).
 *
 * The general rule: the scan reads only the identity element, so a block is
 * cut only when that element alone decides the item's identity in the full
 * parse, and decides it the same way. Hence exactly one guid (`<id>`) child:
 * a second one, even empty or self-closing (`<guid/>` then `<guid>x</guid>`:
 * rss-parser takes the empty first and falls back to the link), makes the
 * block ambiguous and the document is parsed whole.
 */

export interface ItemBlock {
  /** Offsets of the block in the document, `<item` to the end of `</item>`. */
  start: number;
  end: number;
  /** The guid's text as rss-parser reads it, trimmed (what parse.ts makes the identity of). */
  guid: string;
}

/** Where item elements live, by root element. */
const LAYOUTS: Record<string, { parents: string[]; item: string; guid: string }> = {
  rss: { parents: ['rss', 'channel'], item: 'item', guid: 'guid' },
  'rdf:RDF': { parents: ['rdf:RDF'], item: 'item', guid: 'guid' },
  feed: { parents: ['feed'], item: 'entry', guid: 'id' },
};


export function itemBlocks(xml: string): ItemBlock[] | undefined {
  const stack: string[] = [];
  let layout: (typeof LAYOUTS)[string] | undefined;
  const blocks: ItemBlock[] = [];
  const guids = new Set<string>();
  let channels = 0;
  let block: { start: number; depth: number; guid?: string; guidStart?: number; guidElements: number } | undefined;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    let end: number;
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      if (xml.startsWith('<![CDATA[', at)) {
        if (block?.guidStart !== undefined) return undefined; // a guid in CDATA: leave it to the parser
        end = indexAfter(xml, ']]>', at + 9);
      } else {
        if (block) return undefined;
        end = xml.startsWith('<!--', at) ? indexAfter(xml, '-->', at + 4) : indexAfter(xml, next === 0x3f ? '?>' : '>', at + 2);
      }
      if (end === -1) return undefined;
    } else if (next === 0x2f /* / */) {
      end = indexAfter(xml, '>', at + 2);
      if (end === -1) return undefined;
      const name = xml.slice(at + 2, end - 1).trim();
      if (stack.pop() !== name) return undefined;
      if (block) {
        if (block.guidStart !== undefined && stack.length === block.depth + 1) {
          const guid = plainText(xml.slice(block.guidStart, at));
          if (guid === undefined) return undefined;
          block.guid = guid;
          block.guidStart = undefined;
        }
        if (stack.length === block.depth) {
          if (block.guid === undefined || block.guidElements !== 1 || guids.has(block.guid)) return undefined;
          if (!referencesAreSafe(xml.slice(block.start, end))) return undefined;
          guids.add(block.guid);
          blocks.push({ start: block.start, end, guid: block.guid });
          block = undefined;
        }
      }
    } else {
      end = tagEnd(xml, at + 1);
      if (end === -1) return undefined;
      const name = tagName(xml, at + 1, end);
      if (!name) return undefined;
      const selfClosing = xml.charCodeAt(end - 2) === 0x2f; /* / */
      if (stack.length === 0) {
        layout = LAYOUTS[name];
        if (!layout) return undefined;
      } else if (layout) {
        if (block?.guidStart !== undefined) return undefined; // markup inside a guid
        if (name === 'channel' && stack.length === 1) channels++;
        if (name === layout.item) {
          const underParents = !block && stack.length === layout.parents.length && stack.every((n, i) => n === layout!.parents[i]);
          if (!underParents || selfClosing || channels > 1) return undefined;
          block = { start: at, depth: stack.length, guidElements: 0 };
        } else if (block && name === layout.guid && stack.length === block.depth + 1) {
          // Counted even when empty: xml2js keeps every guid child and rss-parser reads the first.
          block.guidElements++;
          if (!selfClosing) block.guidStart = end;
        }
      }
      if (!selfClosing) stack.push(name);
    }
    at = xml.indexOf('<', end);
  }
  if (stack.length !== 0 || block) return undefined;
  return blocks;
}

/** The end of an open tag (after its `>`; a quoted `>` is an attribute's), -1 when unterminated or holding a `<`. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x3c /* < */) return -1; // not even in an attribute value
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e /* > */) {
      return i + 1;
    }
  }
  return -1;
}

function indexAfter(text: string, token: string, from: number): number {
  const found = text.indexOf(token, from);
  return found === -1 ? -1 : found + token.length;
}

/** The element name starting at `from` (up to whitespace, `/` or `>`, at most 200 characters), or undefined. */
function tagName(xml: string, from: number, tagEnd: number): string | undefined {
  const limit = Math.min(tagEnd, from + 200);
  let i = from;
  for (; i < limit; i++) {
    const c = xml.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f /* / */ || c === 0x3e /* > */) break;
  }
  return i > from && i < limit ? xml.slice(from, i) : undefined;
}

/**
 * Whether every `&` in the block outside CDATA sections begins a predefined
 * or numeric character reference, which sax (strict) reads without
 * complaint: a block cut out unparsed must not be hiding an error.
 */
function referencesAreSafe(block: string): boolean {
  let at = block.indexOf('&');
  let cdata = block.indexOf('<![CDATA[');
  while (at !== -1) {
    if (cdata !== -1 && cdata < at) {
      const close = block.indexOf(']]>', cdata + 9);
      if (close === -1) return false;
      if (close > at) at = block.indexOf('&', close + 3); // this `&` is CDATA text
      cdata = block.indexOf('<![CDATA[', close + 3);
      continue;
    }
    const semicolon = block.indexOf(';', at + 1);
    if (semicolon === -1 || !SAFE_REFERENCE.test(block.slice(at + 1, semicolon))) return false;
    at = block.indexOf('&', semicolon);
  }
  return true;
}

const SAFE_REFERENCE = /^(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+)$/;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** An element's text with references decoded and trimmed; undefined when empty or not plainly text. */
function plainText(raw: string): string | undefined {
  if (raw.includes('\r')) return undefined; // XML end-of-line handling: leave it to the parser
  let unsafe = false;
  const text = raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) return ((unsafe = true), whole);
    if (ref in PREDEFINED && Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref]!;
    const code = /^#x([0-9a-fA-F]+)$/.exec(ref) ? parseInt(ref.slice(2), 16) : /^#([0-9]+)$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code < 0x20 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return ((unsafe = true), whole);
    return String.fromCodePoint(code);
  });
  const trimmed = text.trim();
  return unsafe || trimmed.length === 0 ? undefined : trimmed;
}
