import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { fastDeserialize, fastSerialize, type Deserialize, type Serialize } from './keyv-codec.ts';
import { checkedChangeLog } from './change-log.ts';
import { StoreError, type ChangeLog, type Collection, type LeaseRecords, type Store } from './store.ts';

/**
 * The Store on top of keyv: one Keyv per collection, whose namespace is
 * `<keyPrefix>:<collection>`. The backends (sqlite.ts, redis.ts) provide keyv
 * adapters that also know how to write-if-absent atomically, which keyv
 * itself cannot do.
 */

/** A keyv adapter plus the one operation keyv lacks. */
export interface AtomicKeyvAdapter extends KeyvStoreAdapter {
  /**
   * Stores `serialized` (keyv's own serialization, so `get` reads it back)
   * under `key` unless a live entry is there; expired entries count as absent.
   * True when this call wrote.
   */
  setIfAbsent(key: string, serialized: string, ttlMs?: number): Promise<boolean>;
}

/** A database behind the store: hands out one adapter per namespace. */
export interface Backend {
  readonly kind: Store['kind'];
  /** Where the data lives, without credentials, for error messages. */
  readonly location: string;
  adapter(namespace: string): AtomicKeyvAdapter;
  /** The lease operations, with lease names scoped by `namespace` (the store's key prefix). */
  leases(namespace: string): LeaseRecords;
  /** The change log of the store with key prefix `namespace` (src/store/change-log.ts). */
  changes(namespace: string): ChangeLog;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Entries the change log keeps (about; older ones are dropped): a reader further behind reloads. */
export const CHANGE_LOG_MAX_ENTRIES = 10_000;

/** Collection names and key prefixes join with ':' into namespaces, so they must not contain one. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ID_LENGTH = 1024;

export class KeyvStore implements Store {
  private readonly collections = new Map<string, Collection<unknown>>();
  readonly leases: LeaseRecords;
  readonly changes: ChangeLog;

  constructor(
    private readonly backend: Backend,
    private readonly keyPrefix: string,
  ) {
    if (!NAME_PATTERN.test(keyPrefix)) {
      throw new TypeError(`Store key prefix "${keyPrefix}" must be letters, digits, '.', '_' or '-' (for example "armistice")`);
    }
    this.leases = checkedLeases(backend.leases(keyPrefix), backend);
    this.changes = checkedChangeLog(backend.changes(keyPrefix), backend);
  }

  get kind(): Store['kind'] {
    return this.backend.kind;
  }

  collection<T>(name: string): Collection<T> {
    if (!NAME_PATTERN.test(name)) {
      throw new TypeError(`Collection name "${name}" must be letters, digits, '.', '_' or '-' (for example "feed-items")`);
    }
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new KeyvCollection<unknown>(name, `${this.keyPrefix}:${name}`, this.backend);
      this.collections.set(name, collection);
    }
    return collection as Collection<T>;
  }

  async ping(): Promise<void> {
    try {
      await this.backend.ping();
    } catch (error) {
      throw new StoreError(`The ${this.backend.kind} store at ${this.backend.location} is not answering: ${reason(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.changes.close();
    return this.backend.close();
  }
}

class KeyvCollection<T> implements Collection<T> {
  private readonly adapter: AtomicKeyvAdapter;
  private readonly keyv: Keyv<T>;

  constructor(
    private readonly name: string,
    namespace: string,
    private readonly backend: Backend,
  ) {
    this.adapter = backend.adapter(namespace);
    // useKeyPrefix off: the adapter already scopes keys by its namespace.
    // throwOnErrors on: keyv would otherwise turn a failed read into "absent".
    this.keyv = new Keyv<T>({ store: this.adapter, namespace, useKeyPrefix: false, throwOnErrors: true });
    // Same format as keyv's own serializer, without its per-value JS work (see keyv-codec.ts).
    this.keyv.serialize = fastSerialize(this.keyv.serialize as Serialize) as typeof this.keyv.serialize;
    this.keyv.deserialize = fastDeserialize(this.keyv.deserialize as Deserialize) as typeof this.keyv.deserialize;
    if (!this.keyv.iterator) throw new Error(`keyv does not see the ${backend.kind} adapter as iterable`);
  }

  // Methods are async so that a bad argument rejects like any other failure.
  async get(id: string): Promise<T | undefined> {
    checkId(id);
    return this.attempt('read', id, () => this.keyv.get<T>(id));
  }

  async set(id: string, value: T, ttlMs?: number): Promise<void> {
    checkId(id);
    checkValue(value);
    checkTtl(ttlMs);
    return this.attempt('write', id, async () => {
      await this.keyv.set(id, value, ttlMs);
    });
  }

  async delete(id: string): Promise<boolean> {
    checkId(id);
    return this.attempt('delete', id, () => this.keyv.delete(id));
  }

  async list(): Promise<Array<[string, T]>> {
    const entries: Array<[string, T]> = [];
    for await (const entry of this.entries()) entries.push(entry);
    return entries;
  }

  async *entries(): AsyncGenerator<[string, T]> {
    const steps = this.keyv.iterator!(undefined) as AsyncGenerator<[string, T]>;
    for (;;) {
      const step = await this.attempt('list', undefined, () => steps.next());
      if (step.done) return;
      yield step.value;
    }
  }

  async setIfAbsent(id: string, value: T, ttlMs?: number): Promise<boolean> {
    checkId(id);
    checkValue(value);
    checkTtl(ttlMs);
    return this.attempt('write', id, async () => {
      const expires = ttlMs === undefined ? undefined : Date.now() + ttlMs;
      const serialized = await this.keyv.serializeData({ value, expires });
      if (typeof serialized !== 'string') throw new Error('keyv serialization did not produce a string');
      return this.adapter.setIfAbsent(id, serialized, ttlMs);
    });
  }

  private async attempt<R>(action: string, id: string | undefined, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      const what = id === undefined ? this.name : `${this.name}/${id}`;
      throw new StoreError(
        `Could not ${action} ${what} in the ${this.backend.kind} store at ${this.backend.location}: ${reason(error)}`,
        { cause: error },
      );
    }
  }
}

/** The backend's lease operations with their arguments checked and their failures turned into StoreErrors. */
function checkedLeases(leases: LeaseRecords, backend: Backend): LeaseRecords {
  const attempt = async <R>(action: string, name: string, run: () => Promise<R>): Promise<R> => {
    if (!NAME_PATTERN.test(name)) {
      throw new TypeError(`Lease name "${name}" must be letters, digits, '.', '_' or '-' (for example "scheduler")`);
    }
    try {
      return await run();
    } catch (error) {
      throw new StoreError(`Could not ${action} lease ${name} in the ${backend.kind} store at ${backend.location}: ${reason(error)}`, {
        cause: error,
      });
    }
  };
  const checkHolder = (holder: string) => {
    if (typeof holder !== 'string' || holder.length === 0) throw new TypeError('A lease holder must be a non-empty string');
  };
  return {
    acquire: async (name, holder, ttlMs) => {
      checkHolder(holder);
      checkTtl(ttlMs);
      return attempt('acquire', name, () => leases.acquire(name, holder, ttlMs));
    },
    renew: async (name, holder, token, ttlMs) => {
      checkHolder(holder);
      checkTtl(ttlMs);
      return attempt('renew', name, () => leases.renew(name, holder, token, ttlMs));
    },
    release: async (name, holder, token) => {
      checkHolder(holder);
      return attempt('release', name, () => leases.release(name, holder, token));
    },
    read: async (name) => attempt('read', name, () => leases.read(name)),
  };
}

function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new TypeError(`A store id must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
}

function checkValue(value: unknown): void {
  // keyv stores { value, expires } as JSON: an undefined value would read back as "absent".
  if (value === undefined) throw new TypeError('A store value must not be undefined (use delete instead)');
}

function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(Number.isInteger(ttlMs) && ttlMs > 0)) {
    throw new TypeError(`A TTL must be a positive whole number of milliseconds, not ${ttlMs}`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
