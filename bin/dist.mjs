// Whether dist/ (the output of `npm run build`) can be run in place of the
// TypeScript sources: it must exist and be newer than every source and
// build setting, so a stale build never answers with yesterday's code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
/** Written by bin/build.mjs once tsc has finished without errors. */
export const stampFile = join(root, 'dist', '.built');

const SOURCE_DIRS = ['src', 'commands'];
const SETTINGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time (ms) of the files dist/ is built from. A few ms for ~200 files. */
function newestSourceMs(dir) {
  let newest = 0;
  for (const file of SETTINGS) newest = Math.max(newest, statSync(join(dir, file)).mtimeMs);
  for (const sources of SOURCE_DIRS) {
    for (const name of readdirSync(join(dir, sources), { recursive: true })) {
      newest = Math.max(newest, statSync(join(dir, sources, String(name))).mtimeMs);
    }
  }
  return newest;
}

/** 'current', 'missing' (never built) or 'stale' (a source changed since the build) for the project in `dir`. */
export function distStatus(dir = root) {
  const stamp = join(dir, 'dist', '.built');
  if (!existsSync(stamp)) return 'missing';
  // Sources absent (an install of the build output alone): nothing to be stale against.
  if (!existsSync(join(dir, 'src'))) return 'current';
  return statSync(stamp).mtimeMs >= newestSourceMs(dir) ? 'current' : 'stale';
}
