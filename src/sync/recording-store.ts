import type { Collection, Store } from '../store/store.ts';

/**
 * The store as the composition root hands it out, with the writes other
 * instances must hear of recorded in the change log: after each `set` or
 * `delete` in one of `collections`, an entry naming the collection and the
 * key (a reader finding no value applies the removal). The
 * entry comes after the write, so a reader that sees it can read the value;
 * a write whose entry cannot be appended fails as a whole (a StoreError), so
 * the writer retries it as it retries any failed write (a poll round
 * re-reads the items, same article ids), never leaving it unannounced.
 */
export function recordingStore(store: Store, collections: readonly string[], by: string): Store {
  const recorded = new Map<string, Collection<unknown>>();
  const watched = new Set(collections);
  return {
    get kind() {
      return store.kind;
    },
    leases: store.leases,
    changes: store.changes,
    ping: () => store.ping(),
    close: () => store.close(),
    collection<T>(name: string): Collection<T> {
      const inner = store.collection<T>(name);
      if (!watched.has(name)) return inner;
      let wrapped = recorded.get(name);
      if (!wrapped) {
        wrapped = {
          get: (id) => inner.get(id),
          async delete(id) {
            const deleted = await inner.delete(id);
            // Announced whatever the backend reports: a reader finding nothing held for the key changes nothing.
            await store.changes.append(name, id, by);
            return deleted;
          },
          list: () => inner.list(),
          entries: () => inner.entries(),
          async setIfAbsent(id, value, ttlMs) {
            const written = await inner.setIfAbsent(id, value as T, ttlMs);
            if (written) await store.changes.append(name, id, by);
            return written;
          },
          async set(id, value, ttlMs) {
            await inner.set(id, value as T, ttlMs);
            await store.changes.append(name, id, by);
          },
        };
        recorded.set(name, wrapped);
      }
      return wrapped as Collection<T>;
    },
  };
}
