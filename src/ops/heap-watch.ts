import { getHeapStatistics } from 'node:v8';

/**
 * A warning in the log while the JavaScript heap nears its limit. The corpus
 * keeps every feed article it has ingested (~1.6 KB each with its index
 * entries), so a bot following many busy feeds for long grows toward the
 * limit `npm start` sets (1 GB), and past it the process stops with an
 * out-of-memory error, at every start-up too. The warning comes once per
 * crossing of WARN_SHARE of the limit, and again only after the heap has
 * fallen below REARM_SHARE (garbage comes and goes between collections).
 */

const WARN_SHARE = 0.8;
const REARM_SHARE = 0.7;
const CHECK_EVERY_MS = 60_000;

export interface HeapFigures {
  used: number;
  limit: number;
}

export type HeapLog = { warn(details: object, message: string): void };

const fromV8 = (): HeapFigures => {
  const stats = getHeapStatistics();
  return { used: stats.used_heap_size, limit: stats.heap_size_limit };
};

/** One check; true when it warned. */
export function createHeapCheck(log: HeapLog, figures: () => HeapFigures = fromV8): () => boolean {
  let warned = false;
  return () => {
    const { used, limit } = figures();
    const share = used / limit;
    if (warned) {
      if (share < REARM_SHARE) warned = false;
      return false;
    }
    if (share < WARN_SHARE) return false;
    warned = true;
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    log.warn(
      { heapUsedMb: mb(used), heapLimitMb: mb(limit) },
      `the heap holds ${mb(used)} MB of its ${mb(limit)} MB limit; past the limit the bot stops with an out-of-memory error. ` +
        `Raise it (node --max-old-space-size=${2 * mb(limit)} bin/armistice.mjs start); the corpus keeps every feed article it has ingested`,
    );
    return true;
  };
}

/** Checks every minute until the returned function is called. */
export function watchHeap(log: HeapLog): () => void {
  const check = createHeapCheck(log);
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
