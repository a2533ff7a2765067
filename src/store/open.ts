import { isAbsolute, resolve } from 'node:path';
import { KeyvStore } from './keyv-store.ts';
import { openSqliteBackend } from './sqlite.ts';
import { StoreError, type Store } from './store.ts';
import type { Backend } from './keyv-store.ts';

export interface OpenStoreOptions {
  /**
   * Starts every key, so several bots (or test runs) can share one database.
   * Default "armistice".
   */
  keyPrefix?: string;
  /** Folder that relative SQLite paths are resolved against. Default: the working directory. */
  cwd?: string;
  /** Entries the change log keeps (CHANGE_LOG_MAX_ENTRIES by default). */
  changeLogMaxEntries?: number;
}

export type StoreLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string };

const EXAMPLES = 'sqlite://var/armistice.sqlite, sqlite:///srv/bot/state.sqlite, sqlite::memory: or redis://127.0.0.1:6379/0';

/**
 * Reads a STORE_URL: `sqlite://relative/or/absolute/path`, `sqlite::memory:`,
 * `redis://host:port[/db]` (or `rediss://` for TLS).
 */
export function parseStoreUrl(storeUrl: string, cwd = process.cwd()): StoreLocation {
  const url = storeUrl.trim();
  // Error messages quote the URL without its password.
  const shown = url.replace(/\/\/[^/@]*@/, '//***@');
  if (url === 'sqlite::memory:') return { kind: 'sqlite', file: ':memory:' };
  if (url.startsWith('sqlite://')) {
    // Not parsed as a URL: in sqlite://var/x.sqlite, "var" is a folder, not a host.
    const path = url.slice('sqlite://'.length);
    if (path === '' || path.endsWith('/')) {
      throw new Error(`Store URL "${shown}" names no database file (for example ${EXAMPLES})`);
    }
    return { kind: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`Store URL "${shown}" is not a valid Redis URL (for example ${EXAMPLES})`);
    }
    if (!parsed.hostname) throw new Error(`Store URL "${shown}" names no Redis host (for example ${EXAMPLES})`);
    if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname)) {
      throw new Error(`Store URL "${shown}": the Redis database after the host must be a number (for example ${EXAMPLES})`);
    }
    return { kind: 'redis', url };
  }
  throw new Error(`Store URL "${shown}" is not supported: use ${EXAMPLES}`);
}

/** Opens the store named by a STORE_URL. A SQLite file (and its folder) is created on first run. */
export async function openStore(storeUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(storeUrl, options.cwd);
  // The Redis client is loaded only when Redis is asked for: a SQLite bot starts faster.
  const backend =
    location.kind === 'sqlite'
      ? openSqlite(location.file, options.changeLogMaxEntries)
      : (await import('./redis.ts')).openRedisBackend(location.url, undefined, options.changeLogMaxEntries);
  try {
    return new KeyvStore(backend, options.keyPrefix ?? 'armistice');
  } catch (error) {
    await backend.close();
    throw error;
  }
}

/** The store the bot's settings name, with their key prefix and change-log size: what every bot command opens. */
export function openConfiguredStore(settings: { STORE_URL: string; STORE_KEY_PREFIX: string; CHANGE_LOG_MAX_ENTRIES: number }): Promise<Store> {
  return openStore(settings.STORE_URL, { keyPrefix: settings.STORE_KEY_PREFIX, changeLogMaxEntries: settings.CHANGE_LOG_MAX_ENTRIES });
}

/** The SQLite backend, or a StoreError naming the file and why it could not be opened (folder missing, not writable...). */
function openSqlite(file: string, changeLogMaxEntries?: number): Backend {
  try {
    return openSqliteBackend(file, changeLogMaxEntries);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    throw new StoreError(`Could not open the SQLite database at ${file}: ${message ?? String(error)}${code && !message?.includes(code) ? ` (${code})` : ''}`, {
      cause: error,
    });
  }
}
