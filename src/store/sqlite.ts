import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CHANGE_LOG_MAX_ENTRIES, type AtomicKeyvAdapter, type Backend } from './keyv-store.ts';
import { sqliteLeaseRecords } from './sqlite-leases.ts';
import { SqliteChangeLog } from './sqlite-change-log.ts';

/**
 * SQLite behind keyv: one table of (namespace, key, value, expires_at) shared
 * by every collection, statements prepared once per database.
 *
 * WAL lets readers run while another process writes; the busy timeout makes
 * a write wait (and SQLite retry) while another process holds the write lock,
 * instead of failing. better-sqlite3 is synchronous, so that wait blocks this
 * process's event loop for as long as the other writer holds the lock.
 */

export const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** Expired rows are read as absent at once; they are deleted every this many writes. */
const PURGE_EVERY_WRITES = 500;
/**
 * Rows read per query when listing a collection. Small enough that a page of
 * large values (a batch of 25 feed articles is ~60 KB of JSON) is young
 * garbage, not a heap grown for good: 500 rows made a start-up with 10,000
 * articles hold all their text at once (RSS 217 MB, target ≤ 200).
 */
const LIST_PAGE_SIZE = 64;

type Row = { key: string; value: string };

class SqliteDatabase {
  readonly db: Database.Database;
  private writesSincePurge = 0;
  private readonly statements;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only a power loss can drop the last commits).
    this.db.pragma('synchronous = NORMAL');
    createEntriesTable(this.db);
    const live = '(expires_at IS NULL OR expires_at > @now)';
    this.statements = {
      get: this.db.prepare<{ ns: string; key: string; now: number }, { value: string }>(
        `SELECT value FROM entries WHERE namespace = @ns AND key = @key AND ${live}`,
      ),
      set: this.db.prepare<{ ns: string; key: string; value: string; expiresAt: number | null }>(
        `INSERT INTO entries (namespace, key, value, expires_at) VALUES (@ns, @key, @value, @expiresAt)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      // An expired row is absent: it is overwritten; a live one is left alone (0 changes).
      setIfAbsent: this.db.prepare<{ ns: string; key: string; value: string; expiresAt: number | null; now: number }>(
        `INSERT INTO entries (namespace, key, value, expires_at) VALUES (@ns, @key, @value, @expiresAt)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE entries.expires_at IS NOT NULL AND entries.expires_at <= @now`,
      ),
      delete: this.db.prepare<{ ns: string; key: string }, { expires_at: number | null }>(
        'DELETE FROM entries WHERE namespace = @ns AND key = @key RETURNING expires_at',
      ),
      has: this.db.prepare<{ ns: string; key: string; now: number }, { found: number }>(
        `SELECT 1 AS found FROM entries WHERE namespace = @ns AND key = @key AND ${live}`,
      ),
      clear: this.db.prepare<{ ns: string }>('DELETE FROM entries WHERE namespace = @ns'),
      page: this.db.prepare<{ ns: string; after: string; now: number; limit: number }, Row>(
        `SELECT key, value FROM entries WHERE namespace = @ns AND key > @after AND ${live}
         ORDER BY key LIMIT @limit`,
      ),
      purge: this.db.prepare<{ now: number }>('DELETE FROM entries WHERE expires_at <= @now'),
    };
    this.statements.purge.run({ now: Date.now() });
  }

  get(ns: string, key: string): string | undefined {
    return this.statements.get.get({ ns, key, now: Date.now() })?.value;
  }

  set(ns: string, key: string, value: string, ttlMs?: number): void {
    this.statements.set.run({ ns, key, value, expiresAt: expiresAt(ttlMs) });
    this.wrote();
  }

  setIfAbsent(ns: string, key: string, value: string, ttlMs?: number): boolean {
    const now = Date.now();
    const { changes } = this.statements.setIfAbsent.run({ ns, key, value, expiresAt: expiresAt(ttlMs, now), now });
    this.wrote();
    return changes > 0;
  }

  /** True when a live entry was deleted (an expired one was already absent). */
  delete(ns: string, key: string): boolean {
    const row = this.statements.delete.get({ ns, key });
    return row !== undefined && (row.expires_at === null || row.expires_at > Date.now());
  }

  has(ns: string, key: string): boolean {
    return this.statements.has.get({ ns, key, now: Date.now() }) !== undefined;
  }

  clear(ns: string): void {
    this.statements.clear.run({ ns });
  }

  /** Live entries in key order, one page per query so no statement stays open across awaits. */
  page(ns: string, after: string): Row[] {
    return this.statements.page.all({ ns, after, now: Date.now(), limit: LIST_PAGE_SIZE });
  }

  private wrote(): void {
    if (++this.writesSincePurge < PURGE_EVERY_WRITES) return;
    this.writesSincePurge = 0;
    this.statements.purge.run({ now: Date.now() });
  }
}

/**
 * The table every collection lives in: an ordinary (rowid) table with a
 * unique index on (namespace, key). Values are JSON of up to tens of
 * kilobytes (a feed's seen marks, a fetch's articles), and in a WITHOUT ROWID
 * table such rows live in the primary-key B-tree itself, where SQLite
 * advises rows under a twentieth of a page: with them, the writes of a feed
 * poll cost about twice as much CPU (measured with 4 KB and 30 KB values).
 *
 * Databases made by earlier versions have the WITHOUT ROWID table; it is
 * copied over once, inside one write transaction, so several processes
 * starting on one file migrate it exactly once (the others wait on the busy
 * timeout, then find the new layout) and a crash midway leaves the old table
 * untouched. The columns and the unique key are the same, so statements
 * prepared by a process still running the earlier version keep working.
 */
const ENTRIES_COLUMNS = `
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  expires_at INTEGER,
  UNIQUE (namespace, key)`;

function createEntriesTable(db: Database.Database): void {
  db.transaction(() => {
    const existing = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").get();
    if (existing && /WITHOUT\s+ROWID/i.test(existing.sql)) {
      db.exec(`
        CREATE TABLE entries_with_rowid (${ENTRIES_COLUMNS});
        INSERT INTO entries_with_rowid (namespace, key, value, expires_at) SELECT namespace, key, value, expires_at FROM entries;
        DROP TABLE entries;
        ALTER TABLE entries_with_rowid RENAME TO entries;
      `);
    } else if (!existing) {
      db.exec(`CREATE TABLE entries (${ENTRIES_COLUMNS})`);
    }
    db.exec('CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at) WHERE expires_at IS NOT NULL');
  }).immediate();
}

function expiresAt(ttlMs: number | undefined, now = Date.now()): number | null {
  return ttlMs ? now + ttlMs : null;
}

/** The keyv adapter for one namespace of a SQLite database. */
export class SqliteKeyvAdapter extends EventEmitter implements AtomicKeyvAdapter {
  namespace: string | undefined;
  readonly opts: { dialect: 'sqlite'; url: string };

  constructor(
    private readonly database: SqliteDatabase,
    namespace: string,
    url: string,
  ) {
    super();
    this.namespace = namespace;
    // keyv looks at opts.dialect to decide that the adapter can be iterated.
    this.opts = { dialect: 'sqlite', url };
  }

  private get ns(): string {
    if (!this.namespace) throw new Error('The SQLite keyv adapter needs a namespace');
    return this.namespace;
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.database.get(this.ns, key) as Value | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    this.database.set(this.ns, key, value, ttl);
    return true;
  }

  async setIfAbsent(key: string, serialized: string, ttlMs?: number): Promise<boolean> {
    return this.database.setIfAbsent(this.ns, key, serialized, ttlMs);
  }

  async delete(key: string): Promise<boolean> {
    return this.database.delete(this.ns, key);
  }

  async has(key: string): Promise<boolean> {
    return this.database.has(this.ns, key);
  }

  async clear(): Promise<void> {
    this.database.clear(this.ns);
  }

  async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const ns = namespace ?? this.ns;
    let after = '';
    for (;;) {
      const rows = this.database.page(ns, after);
      for (const row of rows) yield [row.key, row.value as Awaited<Value>];
      const last = rows.at(-1);
      if (!last || rows.length < LIST_PAGE_SIZE) return;
      after = last.key;
    }
  }
}

/** Opens (creating folder and file if needed) the SQLite database at `file` (':memory:' for a private one). */
export function openSqliteBackend(file: string, changeLogMaxEntries = CHANGE_LOG_MAX_ENTRIES): Backend {
  const database = new SqliteDatabase(file);
  const url = file === ':memory:' ? 'sqlite::memory:' : `sqlite://${file}`;
  return {
    kind: 'sqlite',
    location: url,
    adapter: (namespace) => new SqliteKeyvAdapter(database, namespace, url),
    leases: (namespace) => sqliteLeaseRecords(database.db, namespace),
    changes: (namespace) => new SqliteChangeLog(database.db, namespace, changeLogMaxEntries),
    async ping() {
      database.db.prepare('SELECT 1').get();
    },
    async close() {
      // Closing the last connection checkpoints the WAL into the main file.
      if (database.db.open) database.db.close();
    },
  };
}
