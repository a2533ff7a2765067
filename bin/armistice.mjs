#!/usr/bin/env node
// The `armistice` command. It runs the compiled JavaScript in dist/ when that
// build is current (`npm run build`; `npm start` builds first when needed):
// compiling TypeScript at every start costs ~0.5 s. Without a current build
// (never built, or a source changed since) it runs the sources through tsx's
// loader, silently: development and tests need no build step, and an edited
// source is never shadowed by an old build.
import { distStatus } from './dist.mjs';

const status = distStatus();
let cli;
if (status === 'current') {
  cli = await import('../dist/src/cli.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
process.exitCode = await cli.runAsProcess(process.argv.slice(2));
