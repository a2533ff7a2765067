import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { StoreError, type Store } from '../../src/store/store.ts';

/**
 * One repository suite, run against a real SQLite file and a real Redis
 * (127.0.0.1:6379, keys under a random prefix, removed afterwards).
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'armistice-store-'));

const backends = [
  { name: 'SQLite', url: `sqlite://${join(scratch, 'state', 'armistice.sqlite')}` },
  { name: 'Redis', url: 'redis://127.0.0.1:6379' },
];

/** A second bot process: opens the store, waits for "go" on stdin, writes or claims, prints JSON, exits. */
const CHILD_SCRIPT = `
import { createInterface } from 'node:readline';
import { openStore } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src', 'store', 'open.ts')).href)};
const [url, keyPrefix, collection, mode, payload] = process.argv.slice(2);
const store = await openStore(url, { keyPrefix });
const items = store.collection(collection);
await store.ping();
console.log('ready');
await new Promise((go) => createInterface({ input: process.stdin }).once('line', go));
let result = null;
if (mode === 'write') {
  for (const [id, value, ttl] of JSON.parse(payload)) await items.set(id, value, ttl ?? undefined);
} else {
  const { ids, me } = JSON.parse(payload);
  const won = await Promise.all(ids.map((id) => items.setIfAbsent(id, { claimedBy: me })));
  result = ids.filter((_, i) => won[i]);
}
await store.close();
console.log(JSON.stringify(result));
process.exit(0);
`;
const childScript = join(scratch, 'store-child.mts');
writeFileSync(childScript, CHILD_SCRIPT);

interface Child {
  /** Resolves once the child has opened the store. */
  ready: Promise<void>;
  go(): void;
  /** The JSON the child printed last, once it has exited with status 0. */
  done: Promise<unknown>;
}

function startChild(url: string, keyPrefix: string, collection: string, mode: 'write' | 'claim', payload: unknown): Child {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', childScript, url, keyPrefix, collection, mode, JSON.stringify(payload)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines: string[] = [];
  let onReady: () => void;
  const ready = new Promise<void>((resolveReady) => (onReady = resolveReady));
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') onReady();
    else lines.push(line);
  });
  const done = new Promise<unknown>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolveDone(JSON.parse(lines.at(-1) ?? 'null'));
      else reject(new Error(`child exited with ${status}: ${stderr}`));
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.end('go\n'), done };
}

/** Waits until `ms` after `since`, for TTLs to run out without sleeping longer than needed. */
async function waitUntilPast(since: number, ms: number): Promise<void> {
  const left = since + ms + 15 - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(backends)('the $name store', ({ url }) => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
  const used = new Set<string>();
  let store: Store;
  /** A fresh collection name per test, remembered for the clean-up. */
  const fresh = (label: string) => {
    const name = `${label}-${used.size}`;
    used.add(name);
    return name;
  };

  beforeAll(async () => {
    store = await openStore(url, { keyPrefix });
  });

  afterAll(async () => {
    const cleaner = await openStore(url, { keyPrefix });
    for (const name of used) {
      const collection = cleaner.collection(name);
      for (const [id] of await collection.list()) await collection.delete(id);
      expect(await collection.list()).toEqual([]);
    }
    await cleaner.close();
    await store.close();
  });

  it('reads back what was written, as JSON values, and nothing for an unknown id', async () => {
    const items = store.collection<unknown>(fresh('values'));
    const values: Array<[string, unknown]> = [
      ['object', { title: 'Panmunjom Declaration', year: 2018, tags: ['summit'], nested: { ok: true } }],
      ['string', '한반도 평화'],
      ['colon-string', ':looks:like:a:prefix'],
      ['number', 1953],
      ['null', null],
      ['id:with:colons', [1, 2, 3]],
    ];
    for (const [id, value] of values) await items.set(id, value);
    for (const [id, value] of values) expect(await items.get(id)).toEqual(value);
    expect(await items.get('never-written')).toBeUndefined();
  });

  it('overwrites on set, forgets on delete, and says whether there was something to delete', async () => {
    const items = store.collection<{ n: number }>(fresh('overwrite'));
    await items.set('a', { n: 1 });
    await items.set('a', { n: 2 });
    expect(await items.get('a')).toEqual({ n: 2 });
    expect(await items.delete('a')).toBe(true);
    expect(await items.get('a')).toBeUndefined();
    expect(await items.delete('a')).toBe(false);
  });

  it('lists every live entry of one collection and none of another', async () => {
    const feeds = store.collection<{ i: number }>(fresh('list'));
    const other = store.collection<string>(fresh('list-other'));
    // More than one page of the SQLite iterator and of a Redis SCAN.
    const ids = Array.from({ length: 1203 }, (_, i) => `item:${i}`);
    await Promise.all(ids.map((id, i) => feeds.set(id, { i })));
    await other.set('elsewhere', 'not in the first list');
    await feeds.delete('item:7');

    const listed = await feeds.list();
    expect(listed).toHaveLength(1202);
    expect(new Map(listed).get('item:1202')).toEqual({ i: 1202 });
    expect(listed.map(([id]) => id).sort()).toEqual(ids.filter((id) => id !== 'item:7').sort());
    expect(await other.list()).toEqual([['elsewhere', 'not in the first list']]);

    // The same entries a page at a time, for a collection too large to list at once.
    const streamed: Array<[string, { i: number }]> = [];
    for await (const entry of feeds.entries()) streamed.push(entry);
    expect(streamed.sort(([a], [b]) => a.localeCompare(b))).toEqual(listed.sort(([a], [b]) => a.localeCompare(b)));
  });

  it('forgets entries whose TTL has run out, in get, list, delete and setIfAbsent', async () => {
    const seen = store.collection<boolean>(fresh('ttl'));
    const start = Date.now();
    await seen.set('short', true, 150);
    await seen.set('long', true, 60_000);
    await seen.set('forever', true);
    expect(await seen.get('short')).toBe(true);

    await waitUntilPast(start, 150);
    expect(await seen.get('short')).toBeUndefined();
    expect((await seen.list()).map(([id]) => id).sort()).toEqual(['forever', 'long']);
    expect(await seen.delete('short')).toBe(false);
    expect(await seen.setIfAbsent('short', false)).toBe(true);
    expect(await seen.get('short')).toBe(false);
  });

  it('setIfAbsent writes only the first time, in a form get reads back', async () => {
    const ledger = store.collection<{ postId: string }>(fresh('ledger'));
    expect(await ledger.setIfAbsent('digest:2026-07-27', { postId: 'first' })).toBe(true);
    expect(await ledger.setIfAbsent('digest:2026-07-27', { postId: 'second' })).toBe(false);
    expect(await ledger.get('digest:2026-07-27')).toEqual({ postId: 'first' });

    await ledger.set('plain', { postId: 'set' });
    expect(await ledger.setIfAbsent('plain', { postId: 'late' })).toBe(false);
    expect(await ledger.list()).toHaveLength(2);

    const start = Date.now();
    expect(await ledger.setIfAbsent('lease', { postId: 'a' }, 150)).toBe(true);
    expect(await ledger.setIfAbsent('lease', { postId: 'b' }, 150)).toBe(false);
    await waitUntilPast(start, 150);
    expect(await ledger.setIfAbsent('lease', { postId: 'c' }, 150)).toBe(true);
    expect(await ledger.get('lease')).toEqual({ postId: 'c' });
  });

  it('gives exactly one winner among many concurrent setIfAbsent callers on two connections', async () => {
    const name = fresh('race');
    const second = await openStore(url, { keyPrefix });
    try {
      const calls = Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? second : store).collection<{ caller: number }>(name).setIfAbsent('post:1', { caller: i }),
      );
      const results = await Promise.all(calls);
      const winners = results.flatMap((won, caller) => (won ? [caller] : []));
      expect(winners).toHaveLength(1);
      expect(await store.collection(name).get('post:1')).toEqual({ caller: winners[0] });
    } finally {
      await second.close();
    }
  });

  it('gives every id exactly one owner when three processes claim the same ids at once', async () => {
    const name = fresh('claims');
    const ids = Array.from({ length: 40 }, (_, i) => `item-${i}`);
    const children = ['p1', 'p2', 'p3'].map((me) => startChild(url, keyPrefix, name, 'claim', { ids, me }));
    await Promise.all(children.map((c) => c.ready));
    for (const child of children) child.go();
    const won = (await Promise.all(children.map((c) => c.done))) as string[][];

    expect(won.flat().sort()).toEqual([...ids].sort());
    const owners = new Map(await store.collection<{ claimedBy: string }>(name).list());
    won.forEach((claimed, i) => {
      for (const id of claimed) expect(owners.get(id)).toEqual({ claimedBy: `p${i + 1}` });
    });
  }, 30_000);

  it('keeps what was written across close and reopen, expiry included', async () => {
    const name = fresh('reopen');
    const first = await openStore(url, { keyPrefix });
    await first.collection(name).set('kept', { summit: 'Singapore' });
    await first.collection(name).set('leaving', 'soon', 60_000);
    await first.close();

    const again = await openStore(url, { keyPrefix });
    expect(await again.collection(name).get('kept')).toEqual({ summit: 'Singapore' });
    expect(await again.collection(name).get('leaving')).toBe('soon');
    await again.close();
  });

  it('shows this process what another process wrote before it exited (restart survival)', async () => {
    const name = fresh('restart');
    const writer = startChild(url, keyPrefix, name, 'write', [
      ['feed:yonhap', { url: 'https://en.yna.co.kr/rss', addedBy: 'admin' }, null],
      ['seen:abc', true, 60_000],
    ]);
    await writer.ready;
    writer.go();
    await writer.done;

    const items = store.collection(name);
    expect(await items.get('feed:yonhap')).toEqual({ url: 'https://en.yna.co.kr/rss', addedBy: 'admin' });
    expect(await items.get('seen:abc')).toBe(true);
    expect(await items.list()).toHaveLength(2);
  }, 30_000);

  it('rejects with a StoreError after close instead of answering "absent"', async () => {
    const closed = await openStore(url, { keyPrefix });
    const items = closed.collection(fresh('closed'));
    await closed.close();
    await expect(items.get('x')).rejects.toBeInstanceOf(StoreError);
    await expect(items.setIfAbsent('x', 1)).rejects.toBeInstanceOf(StoreError);
    await expect(items.list()).rejects.toThrow(/Could not list/);
    await expect(closed.ping()).rejects.toBeInstanceOf(StoreError);
  });

  it('refuses values and TTLs it could not store faithfully', async () => {
    const items = store.collection<unknown>(fresh('invalid'));
    await expect(items.set('x', undefined)).rejects.toThrow(/undefined/);
    await expect(items.set('x', 1, -5)).rejects.toThrow(/TTL/);
    await expect(items.setIfAbsent('x', 1, 1.5)).rejects.toThrow(/TTL/);
    await expect(items.get('')).rejects.toThrow(/non-empty/);
    expect(await items.list()).toEqual([]);
  });
});
