import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

/** `armistice ask --channel`: every channel named is its own; an ambiguous bare id is refused. */
describe('armistice ask --channel', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'armistice-channel-'));
    env = { STORE_URL: `sqlite://${join(dir, 'state.sqlite')}` };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ask = (line: string, ...flags: string[]) => runCli(['ask', line, '--json', ...flags], { env });

  it('GIVEN two channel names WHEN each subscribes THEN both subscriptions exist, each with its own settings', async () => {
    expect((await ask('/subscribe time:08:00', '--admin', '--channel', 'seoul-room')).code).toBe(0);
    expect((await ask('/subscribe time:21:30', '--admin', '--channel', 'ny-room')).code).toBe(0);

    const all = JSON.parse((await ask('/subscriptions all:true', '--admin')).stdout);
    expect(all.title).toBe('2 subscribed channels');
    const listed = JSON.stringify(all.items);
    expect(listed).toContain('console:seoul-room');
    expect(listed).toContain('console:ny-room');

    const seoul = JSON.stringify(JSON.parse((await ask('/subscriptions', '--channel', 'seoul-room')).stdout));
    const ny = JSON.stringify(JSON.parse((await ask('/subscriptions', '--channel', 'ny-room')).stdout));
    expect(seoul).toContain('08:00');
    expect(ny).toContain('21:30');
    // The terminal itself (no --channel) was never subscribed.
    expect(JSON.parse((await ask('/subscriptions')).stdout).title).toBe('This channel has no subscription');
  });

  it('GIVEN platform-qualified channels THEN they are taken as written and kept apart', async () => {
    expect((await ask('/subscribe', '--admin', '--channel', 'discord:123456789012345678')).code).toBe(0);
    expect((await ask('/subscribe', '--admin', '--channel', 'slack:C0123ABCD')).code).toBe(0);
    const listed = JSON.stringify(JSON.parse((await ask('/subscriptions all:true', '--admin')).stdout).items);
    expect(listed).toContain('discord:123456789012345678');
    expect(listed).toContain('slack:C0123ABCD');
  });

  it('GIVEN a bare id, an unknown platform or a malformed id THEN it is refused with how to write it, exit 2, nothing saved', async () => {
    const bare = await ask('/subscribe', '--admin', '--channel', '123456789012345678');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('discord:123456789012345678 or slack:123456789012345678');
    const slackish = await ask('/subscribe', '--admin', '--channel', 'C0123ABCD');
    expect(slackish.code).toBe(2);
    expect(slackish.stderr).toContain('slack:C0123ABCD');
    const teams = await ask('/subscribe', '--admin', '--channel', 'teams:general');
    expect(teams.code).toBe(2);
    expect(teams.stderr).toContain('discord:<channel id>, slack:<channel id> or console:<name>');
    const wrongId = await ask('/subscribe', '--admin', '--channel', 'discord:general');
    expect(wrongId.code).toBe(2);
    expect(wrongId.stderr).toContain('for example discord:1234567890123456789');
    expect(JSON.parse((await ask('/subscriptions all:true', '--admin')).stdout).title).toBe('No subscribed channels');
  });
});
