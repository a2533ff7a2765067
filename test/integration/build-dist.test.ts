import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runNode } from '../support/cli.ts';
import { distStatus } from '../../bin/dist.mjs';

/**
 * `npm run build` and the shipped path, in a copy of the project (so the
 * worktree's own dist/ is left alone): the build compiles, the bin runs the
 * compiled JavaScript while it is current, and once the sources are gone it
 * still answers — proof that dist/ alone ran, with data/ found from the
 * working directory.
 */
const copy = await mkdtemp(join(tmpdir(), 'armistice-build-'));
afterAll(() => rm(copy, { recursive: true, force: true }));

describe('npm run build: the bot as a compiled Node service', () => {
  it('GIVEN a copy of the project WHEN built THEN the bin runs dist/, a touched source makes it stale, and without sources dist/ still answers', { timeout: 240_000 }, async () => {
    for (const part of ['bin', 'src', 'commands', 'data', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      await cp(join(projectRoot, part), join(copy, part), { recursive: true });
    }
    await symlink(join(projectRoot, 'node_modules'), join(copy, 'node_modules'));
    expect(distStatus(copy)).toBe('missing');

    const build = await runNode([join('bin', 'build.mjs'), '--if-stale'], { cwd: copy });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toContain('building dist/ (first start)');
    expect(distStatus(copy)).toBe('current');

    // An edited source (mtime after the build) is never shadowed by the old build.
    const later = new Date(Date.now() + 60_000);
    await utimes(join(copy, 'src', 'cli.ts'), later, later);
    expect(distStatus(copy)).toBe('stale');
    const rebuild = await runNode([join('bin', 'build.mjs'), '--if-stale'], { cwd: copy });
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stderr).toContain('sources changed since the last build');
    const earlier = new Date(Date.now() - 3_600_000);
    await utimes(join(copy, 'src', 'cli.ts'), earlier, earlier);
    expect(distStatus(copy)).toBe('current');

    await rm(join(copy, 'src'), { recursive: true });
    await rm(join(copy, 'commands'), { recursive: true });
    const answer = await runNode([join('bin', 'armistice.mjs'), 'ask', '/whois Moon Jae-in'], { cwd: copy });
    expect(answer.code, answer.stderr).toBe(0);
    expect(answer.stdout).toContain('Moon Jae-in');
    expect(answer.stdout).toContain("South Korea's president");
    // What only a platform start loads is there too: the dashboard reads its style sheet beside its compiled code.
    const dashboard = await runNode(['--input-type=module', '-e', "await import('./dist/src/dashboard/app.js')"], { cwd: copy });
    expect(dashboard.code, dashboard.stderr).toBe(0);

    // The knowledge files are read from the build's parsed copy only while they are unchanged: an edit is seen at once.
    const entities = join(copy, 'data', 'knowledge', 'entities.yaml');
    await writeFile(entities, (await readFile(entities, 'utf8')).replace("South Korea's president", "South Korea's twelfth president"));
    const edited = await runNode([join('bin', 'armistice.mjs'), 'ask', '/whois Moon Jae-in'], { cwd: copy });
    expect(edited.stdout).toContain("South Korea's twelfth president");
  });
});

describe('npm start without TypeScript installed (npm ci --omit=dev)', () => {
  it('GIVEN no dist/ and no typescript package THEN the prestart build says why it cannot build and lets the start go on, through tsx', { timeout: 60_000 }, async () => {
    const bare = await mkdtemp(join(tmpdir(), 'armistice-no-ts-'));
    try {
      for (const part of ['bin', 'src', 'commands', 'data', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
        await cp(join(projectRoot, part), join(bare, part), { recursive: true });
      }
      // Every installed package but typescript.
      await mkdir(join(bare, 'node_modules'));
      for (const name of await readdir(join(projectRoot, 'node_modules'))) {
        if (name !== 'typescript') await symlink(join(projectRoot, 'node_modules', name), join(bare, 'node_modules', name));
      }
      const build = await runNode([join('bin', 'build.mjs'), '--if-stale'], { cwd: bare });
      expect(build.code).toBe(0);
      expect(build.stderr).toContain('TypeScript is not installed, so dist/ cannot be built; running the sources through tsx');
      expect((await runNode([join('bin', 'build.mjs')], { cwd: bare })).code).toBe(1);
      const answer = await runNode([join('bin', 'armistice.mjs'), 'ask', '/whois Moon Jae-in'], { cwd: bare });
      expect(answer.code, answer.stderr).toBe(0);
      expect(answer.stdout).toContain("South Korea's president");
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('dist status of a project that was never built', () => {
  it('GIVEN no dist/ THEN it is missing and the bin falls back to the sources (tests run this way)', () => {
    expect(distStatus(join(copy, 'nowhere'))).toBe('missing');
  });
});
