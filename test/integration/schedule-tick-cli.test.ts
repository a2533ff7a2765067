import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEADER_LEASE } from '../../src/schedule/scheduler.ts';
import { tickCommand } from '../../src/schedule/tick-cli.ts';
import { createLease } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { makeTestServices } from '../support/services.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'armistice-tick-'));
const env = { STORE_URL: `sqlite://${join(dir, 'state.sqlite')}`, LOG_LEVEL: 'silent', DATA_DIR: join(import.meta.dirname, '..', '..', 'data') };

async function tick(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await tickCommand(argv, { stdout, stderr, env });
  return { code, out, err };
}

beforeAll(async () => {
  const services = await makeTestServices(env);
  const admin = (channel: string) => ({ user: { id: 'U1', isAdmin: true }, channel: { id: channel, platform: 'discord' as const, guildId: 'G1' } });
  await dispatchLine(services, '/subscribe digest:off timezone:America/New_York', admin('42'), new Date('2026-07-01T00:00:00Z'));
  await dispatchLine(services, '/subscribe digest:off timezone:Asia/Seoul', admin('43'), new Date('2026-07-01T00:00:00Z'));
  await services.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('armistice tick --at', () => {
  it('GIVEN --dry-run THEN it prints what is due and records nothing; without it, posts once', async () => {
    const dry = await tick('--at', '2026-07-27T09:00:00+09:00', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('[discord:43] == 73 years ago today (27 July 1953) ==');
    expect(dry.out).not.toContain('[discord:42]'); // 20:00 the evening before in New York
    expect(dry.out).toContain('1 post due at 2026-07-27T00:00:00.000Z (dry run: nothing recorded).');
    expect((await tick('--at', '2026-07-27T00:00:00Z', '--dry-run')).out).toContain('1 post due');

    const real = await tick('--at', '2026-07-27T00:00:00Z');
    expect(real.out).toContain('[discord:43] == 73 years ago today');
    expect((await tick('--at', '2026-07-27T00:05:00Z')).out).toBe('Nothing is due at 2026-07-27T00:05:00.000Z.\n');
    // New York's 09:00 comes thirteen hours later.
    expect((await tick('--at', '2026-07-27T13:00:00Z')).out).toMatch(/^\[discord:42\] == 73 years ago today[\s\S]*1 post due/);
  });

  it('GIVEN a bot leading on the same store THEN it records nothing and says so (exit 1); --dry-run still shows what is due', async () => {
    const store = await openStore(env.STORE_URL);
    const bot = createLease(store, LEADER_LEASE, 'bot-host:99:cafe0001');
    expect(await bot.acquire()).toBeDefined();
    try {
      const refused = await tick('--at', '2027-07-27T00:00:00Z');
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('a bot on this store is running (bot-host:99:cafe0001 leads)');
      expect(refused.err).toContain('Use --dry-run');
      expect(refused.out).toBe('');
      expect((await tick('--at', '2027-07-27T00:00:00Z', '--dry-run')).out).toContain('1 post due at 2027-07-27T00:00:00.000Z (dry run: nothing recorded).');
    } finally {
      await bot.release();
      await store.close();
    }
    // The bot gone, the same instant is still due: nothing was recorded.
    expect((await tick('--at', '2027-07-27T00:00:00Z')).out).toContain('[discord:43] == 74 years ago today');
  });

  it('refuses a missing or zone-less instant with exit code 2', async () => {
    for (const argv of [['--dry-run'], ['--at', '2026-07-27'], ['--at', '2026-07-27T09:00'], ['--at', 'tomorrow']]) {
      const result = await tick(...argv);
      expect(result.code).toBe(2);
      expect(result.err).toContain('Usage: armistice tick --at <ISO-8601 instant>');
    }
  });

  it('is wired into the armistice command line', async () => {
    const result = await runCli(['tick', '--at', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an ISO-8601 instant');
  });
});
