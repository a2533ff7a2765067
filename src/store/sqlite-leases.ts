import type Database from 'better-sqlite3';
import type { LeaseRecord, LeaseRecords } from './store.ts';

/**
 * Leases in SQLite: one row per lease, kept after release so its token
 * counter survives. Each operation is a single statement, which SQLite runs
 * atomically under the database's write lock (and the busy timeout makes it
 * wait, not fail, while another process briefly holds that lock). Expiry is
 * compared with the writer's clock: the processes sharing a SQLite file share
 * a machine, hence a clock.
 */

type Row = { holder: string | null; token: number; expires_at: number };

function prepare(db: Database.Database) {
  db.exec(`CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT,
    token      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID`);
  return {
    // A live lease is left alone (the WHERE fails, no row is returned); otherwise the token moves on.
    acquire: db.prepare<{ name: string; holder: string; expiresAt: number; now: number }, { token: number }>(
      `INSERT INTO leases (name, holder, token, expires_at) VALUES (@name, @holder, 1, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1, expires_at = excluded.expires_at
       WHERE leases.expires_at <= @now
       RETURNING token`,
    ),
    renew: db.prepare<{ name: string; holder: string; token: number; expiresAt: number; now: number }>(
      `UPDATE leases SET expires_at = @expiresAt
       WHERE name = @name AND holder = @holder AND token = @token AND expires_at > @now`,
    ),
    release: db.prepare<{ name: string; holder: string; token: number; now: number }>(
      `UPDATE leases SET holder = NULL, expires_at = 0
       WHERE name = @name AND holder = @holder AND token = @token AND expires_at > @now`,
    ),
    read: db.prepare<{ name: string }, Row>('SELECT holder, token, expires_at FROM leases WHERE name = @name'),
  };
}

export function sqliteLeaseRecords(db: Database.Database, prefix: string): LeaseRecords {
  // Prepared on first use: creating the table takes the write lock, which opening the store should not wait for.
  let statements: ReturnType<typeof prepare> | undefined;
  const sql = () => (statements ??= prepare(db));
  const key = (name: string) => `${prefix}:${name}`;

  return {
    async acquire(name, holder, ttlMs) {
      const now = Date.now();
      return sql().acquire.get({ name: key(name), holder, expiresAt: now + ttlMs, now })?.token;
    },
    async renew(name, holder, token, ttlMs) {
      const now = Date.now();
      return sql().renew.run({ name: key(name), holder, token, expiresAt: now + ttlMs, now }).changes > 0;
    },
    async release(name, holder, token) {
      return sql().release.run({ name: key(name), holder, token, now: Date.now() }).changes > 0;
    },
    async read(name): Promise<LeaseRecord | undefined> {
      const row = sql().read.get({ name: key(name) });
      const remainingMs = row ? row.expires_at - Date.now() : 0;
      if (!row || row.holder === null || remainingMs <= 0) return undefined;
      return { holder: row.holder, token: row.token, remainingMs };
    },
  };
}
