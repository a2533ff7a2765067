import Database from 'better-sqlite3';

/**
 * Texts this process has put aside, on disk instead of in its memory: the
 * article bodies of the corpus (src/corpus/shelved-article.ts).
 *
 * Why (issue 16): with 100,000 articles the bodies held as JS strings made
 * the process 771 MB against a target of ≤ 500 MB; V8 keeps text with any
 * character above U+00FF (a curly quote, a dash: all news text) at two
 * bytes a character. Here they cost nothing in the process but SQLite's
 * small page cache.
 *
 * A private temporary SQLite database (better-sqlite3 with an empty file
 * name): SQLite puts it in SQLITE_TMPDIR / TMPDIR (else /var/tmp, /tmp) and
 * deletes it when the process ends, however it ends. It is this process's
 * own copy, not shared state: the shared store keeps the articles; this
 * only keeps them out of the heap. Synchronous, like the rest of the corpus:
 * one read is a few microseconds from the OS's file cache.
 *
 * Texts are written in batches, one transaction each, on the next turn of
 * the event loop (or at WRITE_BATCH): a write of its own per article cost
 * ~100 µs and took the changed-feed poll from 1.1× to 3.4× rss-parser's CPU.
 * Until then they are read from memory.
 *
 * Should SQLite fail (no writable temporary folder, a full disk), the texts
 * stay in memory — the process carries on as before the shelf existed — and
 * says so once.
 */
const WRITE_BATCH = 1000;

export class TextShelf {
  private db: Database.Database | undefined;
  private insert: Database.Statement<[number, string]> | undefined;
  private select: Database.Statement<[number], { text: string }> | undefined;
  /** Texts not written yet — or never, once SQLite has failed. */
  private readonly waiting = new Map<number, string>();
  private lastKey = 0;
  private writeScheduled = false;
  private failed = false;

  /** `open`: how the database is opened (a test opens one that fails). */
  constructor(open: () => Database.Database = () => new Database('')) {
    try {
      const db = open();
      // Nothing here must survive a crash: no journal, no syncing.
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.exec('CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
      this.insert = db.prepare('INSERT INTO texts (id, text) VALUES (?, ?)');
      this.select = db.prepare('SELECT text FROM texts WHERE id = ?');
      this.db = db;
    } catch (error) {
      this.fail(error);
    }
  }

  /** Keeps the text; returns the key to read it back with. */
  put(text: string): number {
    const key = ++this.lastKey;
    this.waiting.set(key, text);
    if (this.failed) return key;
    if (this.waiting.size >= WRITE_BATCH) this.write();
    else if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => this.write());
    }
    return key;
  }

  /** The text kept under `key` (throws for a key this shelf never gave). */
  get(key: number): string {
    const text = this.waiting.get(key) ?? this.select?.get(key)?.text;
    if (text === undefined) throw new Error(`no text on the shelf under ${key}`);
    return text;
  }

  /** Writes the waiting texts in one transaction; on failure they stay in memory. */
  private write(): void {
    this.writeScheduled = false;
    if (this.failed || this.waiting.size === 0) return;
    try {
      this.db!.transaction(() => {
        for (const [key, text] of this.waiting) this.insert!.run(key, text);
      })();
      this.waiting.clear();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failed = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`article bodies are kept in memory from now on: the temporary text shelf failed (${reason})`);
  }
}
