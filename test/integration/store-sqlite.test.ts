import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { holdSqliteWriteLock } from '../support/sqlite-lock.ts';

const scratch = mkdtempSync(join(tmpdir(), 'armistice-sqlite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the SQLite store', () => {
  it('creates its folder and database file on first run, in WAL mode', async () => {
    const file = join(scratch, 'fresh', 'deeper', 'armistice.sqlite');
    expect(existsSync(join(scratch, 'fresh'))).toBe(false);

    const store = await openStore(`sqlite://${file}`);
    await store.collection('feeds').set('yonhap', { url: 'https://en.yna.co.kr/rss' });
    await store.close();

    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('puts a relative path under the working directory', async () => {
    const store = await openStore('sqlite://var/armistice.sqlite', { cwd: scratch });
    await store.collection('feeds').set('a', 1);
    await store.close();
    expect(existsSync(join(scratch, 'var', 'armistice.sqlite'))).toBe(true);
  });

  it('keeps each sqlite::memory: store private and empty', async () => {
    const one = await openStore('sqlite::memory:');
    const two = await openStore('sqlite::memory:');
    await one.collection('feeds').set('a', 1);
    expect(await one.collection('feeds').get('a')).toBe(1);
    expect(await two.collection('feeds').list()).toEqual([]);
    await one.close();
    await two.close();
  });

  it('waits for another process holding the write lock, then writes; reads do not wait; nothing is damaged', async () => {
    const file = join(scratch, 'busy', 'armistice.sqlite');
    const store = await openStore(`sqlite://${file}`);
    const ledger = store.collection<{ channel: string }>('ledger');
    await ledger.set('before', { channel: 'C1' });

    const holder = holdSqliteWriteLock(file, 1000);
    await holder.locked;

    let started = Date.now();
    expect(await ledger.get('before')).toEqual({ channel: 'C1' });
    expect(Date.now() - started).toBeLessThan(300);

    started = Date.now();
    await ledger.set('during-lock', { channel: 'C2' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(600);
    expect(await ledger.setIfAbsent('during-lock', { channel: 'C3' })).toBe(false);
    expect(await holder.exited).toBe(0);

    expect(await ledger.get('during-lock')).toEqual({ channel: 'C2' });
    expect((await ledger.list()).map(([id]) => id).sort()).toEqual(['before', 'during-lock']);
    await store.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.prepare('SELECT note FROM lock_holder').all()).toEqual([{ note: 'written under the lock' }]);
    raw.close();
  });

  it('moves a database made by an earlier version (WITHOUT ROWID table) to the current layout, keeping every entry, once, while another process holds the lock', async () => {
    const file = join(scratch, 'upgrade', 'armistice.sqlite');
    // The layout earlier versions created, with entries as keyv writes them.
    const earlier = (() => {
      mkdirSync(dirname(file), { recursive: true });
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE entries (namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER,
                 PRIMARY KEY (namespace, key)) WITHOUT ROWID;
               CREATE INDEX entries_by_expiry ON entries (expires_at) WHERE expires_at IS NOT NULL;`);
      const insert = db.prepare('INSERT INTO entries VALUES (?, ?, ?, ?)');
      const inAnHour = Date.now() + 3_600_000;
      insert.run('armistice:feeds', 'yonhap', JSON.stringify({ value: { url: 'https://en.yna.co.kr/rss' } }), null);
      insert.run('armistice:feed-seen', 'yonhap', JSON.stringify({ value: { ids: ['i1'], seenAt: [1] }, expires: inAnHour }), inAnHour);
      insert.run('armistice:feed-seen', 'gone', JSON.stringify({ value: { ids: [] }, expires: 1 }), 1);
      return db;
    })();
    earlier.close();

    // Another process (say, the bot being upgraded on the same file) holds the write lock: opening waits, then migrates.
    const holder = holdSqliteWriteLock(file, 300);
    await holder.locked;
    const store = await openStore(`sqlite://${file}`);
    expect(await holder.exited).toBe(0);
    const second = await openStore(`sqlite://${file}`); // finds the new layout: nothing to do

    expect(await store.collection('feeds').get('yonhap')).toEqual({ url: 'https://en.yna.co.kr/rss' });
    expect(await second.collection('feed-seen').list()).toEqual([['yonhap', { ids: ['i1'], seenAt: [1] }]]);
    await second.collection('feeds').set('nk-news', { url: 'https://www.nknews.org/feed/' });
    expect((await store.collection('feeds').list()).map(([id]) => id).sort()).toEqual(['nk-news', 'yonhap']);
    await second.close();
    await store.close();

    const raw = new Database(file, { readonly: true });
    const tables = raw.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all();
    expect(tables.map((t) => t.name).sort()).toEqual(['entries', 'lock_holder']);
    expect(tables.find((t) => t.name === 'entries')!.sql).not.toMatch(/WITHOUT ROWID/i);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'entries_by_expiry'").get()).toEqual({ n: 1 });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });
});
