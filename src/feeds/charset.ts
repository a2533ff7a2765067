/**
 * Turns a feed's bytes into text. The encoding comes, in order, from a
 * byte-order mark, the Content-Type charset, the XML prolog
 * (`<?xml version="1.0" encoding="windows-1251"?>`), else UTF-8.
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
  const decoder =
    decoderFor(bomCharset(bytes)) ??
    decoderFor(charsetFromContentType(contentType)) ??
    decoderFor(charsetFromXmlProlog(bytes)) ??
    new TextDecoder('utf-8');
  // TextDecoder drops the BOM itself; replacement characters stand in for bad bytes.
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}
