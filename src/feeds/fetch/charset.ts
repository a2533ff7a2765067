/**
 * Turns a feed's bytes into text. The encoding comes, in order, from a
 * byte-order mark, the Content-Type charset, the XML prolog
 * (`<?xml version="1.0" encoding="windows-1251"?>`), else UTF-8 — unless the
 * bytes are not valid UTF-8, then windows-1252, as browsers read an
 * undeclared document (a Latin-1 feed without a prolog, like UOL Notícias,
 * would otherwise come out full of U+FFFD).
 * TextDecoder (full ICU in Node 20) knows windows-1251, EUC-KR, Shift_JIS,
 * GB18030, Big5, KOI8-R and the rest; an unknown label falls back to UTF-8.
 */

const BOMS: ReadonlyArray<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

export function charsetFromXmlProlog(bytes: Uint8Array): string | undefined {
  // The prolog is ASCII in every encoding a prolog can declare (bar UTF-16, which has a BOM).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1]?.toLowerCase();
}

function bomCharset(bytes: Uint8Array): string | undefined {
  for (const [bom, charset] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) return charset;
  }
  return undefined;
}

function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined; // unknown label: try the next source
  }
}

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): { text: string; charset: string } {
  const decoder = decoderFor(bomCharset(bytes)) ?? decoderFor(charsetFromContentType(contentType)) ?? decoderFor(charsetFromXmlProlog(bytes));
  // TextDecoder drops the BOM itself; replacement characters stand in for bad bytes of a declared encoding.
  if (decoder) return { text: decoded(decoder, bytes), charset: decoder.encoding };
  // Undeclared: one strict UTF-8 pass, which is all a UTF-8 feed costs.
  try {
    return { text: UTF8_STRICT.decode(bytes), charset: 'utf-8' };
  } catch {
    return { text: decoded(WINDOWS_1252, bytes), charset: WINDOWS_1252.encoding };
  }
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/**
 * Node 20's TextDecoder reads windows-1252 (and its aliases latin1,
 * iso-8859-1, ascii) as ISO-8859-1: bytes 0x80-0x9F come out as C1 controls,
 * which clean-text then deletes, so curly quotes, dashes and the euro sign
 * vanish. Those 32 bytes are mapped as the WHATWG Encoding table does (the
 * five it leaves undefined keep their C1 code point).
 */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decoded(decoder: TextDecoder, bytes: Uint8Array): string {
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
