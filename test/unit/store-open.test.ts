import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, parseStoreUrl } from '../../src/store/open.ts';

describe('STORE_URL', () => {
  it('puts a relative SQLite path under the working directory and keeps an absolute one', () => {
    expect(parseStoreUrl('sqlite://var/armistice.sqlite', '/srv/bot')).toEqual({ kind: 'sqlite', file: join('/srv/bot', 'var/armistice.sqlite') });
    expect(parseStoreUrl('sqlite:///data/state.sqlite', '/srv/bot')).toEqual({ kind: 'sqlite', file: '/data/state.sqlite' });
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
  });

  it('takes Redis URLs with an optional database number', () => {
    expect(parseStoreUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(parseStoreUrl('redis://127.0.0.1:6379/2')).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379/2' });
    expect(parseStoreUrl('rediss://cache.internal:6380')).toEqual({ kind: 'redis', url: 'rediss://cache.internal:6380' });
  });

  it('refuses an unknown scheme, naming the ones it knows with examples', () => {
    expect(() => parseStoreUrl('postgres://db/armistice')).toThrow(/not supported: use sqlite:\/\/var\/armistice\.sqlite.*redis:\/\/127\.0\.0\.1:6379/);
    expect(() => parseStoreUrl('var/armistice.sqlite')).toThrow(/not supported/);
  });

  it('refuses a SQLite URL without a file and a Redis URL with a bad database', () => {
    expect(() => parseStoreUrl('sqlite://')).toThrow(/names no database file/);
    expect(() => parseStoreUrl('sqlite://var/')).toThrow(/names no database file/);
    expect(() => parseStoreUrl('redis://127.0.0.1:6379/cache')).toThrow(/must be a number/);
  });

  it('never repeats a password in its error messages', () => {
    expect(() => parseStoreUrl('memcached://bot:hunter2@127.0.0.1:11211')).toThrow(/memcached:\/\/\*\*\*@127\.0\.0\.1/);
    expect(() => parseStoreUrl('memcached://bot:hunter2@127.0.0.1:11211')).not.toThrow(/hunter2/);
  });

  it('openStore rejects an unknown scheme before touching anything', async () => {
    await expect(openStore('mongodb://127.0.0.1/bot')).rejects.toThrow(/not supported/);
  });
});

describe('collections', () => {
  it('are named with letters, digits, dot, dash or underscore, since names become key prefixes', async () => {
    const store = await openStore('sqlite::memory:');
    expect(store.kind).toBe('sqlite');
    expect(() => store.collection('feed-items')).not.toThrow();
    expect(() => store.collection('feed:items')).toThrow(/letters, digits/);
    expect(() => store.collection('')).toThrow(/letters, digits/);
    expect(store.collection('ledger')).toBe(store.collection('ledger'));
    await store.close();
  });

  it('refuse a key prefix that could collide with another', async () => {
    await expect(openStore('sqlite::memory:', { keyPrefix: 'a:b' })).rejects.toThrow(/key prefix/);
  });
});
