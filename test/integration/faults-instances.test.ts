import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@keyv/redis';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../support/bot-process.ts';
import { ADMIN, WIRE_ITEMS, answersWithin, instanceGroup, startWire } from '../support/instances.ts';
import { startRedis, stopRedis } from '../support/private-redis.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

/**
 * Instances on one Redis when things go wrong: a follower cut off from
 * Redis for 10 s (a TCP proxy between them) or paused (SIGSTOP) while
 * articles arrive catches up by itself when it is back; a Redis emptied
 * (FLUSHALL) under running instances crashes nothing, is said once in the
 * log of each, what they hold is written back, and the change log works
 * again at once.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'armistice-faults-instances-'));
const prefix = `test-faults-instances-${randomUUID().slice(0, 8)}`;
afterAll(async () => {
  await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
  rmSync(scratch, { recursive: true, force: true });
});

const errors = (lines: Array<Record<string, unknown>>) => lines.filter((l) => Number(l.level) >= 50);

describe('instances on Redis, under faults', () => {
  it('GIVEN a follower cut off from Redis for 10 s while two articles arrive THEN it catches up by itself when Redis is back; paused while a third arrives, it catches up when resumed', { timeout: 120_000 }, async () => {
    const feed = await startWire();
    const proxy = await startTcpProxy(6379);
    onTestFinished(() => proxy.close());
    const group = await instanceGroup();
    const env = { STORE_KEY_PREFIX: prefix, FEED_ALLOWED_HOSTS: feed.server.hostPort, FEED_TIMEOUT_MS: '3000' };
    const leader = await group.start('leader', { ...env, STORE_URL: REDIS_URL });
    await leader.bot.waitForLog('lease: elected leader');
    const follower = await group.start('follower', { ...env, STORE_URL: `redis://127.0.0.1:${proxy.port}` });
    expect(await leader.ask('/feeds', `add ${feed.server.url('/wire.xml')}`, ADMIN)).toContain('Peninsula Wire');
    await answersWithin(follower, '/news', 'quiet week', WIRE_ITEMS.quiet.title, 2000);

    proxy.cut();
    const cutAt = performance.now();
    await follower.bot.waitForLog('change log: cannot read the store');
    feed.publish([WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    feed.publish([WIRE_ITEMS.sanctions, WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    // The outage lasts its 10 s whatever happens meanwhile.
    await sleep(10_000 - (performance.now() - cutAt));
    expect(await follower.ask('/news', 'end-of-war declaration')).not.toContain(WIRE_ITEMS.envoy.title);

    proxy.restore();
    await follower.bot.waitForLog('change log: reachable again', 10_000);
    for (const [command, text, expected] of [
      ['/news', 'end-of-war declaration', WIRE_ITEMS.envoy.title],
      ['/news', 'sanctions review', WIRE_ITEMS.sanctions.title],
      ['/whois', 'Sung Kim', 'extracted, unreviewed'],
      ['/whois', 'Lindsey Ford', 'extracted, unreviewed'],
    ] as const) {
      expect(await answersWithin(follower, command, text, expected, 2000)).toBeLessThan(2000);
    }
    // Said once when it began and once when it ended, not once per retry.
    expect(follower.bot.lines.filter((l) => String(l.msg).startsWith('change log: cannot read'))).toHaveLength(1);

    follower.bot.child.kill('SIGSTOP');
    feed.publish([WIRE_ITEMS.liaison, WIRE_ITEMS.sanctions, WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    follower.bot.child.kill('SIGCONT');
    expect(await answersWithin(follower, '/news', 'Kaesong liaison', WIRE_ITEMS.liaison.title, 3000)).toBeLessThan(3000);
    expect(errors(follower.bot.lines)).toEqual([]);
    expect(errors(leader.bot.lines)).toEqual([]);
  });

  it('GIVEN two instances WHEN their Redis is flushed THEN neither crashes, each says so in one line, they keep answering what they held and write it back (a process started later answers the same), and what is added after reaches all', { timeout: 120_000 }, async () => {
    const feed = await startWire();
    const port = await freePort();
    const redis = await startRedis(port, scratch);
    onTestFinished(() => stopRedis(redis));
    const url = `redis://127.0.0.1:${port}`;
    const group = await instanceGroup();
    const env = { STORE_URL: url, FEED_ALLOWED_HOSTS: feed.server.hostPort, FEED_TIMEOUT_MS: '3000' };
    const leader = await group.start('leader', env);
    await leader.bot.waitForLog('lease: elected leader');
    const follower = await group.start('follower', env);
    expect(await leader.ask('/feeds', `add ${feed.server.url('/wire.xml')}`, ADMIN)).toContain('Peninsula Wire');
    feed.publish([WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', 'refresh', ADMIN)).toMatch(/1 new/);
    await answersWithin(follower, '/whois', 'Sung Kim', 'extracted, unreviewed', 2000);

    const admin = createClient({ url });
    await admin.connect();
    await admin.flushAll();
    await admin.close();
    for (const instance of [leader, follower]) {
      const line = await instance.bot.waitForLog('change log: the store was emptied under this instance', 5000);
      expect(line.level).toBe(40);
    }
    // What they held is still answered; what the store held is gone, so nothing is polled or posted again.
    for (const instance of [leader, follower]) {
      expect(await instance.ask('/whois', 'Sung Kim')).toContain('extracted, unreviewed');
      expect(await instance.ask('/news', 'end-of-war declaration')).toContain(WIRE_ITEMS.envoy.title);
      expect(await instance.ask('/feeds', 'list')).toContain('No feeds yet');
    }
    // One of them wrote back what they hold: a process started now answers as they do.
    const late = await group.start('late', env);
    for (const [command, text] of [['/whois', 'Sung Kim'], ['/news', 'end-of-war declaration']] as const) {
      expect(await late.ask(command, text)).toBe(await follower.ask(command, text));
    }

    // The feed added again after the flush: its items are a baseline (never posted), and it reaches the other instance.
    feed.publish([WIRE_ITEMS.liaison, WIRE_ITEMS.envoy, WIRE_ITEMS.quiet]);
    expect(await leader.ask('/feeds', `add ${feed.server.url('/wire.xml')}`, ADMIN)).toContain('Peninsula Wire');
    expect(await answersWithin(follower, '/news', 'Kaesong liaison', WIRE_ITEMS.liaison.title, 2000)).toBeLessThan(2000);
    expect(group.double.callsTo('chat.postMessage')).toEqual([]);
    expect(await answersWithin(late, '/news', 'Kaesong liaison', WIRE_ITEMS.liaison.title, 2000)).toBeLessThan(2000);
    for (const instance of [leader, follower]) {
      expect(instance.bot.child.exitCode).toBeNull();
      expect(instance.bot.lines.filter((l) => String(l.msg).includes('store was emptied'))).toHaveLength(1);
      expect(errors(instance.bot.lines)).toEqual([]);
    }
  });
});
