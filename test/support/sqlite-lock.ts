import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '..', '..');

/**
 * Another process that takes the SQLite database's write lock (BEGIN
 * IMMEDIATE), writes a row to its own table `lock_holder`, holds the lock for
 * `holdMs`, then commits and exits 0. `locked` resolves once it holds the lock.
 */
export function holdSqliteWriteLock(file: string, holdMs: number): { locked: Promise<void>; exited: Promise<number | null> } {
  const code = `
    import Database from 'better-sqlite3';
    const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
    db.exec('CREATE TABLE IF NOT EXISTS lock_holder (note TEXT)');
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO lock_holder VALUES (?)').run('written under the lock');
    console.log('locked');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const locked = new Promise<void>((done, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => (line === 'locked' ? done() : reject(new Error(line))));
    void exited.then((status) => reject(new Error(`lock holder exited before locking (${status})`)));
  });
  return { locked, exited };
}
