import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, WIRE_ITEMS, answersWithin, instanceGroup, startWire } from '../support/instances.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * Three real bot processes on one Redis (the test's own key prefix): what
 * the leader ingests from a feed — the articles (corpus and search index)
 * and what the extractor found in them — reaches the other two within 2 s,
 * and a process started later answers as the others do.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-instances-${randomUUID().slice(0, 8)}`;
afterAll(() => deleteRedisKeys(REDIS_URL, `${prefix}:*`));

describe('several instances on one Redis', () => {
  it('GIVEN a leader and a follower WHEN the leader ingests a feed THEN the follower answers /news and /whois with it within 2 s; a third process started later answers the same, and sees the next article too', { timeout: 120_000 }, async () => {
    const { server, publish } = await startWire();
    const group = await instanceGroup();
    const env = { STORE_URL: REDIS_URL, STORE_KEY_PREFIX: prefix, FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '3000' };
    const leader = await group.start('leader', env);
    await leader.bot.waitForLog('lease: elected leader');
    const follower = await group.start('follower', env);

    // A baseline (the feed's current items, searchable, never posted) added on the leader.
    expect(await leader.ask('/feeds', `add ${server.url('/wire.xml')}`, ADMIN)).toContain('Peninsula Wire');
    expect(await answersWithin(follower, '/news', 'quiet week', WIRE_ITEMS.quiet.title, 2000)).toBeLessThan(2000);

    // A new article, fetched by the leader: mined for people and events there.
    publish([WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    expect(await leader.ask('/whois', 'Sung Kim')).toContain('extracted, unreviewed');
    expect(await answersWithin(follower, '/news', 'end-of-war declaration', WIRE_ITEMS.envoy.title, 2000)).toBeLessThan(2000);
    expect(await answersWithin(follower, '/whois', 'Sung Kim', 'extracted, unreviewed', 2000)).toBeLessThan(2000);

    // Feeds, subscriptions and review decisions are read through the store at each use: the follower sees them at once.
    expect(await follower.ask('/feeds', 'list')).toContain('Peninsula Wire');
    expect(await leader.ask('/subscribe', 'digest:daily', ADMIN)).not.toContain('⚠');
    expect(await follower.ask('/subscriptions')).toContain('This channel’s subscription');
    const review = await leader.ask('/review', '', ADMIN);
    const sungKim = /reject:(x-[a-z0-9-]*sung[a-z0-9-]*)/.exec(review)?.[1];
    expect(sungKim, review).toBeDefined();
    expect(await leader.ask('/review', `reject:${sungKim}`, ADMIN)).not.toContain('⚠');
    expect(await follower.ask('/whois', 'Sung Kim')).not.toContain('extracted, unreviewed');
    expect(await leader.ask('/whois', 'Sung Kim')).toBe(await follower.ask('/whois', 'Sung Kim'));

    // Started after all that: it loads what the store holds, and answers as the others do.
    const late = await group.start('late', env);
    for (const [command, text] of [['/whois', 'Sung Kim'], ['/whois', 'Stimson Center'], ['/news', 'end-of-war declaration'], ['/news', 'quiet week'], ['/subscriptions', '']] as const) {
      expect(await late.ask(command, text)).toBe(await follower.ask(command, text));
    }

    // And the next article reaches all three.
    publish([WIRE_ITEMS.sanctions, WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    for (const instance of [follower, late]) {
      expect(await answersWithin(instance, '/whois', 'Lindsey Ford', 'extracted, unreviewed', 2000)).toBeLessThan(2000);
      expect(await answersWithin(instance, '/news', 'sanctions review', WIRE_ITEMS.sanctions.title, 2000)).toBeLessThan(2000);
    }
    for (const instance of [leader, follower, late]) expect(instance.bot.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});
