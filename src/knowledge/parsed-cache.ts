import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The knowledge files as parsed JSON, made by `npm run build` (bin/build.mjs)
 * and keyed by the SHA-256 of the YAML text: parsing ~55 kB of YAML is the
 * largest part of a start (~60 ms), reading JSON a small one. A file edited
 * since the build has another hash and is parsed as YAML, as is everything
 * when running from the sources (the folder sits beside the compiled code,
 * dist/parsed-yaml, and does not exist in a source checkout).
 */

const DIR = join(import.meta.dirname, '..', '..', 'parsed-yaml');

function fileFor(text: string): string {
  return join(DIR, `${createHash('sha256').update(text).digest('hex')}.json`);
}

/** The parsed value of `text` if the build cached it; otherwise undefined. */
export function readParsedYaml(text: string): unknown {
  try {
    return JSON.parse(readFileSync(fileFor(text), 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Keeps the parsed value of `text` (only ever called with a document that parsed without errors). */
export function writeParsedYaml(text: string, value: unknown): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(fileFor(text), JSON.stringify(value));
}
