import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, WIRE_ITEMS, answersWithin, instanceGroup, startWire } from '../support/instances.ts';

/**
 * Two real bot processes on one SQLite file: the change log is a table both
 * poll, and what the leader ingests reaches the other within 2 s.
 */

const dir = mkdtempSync(join(tmpdir(), 'armistice-instances-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two instances on one SQLite file', () => {
  it('GIVEN a leader and a follower on one file WHEN the leader ingests a feed THEN the follower answers /news and /whois with it within 2 s', { timeout: 120_000 }, async () => {
    const { server, publish } = await startWire();
    const group = await instanceGroup();
    const env = { STORE_URL: `sqlite://${join(dir, 'shared.sqlite')}`, FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '3000' };
    const leader = await group.start('leader', env);
    await leader.bot.waitForLog('lease: elected leader');
    const follower = await group.start('follower', env);

    expect(await leader.ask('/feeds', `add ${server.url('/wire.xml')}`, ADMIN)).toContain('Peninsula Wire');
    expect(await answersWithin(follower, '/news', 'quiet week', WIRE_ITEMS.quiet.title, 2000)).toBeLessThan(2000);

    publish([WIRE_ITEMS.sanctions, WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/2 new/);
    expect(await answersWithin(follower, '/whois', 'Sung Kim', 'extracted, unreviewed', 2000)).toBeLessThan(2000);
    expect(await answersWithin(follower, '/whois', 'Lindsey Ford', 'extracted, unreviewed', 2000)).toBeLessThan(2000);
    expect(await follower.ask('/news', 'sanctions review')).toContain(WIRE_ITEMS.sanctions.title);
    for (const instance of [leader, follower]) expect(instance.bot.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});
