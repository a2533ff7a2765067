import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node flags `npm start` runs the bot with (package.json's start
 * script), so that the benchmarks measure the bot's process as it runs: the
 * heap limit there changes how much garbage V8 keeps around, hence RSS.
 */
export const BOT_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));
