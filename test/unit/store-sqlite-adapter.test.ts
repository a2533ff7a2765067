import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { openSqliteBackend } from '../../src/store/sqlite.ts';

/** The SQLite adapter used the way any keyv user would, with keyv's defaults. */
describe('the SQLite keyv adapter', () => {
  const backend = openSqliteBackend(':memory:');
  const feeds = new Keyv({ store: backend.adapter('feeds'), namespace: 'feeds', throwOnErrors: true });
  const other = new Keyv({ store: backend.adapter('other'), namespace: 'other', throwOnErrors: true });

  it('gets, sets, has, deletes and iterates, honouring expiry', async () => {
    await feeds.set('a', { url: 'https://example.org/a.xml' });
    await feeds.set('b', 'short-lived', 40);
    expect(await feeds.get('a')).toEqual({ url: 'https://example.org/a.xml' });
    expect(await feeds.has('a')).toBe(true);
    expect(await feeds.has('b')).toBe(true);

    await new Promise((r) => setTimeout(r, 60));
    expect(await feeds.has('b')).toBe(false);
    expect(await feeds.get('b')).toBeUndefined();

    const listed: Array<[string, unknown]> = [];
    for await (const entry of feeds.iterator!(undefined)) listed.push(entry as [string, unknown]);
    expect(listed).toEqual([['a', { url: 'https://example.org/a.xml' }]]);

    expect(await feeds.delete('a')).toBe(true);
    expect(await feeds.delete('a')).toBe(false);
  });

  it('clears only its own namespace', async () => {
    await feeds.set('x', 1);
    await other.set('y', 2);
    await feeds.clear();
    expect(await feeds.get('x')).toBeUndefined();
    expect(await other.get('y')).toBe(2);
  });

  it('throws through keyv once the database is closed, instead of answering "absent"', async () => {
    await backend.close();
    await expect(feeds.get('y')).rejects.toThrow(/not open/);
    await expect(feeds.has('y')).rejects.toThrow(/not open/);
  });
});
