import type { Backend } from './keyv-store.ts';
import { StoreError, type ChangeLog } from './store.ts';

/**
 * The store's change log (the ChangeLog interface in store.ts), for the
 * processes sharing one store: a writer appends "collection C wrote entry K"
 * after the write, and every other process reads the entries after its own
 * position and applies them by reading entry K (src/instance-sync.ts).
 * Entries name what changed, never the value, so applying one twice is
 * harmless and the log stays small. Backends: a Redis Stream
 * (redis-change-log.ts) and a SQLite table (sqlite-change-log.ts).
 *
 * Here: the backend's log with its failures turned into StoreErrors, as
 * every other store operation reports them.
 */
export function checkedChangeLog(log: ChangeLog, backend: Pick<Backend, 'kind' | 'location'>): ChangeLog {
  const attempt = async <R>(action: string, run: () => Promise<R>): Promise<R> => {
    try {
      return await run();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new StoreError(`Could not ${action} the change log in the ${backend.kind} store at ${backend.location}: ${why}`, { cause: error });
    }
  };
  return {
    append: (collection, key, by) => attempt('append to', () => log.append(collection, key, by)),
    head: () => attempt('read the head of', () => log.head()),
    read: (after, waitMs) => attempt('read', () => log.read(after, waitMs)),
    close: () => log.close(),
  };
}
