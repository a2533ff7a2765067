import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { freePort } from '../support/bot-process.ts';
import { startRedis, stopRedis } from '../support/private-redis.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * The store's change log on both backends, with two stores on one database
 * standing for two processes: entries in order from any position, a wait
 * that ends when an entry comes, and the two ways a position is lost (the
 * capped log dropped what came after it; the store was emptied).
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'armistice-change-log-'));
const prefixes: string[] = [];
const opened: Store[] = [];
afterAll(async () => {
  for (const store of opened) await store.close();
  for (const prefix of prefixes) await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
  rmSync(scratch, { recursive: true, force: true });
});

const backends = {
  redis: () => {
    const prefix = `test-changes-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    return { url: REDIS_URL, prefix };
  },
  sqlite: () => ({ url: `sqlite://${join(scratch, `${randomUUID()}.sqlite`)}`, prefix: 'armistice' }),
};

async function pair(kind: keyof typeof backends, changeLogMaxEntries?: number): Promise<[Store, Store]> {
  const { url, prefix } = backends[kind]();
  const stores = await Promise.all([openStore(url, { keyPrefix: prefix, changeLogMaxEntries }), openStore(url, { keyPrefix: prefix, changeLogMaxEntries })]);
  opened.push(...stores);
  return stores as [Store, Store];
}

describe.each(['redis', 'sqlite'] as const)('the change log on %s', (kind) => {
  it('GIVEN entries appended by one process THEN another reads them in order from its own position, and from a later position only what came after', async () => {
    const [writer, reader] = await pair(kind);
    const start = await reader.changes.head();
    await writer.changes.append('feed-article-batches', 'b1', 'writer');
    await writer.changes.append('knowledge-extracted', 'a1', 'writer');
    const first = await reader.changes.read(start, 1000);
    expect(first.lost).toBeUndefined();
    expect(first.changes.map((c) => [c.collection, c.key, c.by])).toEqual([
      ['feed-article-batches', 'b1', 'writer'],
      ['knowledge-extracted', 'a1', 'writer'],
    ]);
    expect(first.next).toBe(first.changes[1]!.position);
    await writer.changes.append('feed-article-batches', 'b2', 'writer');
    expect((await reader.changes.read(first.changes[0]!.position, 1000)).changes.map((c) => c.key)).toEqual(['a1', 'b2']);
    expect((await reader.changes.read(await reader.changes.head(), 0)).changes).toEqual([]);
  });

  it('GIVEN a reader waiting WHEN an entry is appended THEN the wait ends with it, well before the wait is over', async () => {
    const [writer, reader] = await pair(kind);
    const head = await reader.changes.head();
    const started = performance.now();
    const waiting = reader.changes.read(head, 5000);
    setImmediate(() => void writer.changes.append('knowledge-extracted', 'late', 'writer'));
    const batch = await waiting;
    expect(batch.changes.map((c) => c.key)).toEqual(['late']);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('GIVEN a reader waiting WHEN its store closes THEN the wait ends at once', async () => {
    const [, reader] = await pair(kind);
    const head = await reader.changes.head();
    const started = performance.now();
    const waiting = reader.changes.read(head, 5000).catch((error: unknown) => error);
    setTimeout(() => void reader.changes.close(), 50);
    await waiting;
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('GIVEN a position older than what the capped log keeps THEN the read says "trimmed" and where to go on from', async () => {
    const [writer, reader] = await pair(kind, 100);
    const old = await reader.changes.head();
    for (let i = 0; i < 1000; i++) await writer.changes.append('feed-article-batches', `b${i}`, 'writer');
    const batch = await reader.changes.read(old, 0);
    expect(batch).toMatchObject({ lost: 'trimmed', changes: [] });
    expect(batch.next).toBe(await reader.changes.head());
    expect((await reader.changes.read(batch.next, 0)).lost).toBeUndefined();
  });
});

describe('the change log on a Redis that is flushed', () => {
  it('GIVEN a position WHEN Redis is emptied (FLUSHALL) THEN the next read says "reset", and reading goes on in the new log', { timeout: 20_000 }, async () => {
    const port = await freePort();
    const server = await startRedis(port, scratch);
    try {
      const url = `redis://127.0.0.1:${port}`;
      const [writer, reader] = await Promise.all([openStore(url), openStore(url)]);
      opened.push(writer, reader);
      const position = await reader.changes.head();
      await writer.changes.append('feed-article-batches', 'before', 'writer');
      const { createClient } = await import('@keyv/redis');
      const admin = createClient({ url });
      await admin.connect();
      await admin.flushAll();
      await admin.close();
      await writer.changes.append('feed-article-batches', 'after', 'writer');
      const batch = await reader.changes.read(position, 0);
      expect(batch).toMatchObject({ lost: 'reset', changes: [] });
      await writer.changes.append('feed-article-batches', 'later', 'writer');
      expect((await reader.changes.read(batch.next, 1000)).changes.map((c) => c.key)).toEqual(['later']);
    } finally {
      await stopRedis(server);
    }
  });
});
