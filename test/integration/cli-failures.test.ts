import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, runNode, type CliRun } from '../support/cli.ts';

/**
 * No raw stacks for operators: every subcommand whose dependency fails ends
 * with one line saying what failed and how to fix it, exit 1; the stack goes
 * to the debug log only.
 */

const STACK_LINE = /^\s+at /m;
/** The lines a person reads: pino's JSON log lines left out. */
const plainLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));

function expectOneLine(run: CliRun, command: string, ...words: string[]) {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(STACK_LINE);
  const lines = plainLines(run.stderr);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^armistice ${command}: `));
  for (const word of words) expect(lines[0]).toContain(word);
}

let dir: string;
let closedPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'armistice-failures-'));
  writeFileSync(join(dir, 'a-file'), '');
  // A loopback port nothing listens on: taken, then let go.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const storeCommands: Array<[string, string[]]> = [
  ['start', ['start']],
  ['ask', ['ask', '/news']],
  ['poll', ['poll', '--once']],
  ['poll', ['poll', '--all']],
  ['tick', ['tick', '--at', '2026-07-27T00:00:00Z', '--dry-run']],
];

describe('GIVEN the store is unreachable (Redis on a closed port)', () => {
  it.each(storeCommands)('WHEN `%s` runs THEN one line names the store and STORE_URL, exit 1, no stack', async (command, args) => {
    const run = await runCli(args, { env: { STORE_URL: `redis://127.0.0.1:${closedPort}` } });
    expectOneLine(run, command, `redis://127.0.0.1:${closedPort}`, 'not reachable', 'check STORE_URL');
  });
});

describe('GIVEN a SQLite path that cannot be created (a file where its folder should be)', () => {
  it.each(storeCommands)('WHEN `%s` runs THEN one line names the database file and says how to fix it', async (command, args) => {
    const run = await runCli(args, { env: { STORE_URL: `sqlite://${join(dir, 'a-file', 'state.sqlite')}` } });
    expectOneLine(run, command, `${join(dir, 'a-file', 'state.sqlite')}`, 'check STORE_URL', 'writable');
  });
});

describe('GIVEN Discord’s REST API is unreachable', () => {
  it('WHEN deploy-commands runs THEN one line says which address could not be reached and what to check', async () => {
    const run = await runCli(['deploy-commands'], {
      env: { DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: '1234567890123', DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api` },
    });
    expectOneLine(run, 'deploy-commands', `cannot reach 127.0.0.1:${closedPort}: connection refused`, 'DISCORD_API_URL');
    expect(run.stderr).not.toContain('test-token');
  });
});

describe('GIVEN a broken data folder', () => {
  it('WHEN check-data runs THEN it lists what is wrong where, exit 1, no stack', async () => {
    const run = await runCli(['check-data'], { env: { DATA_DIR: join(dir, 'a-file') } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${join(dir, 'a-file', 'corpus', 'articles.yaml')}: the corpus metadata file cannot be read`);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('GIVEN LOG_LEVEL=debug', () => {
  it('THEN the stack is in the debug log (one JSON line), still never as raw lines, and the one line follows', async () => {
    const run = await runCli(['ask', '/news'], { env: { STORE_URL: `redis://127.0.0.1:${closedPort}`, LOG_LEVEL: 'debug' } });
    expectOneLine(run, 'ask', 'check STORE_URL');
    const debug = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; err?: { stack?: string } })
      .find((entry) => entry.msg === 'armistice command failed');
    expect(debug?.err?.stack).toMatch(/StoreError: .*\n\s+at /);
  });
});

/** Runs the guarded fixture process. */
function runGuarded(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runNode([join(projectRoot, 'test', 'fixtures', 'process', 'guarded.mjs'), ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env } });
}

const logEntries = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { level: number; msg: string; problem?: string; err?: { stack?: string } });

describe('GIVEN a running bot process', () => {
  it('WHEN a promise nobody awaited rejects THEN one error line is logged (no stack) and the process goes on', async () => {
    const run = await runGuarded([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('still running\n');
    expect(run.stderr).not.toMatch(STACK_LINE);
    const entries = logEntries(run.stderr);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 50, problem: expect.stringContaining('the digest job lost its channel') });
    expect(JSON.stringify(entries[0])).not.toContain('"stack"');
  });

  it('WHEN an exception nothing catches is thrown THEN it is logged in one line and the process exits 1; the stack only at debug', async () => {
    const run = await runGuarded(['throw']);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_LINE);
    const fatal = logEntries(run.stderr).filter((e) => e.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.problem).toContain('cannot read properties of undefined');
    expect(run.stderr).not.toContain('"stack"');

    const debug = await runGuarded(['throw'], { LOG_LEVEL: 'debug' });
    expect(debug.code).toBe(1);
    expect(debug.stderr).not.toMatch(STACK_LINE);
    const stacks = logEntries(debug.stderr).filter((e) => e.level === 20).map((e) => e.err?.stack ?? '');
    expect(stacks.some((s) => s.startsWith('TypeError: cannot read properties'))).toBe(true);
  });
});
