/**
 * Text widths without a font engine: the layout must know how wide a label
 * is before anything is drawn, so it estimates from per-character advances of
 * Noto Sans KR (the shipped font), erring wide. A test checks the estimate
 * against what resvg really draws, so "no overlap" in the layout holds in
 * the picture.
 */

/** Advance in ems, a little above Noto Sans KR's own for each class. */
function advance(ch: string, bold: boolean): number {
  const code = ch.codePointAt(0)!;
  let em: number;
  if (code >= 0x1100 && (code <= 0x11ff || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xffef))) em = 1.0;
  else if (ch === ' ') em = 0.24;
  else if (/[iljI.,:;'’!|()\[\]]/.test(ch)) em = 0.3;
  else if (/[ft r"“”\-]/.test(ch)) em = 0.38;
  else if (/[mwMW—]/.test(ch)) em = 0.9;
  else if (/[A-Z]/.test(ch)) em = 0.68;
  else if (/[0-9]/.test(ch)) em = 0.58;
  else em = 0.58;
  return bold ? em * 1.06 : em;
}

export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += advance(ch, bold);
  return Math.ceil(em * size);
}

/** The text cut with an ellipsis so it fits in `max` pixels (whole text when it fits). */
export function fitText(text: string, size: number, max: number, bold = false): string {
  if (textWidth(text, size, bold) <= max) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${chars.slice(0, mid).join('').trimEnd()}…`, size, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`;
}
