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
 */
export class TextShelf {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string], void>;
  private readonly select: Database.Statement<[number], { text: string }>;

  constructor() {
    this.db = new Database('');
    // Nothing here must survive a crash: no journal, no syncing.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO texts (text) VALUES (?)');
    this.select = this.db.prepare('SELECT text FROM texts WHERE id = ?');
  }

  /** Keeps the text; returns the key to read it back with. */
  put(text: string): number {
    return Number(this.insert.run(text).lastInsertRowid);
  }

  /** The text kept under `key` (throws for a key this shelf never gave). */
  get(key: number): string {
    const row = this.select.get(key);
    if (!row) throw new Error(`no text on the shelf under ${key}`);
    return row.text;
  }
}
