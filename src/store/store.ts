/**
 * State lives behind these small interfaces. Only src/store touches keyv and
 * the database clients; the rest of the bot sees collections of JSON values.
 *
 * Errors are never swallowed: a store that cannot answer throws, so an
 * unreachable database can never make a feed item look new or a post look
 * unsent.
 */
export interface Collection<T> {
  get(id: string): Promise<T | undefined>;
  /** Writes a value; `ttlMs` makes it expire (used for retained "seen" marks). */
  set(id: string, value: T, ttlMs?: number): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** Every live entry of this collection, in no particular order. */
  list(): Promise<Array<[string, T]>>;
  /**
   * Writes only when the id is absent (atomically, across processes).
   * Returns true when this call wrote. The basis of the posting ledger.
   */
  setIfAbsent(id: string, value: T, ttlMs?: number): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'redis';
  collection<T>(name: string): Collection<T>;
  /** Throws when the store cannot answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Thrown when the store cannot do what was asked (unreachable Redis, a
 * database lock held too long, a closed store). `cause` holds the driver's
 * error. Callers treat it as "try again later", never as "absent".
 */
export class StoreError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}
