import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg, renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY, escapeXml } from './svg.ts';

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

/** Characters Noto Sans lacks and Noto Sans KR has: Hangul, CJK, full-width forms. */
const NEEDS_KOREAN_FONT = /[\u1100-\u11FF\u2E80-\u9FFF\uA960-\uA97F\uAC00-\uD7FF\uF900-\uFAFF\uFF00-\uFFEF]/;

/**
 * Rasterises on libuv's thread pool, so a big picture does not hold up the
 * event loop (gateway heartbeats, Slack's 3-second acks). The Korean font
 * (12 MB read per picture) is loaded only when the text needs it.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  const fontFiles = NEEDS_KOREAN_FONT.test(svg) ? FONT_FILES : FONT_FILES.slice(0, 2);
  const image = await renderAsync(svg, {
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: DEFAULT_FAMILY, sansSerifFamily: DEFAULT_FAMILY },
    fitTo: { mode: 'original' },
  });
  return image.asPng();
}

/** The drawn width of one line of text, for checking the layout's estimates. */
export function measuredTextWidth(text: string, size: number, bold = false): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="100" font-family="${FONT_FAMILY}"><text x="0" y="50" font-size="${size}"${bold ? ' font-weight="700"' : ''}>${escapeXml(text)}</text></svg>`;
  const resvg = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: DEFAULT_FAMILY } });
  return resvg.getBBox()?.width ?? 0;
}
