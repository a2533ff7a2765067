import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TextShelf } from '../../src/store/text-shelf.ts';

/** The next turn of the event loop, when the shelf writes what is waiting. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the text shelf (article bodies out of the heap)', () => {
  let warnings: string[];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  beforeEach(() => {
    warnings = [];
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it('GIVEN texts put aside THEN each reads back exactly, before and after they are written to disk', async () => {
    const shelf = new TextShelf();
    const texts = Array.from({ length: 2500 }, (_, i) => `Text ${i}: “Panmunjom” — 판문점 ${'x'.repeat(i % 300)}`);
    const keys = texts.map((text) => shelf.put(text));
    expect(new Set(keys).size).toBe(texts.length);
    expect(keys.map((key) => shelf.get(key))).toEqual(texts); // the last batch still waiting in memory
    await nextTurn();
    expect(keys.map((key) => shelf.get(key))).toEqual(texts); // all of it from SQLite now
    expect(() => shelf.get(999_999)).toThrow('no text on the shelf under 999999');
    expect(warnings).toEqual([]);
  });

  it('GIVEN no temporary database can be opened THEN texts are kept in memory, read back, and the process is told once', () => {
    const shelf = new TextShelf(() => {
      throw new Error('unable to open database file');
    });
    const keys = ['one', 'two'].map((text) => shelf.put(text));
    expect(keys.map((key) => shelf.get(key))).toEqual(['one', 'two']);
    expect(warnings).toEqual([]); // emitted on the next tick
    return nextTurn().then(() => {
      expect(warnings).toEqual(['article bodies are kept in memory from now on: the temporary text shelf failed (unable to open database file)']);
    });
  });

  it('GIVEN the disk fills up while writing THEN nothing put aside is lost and the process is told once', async () => {
    // A real SQLite database that may not grow past a few pages: the "disk" is full after a little text.
    const shelf = new TextShelf(() => {
      const db = new Database('');
      db.pragma('max_page_count = 4');
      return db;
    });
    const first = shelf.put('short enough to fit');
    await nextTurn();
    const big = Array.from({ length: 50 }, (_, i) => `${i} ${'the armistice of July 27, 1953 '.repeat(100)}`);
    const keys = big.map((text) => shelf.put(text));
    await nextTurn();
    const later = shelf.put('after the failure');
    await nextTurn();
    expect(shelf.get(first)).toBe('short enough to fit');
    expect(keys.map((key) => shelf.get(key))).toEqual(big);
    expect(shelf.get(later)).toBe('after the failure');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^article bodies are kept in memory from now on: the temporary text shelf failed \(database or disk is full\)$/);
  });
});
