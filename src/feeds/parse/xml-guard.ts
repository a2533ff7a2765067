/**
 * Checks run on a feed's text before any XML parser sees it.
 *
 * - Entity declarations are refused outright (billion laughs, external
 *   entities reading files or URLs). A DOCTYPE with an internal subset
 *   (`<!DOCTYPE x [ ... ]>`) is refused too. A bare DOCTYPE naming an
 *   external DTD, as old RSS 0.91 feeds carry
 *   (`<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "...">`),
 *   is harmless because nothing ever fetches the DTD: it is removed and the
 *   feed is read.
 * - Element nesting deeper than MAX_DEPTH is refused: no real feed needs it,
 *   and recursive walkers should never meet it.
 */

export const MAX_DEPTH = 64;

export type GuardResult = { ok: true; xml: string } | { ok: false; problem: string };

const ENTITY_DECLARATION = /<!ENTITY/i;
const DOCTYPE = /<!DOCTYPE\b[^>[]*(\[)?[^>]*>/i;

export function guardXml(text: string): GuardResult {
  if (ENTITY_DECLARATION.test(text)) return { ok: false, problem: 'the document declares XML entities' };
  let xml = text;
  const doctype = DOCTYPE.exec(xml);
  if (doctype) {
    if (doctype[1] !== undefined) return { ok: false, problem: 'the document has a DOCTYPE with declarations' };
    xml = xml.slice(0, doctype.index) + xml.slice(doctype.index + doctype[0].length);
  }
  const depth = maxDepth(xml, MAX_DEPTH);
  if (depth > MAX_DEPTH) return { ok: false, problem: `elements are nested more than ${MAX_DEPTH} deep` };
  return { ok: true, xml };
}

/**
 * The deepest element nesting, counting stops once past `limit`. A linear
 * scan over `<`: comments, CDATA, processing instructions and declarations
 * are skipped, self-closing tags do not nest.
 */
export function maxDepth(xml: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    let end: number;
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', at)) end = indexAfter(xml, '-->', at + 4);
      else if (xml.startsWith('<![CDATA[', at)) end = indexAfter(xml, ']]>', at + 9);
      else end = indexAfter(xml, '>', at + 2);
    } else if (next === 0x3f /* ? */) {
      end = indexAfter(xml, '?>', at + 2);
    } else if (next === 0x2f /* / */) {
      depth--;
      end = indexAfter(xml, '>', at + 2);
    } else {
      end = indexAfter(xml, '>', at + 1);
      if (xml.charCodeAt(end - 2) !== 0x2f /* / */) {
        depth++;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
      }
    }
    at = xml.indexOf('<', end);
  }
  return deepest;
}

function indexAfter(text: string, token: string, from: number): number {
  const found = text.indexOf(token, from);
  return found === -1 ? text.length : found + token.length;
}
