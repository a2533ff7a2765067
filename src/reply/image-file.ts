import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Reply, ReplyImage } from './reply.ts';

/**
 * Where the console and `armistice ask` put a reply's picture: a terminal
 * cannot show a PNG, so it is written to a file and the path printed.
 */

export const DEFAULT_PICTURE_DIR = join('var', 'pictures');

/** Writes the PNG to `out`, or to var/pictures/<its file name>; returns the absolute path. */
export async function writeReplyImage(image: ReplyImage, out?: string): Promise<string> {
  const path = resolve(out ?? join(DEFAULT_PICTURE_DIR, image.filename));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, image.bytes);
  return path;
}

/** The line printed under the text answer. */
export function pictureLine(path: string, image: ReplyImage): string {
  return `Picture: ${path} (${image.bytes.length} bytes) — ${image.alt}`;
}

/** The Reply as JSON, with the picture's bytes replaced by where they went. */
export function replyJson(reply: Reply, path?: string): string {
  const { image, ...rest } = reply;
  const out = image ? { ...rest, image: { filename: image.filename, mimeType: image.mimeType, alt: image.alt, bytes: image.bytes.length, path } } : rest;
  return JSON.stringify(out, null, 2);
}
