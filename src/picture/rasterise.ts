import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './timeline-svg.ts';

/**
 * SVG → PNG with resvg (a Rust SVG renderer shipped as a prebuilt npm
 * binary). Text is drawn only with fonts shipped in npm packages, never a
 * system font, so the picture is the same on every machine: Noto Sans for
 * Latin text and Noto Sans KR for what it lacks (Hangul). Noto Sans comes
 * first because shaping with the 6 MB Korean font costs ~15 ms per text
 * element, which made a 500-event picture take seconds.
 */

const require = createRequire(import.meta.url);
const fontDir = (name: string) => dirname(require.resolve(`@expo-google-fonts/${name}/package.json`));
export const FONT_FILES = [
  join(fontDir('noto-sans'), '400Regular', 'NotoSans_400Regular.ttf'),
  join(fontDir('noto-sans'), '700Bold', 'NotoSans_700Bold.ttf'),
  join(fontDir('noto-sans-kr'), '400Regular', 'NotoSansKR_400Regular.ttf'),
  join(fontDir('noto-sans-kr'), '700Bold', 'NotoSansKR_700Bold.ttf'),
];
const DEFAULT_FAMILY = 'Noto Sans';

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: DEFAULT_FAMILY, sansSerifFamily: DEFAULT_FAMILY },
    fitTo: { mode: 'original' },
  });
  return resvg.render().asPng();
}

/** The drawn width of one line of text, for checking the layout's estimates. */
export function measuredTextWidth(text: string, size: number, bold = false): number {
  const escaped = text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="100" font-family="${FONT_FAMILY}"><text x="0" y="50" font-size="${size}"${bold ? ' font-weight="700"' : ''}>${escaped}</text></svg>`;
  const resvg = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: DEFAULT_FAMILY } });
  return resvg.getBBox()?.width ?? 0;
}
