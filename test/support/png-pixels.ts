import { Resvg } from '@resvg/resvg-js';

/**
 * Reads a PNG back into RGBA pixels with the same library that wrote it:
 * resvg draws an SVG holding the PNG as an image at its own size.
 */
export function decodePng(png: Uint8Array): { width: number; height: number; pixel(x: number, y: number): [number, number, number] } {
  const view = Buffer.from(png);
  if (view.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  const width = view.readUInt32BE(16);
  const height = view.readUInt32BE(20);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${view.toString('base64')}"/></svg>`;
  const pixels = new Resvg(svg, { font: { loadSystemFonts: false } }).render().pixels;
  return {
    width,
    height,
    pixel(x, y) {
      const i = (y * width + x) * 4;
      return [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
    },
  };
}
