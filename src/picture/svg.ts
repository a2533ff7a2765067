/**
 * What every picture's SVG shares: the palette on the opaque background,
 * the shipped fonts' family names (rasterise.ts loads them), escaping, and
 * the text element. Every string goes through escapeXml, so feed text can
 * never become markup.
 */

export const BACKGROUND = '#fafaf7';
/** Latin from Noto Sans, Hangul from Noto Sans KR (see rasterise.ts). */
export const FONT_FAMILY = "'Noto Sans', 'Noto Sans KR'";
export const INK = '#1d1d1f';
export const MUTED = '#5f6368';
export const RULE = '#c9c9c4';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A coordinate to one decimal: shorter SVG, same picture. */
export const n = (v: number) => Math.round(v * 10) / 10;

export function text(x: number, y: number, size: number, body: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}" font-size="${size}" ${attrs}>${escapeXml(body)}</text>`;
}

/** The opening of a picture: its size, the font, and the opaque background (light and dark chat clients alike). */
export function svgOpen(width: number, height: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" font-family="${FONT_FAMILY}">`,
    `<rect width="100%" height="100%" fill="${BACKGROUND}"/>`,
  ];
}
