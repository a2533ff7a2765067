/**
 * A worker entry that loads a TypeScript module through tsx, as
 * bin/run-ts.mjs does for the main thread: `new Worker(tsWorkerUrl(import.meta.url), ...)`.
 * Benchmarks run their test doubles in a worker, as the real service runs
 * elsewhere, so the bot's thread carries only the bot's work.
 */
export function tsWorkerUrl(module: string): URL {
  const source = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(module)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}
