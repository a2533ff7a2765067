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
   * The same entries one at a time, read from the store in pages: for a
   * collection too large to hold as one array (the feed articles, at start-up).
   */
  entries(): AsyncIterable<[string, T]>;
  /**
   * Writes only when the id is absent (atomically, across processes).
   * Returns true when this call wrote. The basis of the posting ledger.
   */
  setIfAbsent(id: string, value: T, ttlMs?: number): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'redis';
  collection<T>(name: string): Collection<T>;
  /** Named leases (one leader among processes); see src/store/lease.ts for the friendly API. */
  readonly leases: LeaseRecords;
  /** What changed, in order, for the other processes sharing the store (src/store/change-log.ts). */
  readonly changes: ChangeLog;
  /** Throws when the store cannot answer (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One entry of the change log: collection `collection` wrote entry `key`. */
export interface Change {
  /** Where to read on from, after this entry (opaque). */
  position: string;
  collection: string;
  key: string;
  /** The process that wrote it (its instance id), so it can skip its own changes. */
  by: string;
}

/** What `ChangeLog.read` found after a position. */
export interface ChangeBatch {
  /** The entries after the position, oldest first (none when nothing came within the wait). */
  changes: Change[];
  /**
   * 'trimmed': entries after the position were dropped (the log is capped) and
   * the reader must reload what it follows; 'reset': the log is not the one
   * the position belongs to (the store was emptied, e.g. a Redis FLUSHALL).
   * In both cases `changes` is empty and `next` is the position to go on from.
   */
  lost?: 'trimmed' | 'reset';
  /** The position to read from next time. */
  next: string;
}

/**
 * An append-only, capped log of changes, shared by every process on the
 * store: a Redis Stream, or a table of SQLite. Each reader keeps its own
 * position, so one that was cut off or paused reads on from where it stopped.
 */
export interface ChangeLog {
  append(collection: string, key: string, by: string): Promise<void>;
  /** The position after the newest entry now: read from it to see only what comes later. */
  head(): Promise<string>;
  /** The entries after `after`, waiting up to `waitMs` for one to come. Throws a StoreError when the store cannot answer. */
  read(after: string, waitMs: number): Promise<ChangeBatch>;
  /** Ends a wait in progress (it returns no entries) and frees what reading holds. */
  close(): Promise<void>;
}

/** A lease as the store holds it. */
export interface LeaseRecord {
  holder: string;
  /** The fencing token of this tenure: larger than every earlier tenure's of the same lease. */
  token: number;
  /** Milliseconds until the store lets the lease go unless it is renewed. */
  remainingMs: number;
}

/**
 * The atomic operations behind a lease, done by the database itself so that
 * processes sharing it agree. Each throws a StoreError when the store cannot
 * answer; "held by someone else" and "no longer yours" are answers, not errors.
 */
export interface LeaseRecords {
  /**
   * Takes lease `name` for `holder` when nobody holds it (never held,
   * released or expired), for `ttlMs`. Returns the new fencing token, or
   * undefined when it is held (by anyone, this holder included).
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the lease to `ttlMs` from now only while `holder` still holds it with `token`. True when extended. */
  renew(name: string, holder: string, token: number, ttlMs: number): Promise<boolean>;
  /** Lets the lease go only while `holder` holds it with `token`. True when released. */
  release(name: string, holder: string, token: number): Promise<boolean>;
  /** Who holds the lease now, if anyone. */
  read(name: string): Promise<LeaseRecord | undefined>;
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
