import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Change, ChangeBatch, ChangeLog } from './store.ts';

/**
 * The change log in SQLite: a table with an autoincrement id, shared by the
 * processes that open the same file, read by polling (one indexed query
 * every POLL_MS while waiting: SQLite cannot wake another process). The
 * table is capped at about `maxEntries` rows per key prefix; the highest id
 * dropped is kept, so a reader whose position is older learns it missed
 * entries ('trimmed'). A position is `<epoch>/<id>`; the epoch is written
 * once per key prefix and changes only if the file is replaced, which reads
 * as 'reset'.
 */

const POLL_MS = 200;
const TRIM_EVERY_APPENDS = 200;

type Row = { id: number; collection: string; key: string; by: string };

function prepare(db: Database.Database) {
  db.exec(`CREATE TABLE IF NOT EXISTS change_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace  TEXT NOT NULL,
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    by         TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS change_log_by_namespace ON change_log (namespace, id);
  CREATE TABLE IF NOT EXISTS change_log_state (
    namespace TEXT PRIMARY KEY,
    epoch     TEXT NOT NULL,
    trimmed   INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID`);
  return {
    ensureState: db.prepare<{ ns: string; epoch: string }>('INSERT INTO change_log_state (namespace, epoch) VALUES (@ns, @epoch) ON CONFLICT (namespace) DO NOTHING'),
    state: db.prepare<{ ns: string }, { epoch: string; trimmed: number }>('SELECT epoch, trimmed FROM change_log_state WHERE namespace = @ns'),
    append: db.prepare<{ ns: string; collection: string; key: string; by: string }>(
      'INSERT INTO change_log (namespace, collection, key, by) VALUES (@ns, @collection, @key, @by)',
    ),
    last: db.prepare<{ ns: string }, { id: number | null }>('SELECT MAX(id) AS id FROM change_log WHERE namespace = @ns'),
    after: db.prepare<{ ns: string; id: number; limit: number }, Row>(
      'SELECT id, collection, key, by FROM change_log WHERE namespace = @ns AND id > @id ORDER BY id LIMIT @limit',
    ),
    trim: db.prepare<{ ns: string; below: number }>('DELETE FROM change_log WHERE namespace = @ns AND id < @below'),
    setTrimmed: db.prepare<{ ns: string; below: number }>('UPDATE change_log_state SET trimmed = MAX(trimmed, @below - 1) WHERE namespace = @ns'),
  };
}

export class SqliteChangeLog implements ChangeLog {
  private prepared: ReturnType<typeof prepare> | undefined;
  private appends = 0;
  private waiting: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly namespace: string,
    private readonly maxEntries: number,
  ) {}

  /** Tables made on first use: a database nobody follows (a one-shot command, a test) is left as it was. */
  private get statements(): ReturnType<typeof prepare> {
    return (this.prepared ??= prepare(this.db));
  }

  private trimAll(below: number): void {
    this.db.transaction(() => {
      this.statements.trim.run({ ns: this.namespace, below });
      this.statements.setTrimmed.run({ ns: this.namespace, below });
    })();
  }

  async append(collection: string, key: string, by: string): Promise<void> {
    this.state();
    const { lastInsertRowid } = this.statements.append.run({ ns: this.namespace, collection, key, by });
    if (++this.appends % TRIM_EVERY_APPENDS === 0) this.trimAll(Number(lastInsertRowid) - this.maxEntries + 1);
  }

  async head(): Promise<string> {
    const { epoch } = this.state();
    return `${epoch}/${this.statements.last.get({ ns: this.namespace })?.id ?? 0}`;
  }

  async read(after: string, waitMs: number): Promise<ChangeBatch> {
    const { epoch, trimmed } = this.state();
    const slash = after.indexOf('/');
    const since = after.slice(0, Math.max(slash, 0));
    const id = Number(after.slice(slash + 1)) || 0;
    if (since !== epoch) return { changes: [], lost: 'reset', next: await this.head() };
    if (trimmed > id) return { changes: [], lost: 'trimmed', next: await this.head() };
    const deadline = Date.now() + waitMs;
    for (;;) {
      const rows = this.statements.after.all({ ns: this.namespace, id, limit: 500 });
      if (rows.length > 0) {
        const changes: Change[] = rows.map((row) => ({ position: `${epoch}/${row.id}`, collection: row.collection, key: row.key, by: row.by }));
        return { changes, next: changes.at(-1)!.position };
      }
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.pause(Math.min(POLL_MS, left)))) return { changes: [], next: after };
    }
  }

  async close(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.resolve();
    }
  }

  /** Waits `ms`; false when close() ended the wait. */
  private pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiting = {
        timer: setTimeout(() => {
          this.waiting = undefined;
          resolve(true);
        }, ms),
        resolve: () => resolve(false),
      };
      this.waiting = waiting;
    });
  }

  /** The epoch and the highest id dropped; the epoch is written by the first process to need it (a read, not a write, after that). */
  private state(): { epoch: string; trimmed: number } {
    const found = this.statements.state.get({ ns: this.namespace });
    if (found) return found;
    this.statements.ensureState.run({ ns: this.namespace, epoch: randomBytes(8).toString('hex') });
    return this.statements.state.get({ ns: this.namespace })!;
  }
}
