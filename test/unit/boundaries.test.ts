import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The import boundaries of DESIGN.md, checked on every file. */
const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

const all = [...sourceFiles('src'), ...sourceFiles('commands')];
const CHAT_SDKS = /^(discord\.js|@discordjs\/|@slack\/)/;
const STORE_LIBS = /^(keyv|@keyv\/|better-sqlite3|redis|@redis\/|ioredis)/;

describe('import boundaries', () => {
  it('only src/platform touches a chat SDK', () => {
    const offenders = all.filter((f) => !f.startsWith(join('src', 'platform')) && importsOf(f).some((i) => CHAT_SDKS.test(i)));
    expect(offenders).toEqual([]);
  });

  it('only src/store touches keyv and the database clients', () => {
    const offenders = all.filter((f) => !f.startsWith(join('src', 'store')) && importsOf(f).some((i) => STORE_LIBS.test(i)));
    expect(offenders).toEqual([]);
  });

  it('only src/config.ts reads the environment', () => {
    const offenders = all.filter((f) => f !== join('src', 'config.ts') && /process\.env\b/.test(readFileSync(join(root, f), 'utf8')))
      // The CLI hands process.env to readConfig as a default argument and nothing else.
      .filter((f) => f !== join('src', 'cli.ts'));
    expect(offenders).toEqual([]);
  });

  it('commands, core, knowledge, feeds, schedule and reply never import a platform adapter', () => {
    const guarded = all.filter((f) => /^(commands|src\/(core|knowledge|feeds|schedule|reply))\//.test(f.split('\\').join('/')));
    const offenders = guarded.filter((f) => importsOf(f).some((i) => i.includes('/platform/')));
    expect(offenders).toEqual([]);
  });

  it('src/feeds fetch/, parse/ and seen/ import no other feeds folder, and of src/feeds/ only failure.ts', () => {
    // Each can then be read, tested and replaced alone; poll/ and the top-level glue put them together.
    const feeds = join('src', 'feeds');
    const leaves = ['fetch', 'parse', 'seen'].map((dir) => join(feeds, dir));
    const offenders = all
      .filter((f) => leaves.some((dir) => f.startsWith(dir + sep)))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.startsWith('.'))
          .map((i) => relative(root, resolve(root, dirname(f), i)))
          .filter((target) => target.startsWith(feeds + sep) && !target.startsWith(dirname(f) + sep) && target !== join(feeds, 'failure.ts'))
          .map((target) => `${f} imports ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no source file grows past 400 lines', () => {
    const long = all.filter((f) => readFileSync(join(root, f), 'utf8').split('\n').length > 400).map((f) => relative('.', f));
    expect(long).toEqual([]);
  });
});
