#!/usr/bin/env node
// `npm run build`: compiles src/ and commands/ to dist/ with tsc
// (tsconfig.build.json), then stamps the build so bin/armistice.mjs knows it
// is current. With --if-stale (npm's prestart) it builds only when dist/ is
// missing or older than a source, so `npm install && npm start` works on a
// fresh clone and a second start costs nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { distStatus, root, stampFile } from './dist.mjs';

const ifStale = process.argv.includes('--if-stale');
if (ifStale) {
  const status = distStatus();
  if (status === 'current') process.exit(0);
  console.error(status === 'missing' ? 'armistice: building dist/ (first start)…' : 'armistice: sources changed since the last build; rebuilding dist/…');
}
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // Installed without devDependencies: a start still works, through tsx (a dependency), only slower.
  if (ifStale) {
    console.error('armistice: TypeScript is not installed, so dist/ cannot be built; running the sources through tsx');
    process.exit(0);
  }
  console.error('armistice: TypeScript is not installed (npm ci --omit=dev leaves it out); install the devDependencies to build');
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('armistice: the build failed (tsc above); dist/ was not updated');
  process.exit(result.status ?? 1);
}
// Files the compiled code reads beside itself (the dashboard's style sheet): tsc copies only what it compiles.
for (const dir of ['src', 'commands']) {
  cpSync(join(root, dir), join(root, 'dist', dir), { recursive: true, filter: (path) => !path.endsWith('.ts') });
}
// The knowledge files parsed ahead (src/knowledge/parsed-cache.ts says why), keyed by their text.
const { writeParsedYaml } = await import('../dist/src/knowledge/parsed-cache.js');
const { parseDocument } = await import('yaml');
const knowledge = join(root, 'data', 'knowledge');
for (const name of existsSync(knowledge) ? readdirSync(knowledge) : []) {
  if (!name.endsWith('.yaml')) continue;
  const text = readFileSync(join(knowledge, name), 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length === 0) writeParsedYaml(text, doc.toJS());
}
writeFileSync(stampFile, `${new Date().toISOString()}\n`);
