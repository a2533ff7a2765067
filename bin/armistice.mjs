#!/usr/bin/env node
// The `armistice` command. The sources are TypeScript run through tsx's
// loader, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runAsProcess } = await import('../src/cli.ts');
process.exitCode = await runAsProcess(process.argv.slice(2));
