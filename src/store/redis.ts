import KeyvRedis, { createClient, type RedisClientType } from '@keyv/redis';
import { CHANGE_LOG_MAX_ENTRIES, type AtomicKeyvAdapter, type Backend } from './keyv-store.ts';
import { redisLeaseRecords } from './redis-leases.ts';
import { RedisChangeLog } from './redis-change-log.ts';

/**
 * Redis behind keyv (@keyv/redis), set up so that a Redis that cannot answer
 * makes every operation fail within about `timeoutMs`, never hang and never
 * read as "absent":
 * - one client shared by all collections, connected once and left to
 *   reconnect by itself (capped backoff) whenever the connection drops;
 * - no offline queue: while disconnected, commands are refused at once
 *   instead of waiting for a reconnection that may never come;
 * - every adapter operation has a deadline. node-redis's own command timeout
 *   stops counting once a command is written, so a frozen server would hang
 *   it forever; a missed deadline also drops the connection and starts a new
 *   one, since replies on the old one may never come;
 * - the adapters and keyv throw on errors (keyv's default would return
 *   undefined).
 */

export const REDIS_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 1000;

/** The shared client and its state: "ready" means connected and usable. */
class RedisConnection {
  readonly client: RedisClientType;
  private lastError: Error | undefined;
  private closed = false;
  /** Callers waiting for the connection: settled by the next 'ready' or 'error', or their timeout. */
  private readonly waiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();

  constructor(
    url: string,
    readonly location: string,
    readonly timeoutMs: number,
  ) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      commandOptions: { timeout: timeoutMs },
      socket: {
        connectTimeout: timeoutMs,
        reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
      },
    }) as RedisClientType;
    // Each collection's adapter adds its own listeners to the shared client.
    this.client.setMaxListeners(0);
    // Without an 'error' listener a failed reconnection attempt would crash the process.
    this.client.on('error', (error: Error) => {
      this.lastError = error;
      if (!this.client.isReady) this.settleWaiters(this.unreachable(error));
    });
    this.client.on('ready', () => {
      this.lastError = undefined;
      this.settleWaiters();
    });
    this.connect();
  }

  /** connect() settles only once connected; until then the client keeps retrying on its own. */
  private connect(): void {
    this.client.connect().catch((error: unknown) => {
      this.lastError = error instanceof Error ? error : new Error(String(error));
    });
  }

  /** Resolves when the client can take commands; rejects within `timeoutMs` if it cannot. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (this.client.isReady) return Promise.resolve();
    // Known to be down (the last connection attempt failed): fail now rather than make every caller wait.
    if (this.lastError) return Promise.reject(this.unreachable(this.lastError));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(this.unreachable(this.lastError));
      }, this.timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Runs one adapter operation with a deadline of `timeoutMs`. */
  withDeadline<R>(operation: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`Redis at ${this.location} did not answer within ${this.timeoutMs} ms`));
        this.reconnectIfStuck();
      }, this.timeoutMs);
      operation().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** A connection that looks ready but lets a command go unanswered is replaced by a new one. */
  private reconnectIfStuck(): void {
    if (this.closed || !this.client.isReady) return;
    this.client.destroy();
    this.connect();
  }

  private settleWaiters(error?: Error): void {
    for (const waiter of this.waiters) error ? waiter.reject(error) : waiter.resolve();
    this.waiters.clear();
  }

  private unreachable(cause: Error | undefined): Error {
    const detail = cause ? `: ${cause.message || cause.name}` : ` within ${this.timeoutMs} ms`;
    return new Error(`Redis at ${this.location} is not reachable${detail} (reconnecting in the background)`, { cause });
  }

  async ping(): Promise<void> {
    await this.withDeadline(async () => {
      await this.ready();
      await this.client.ping();
    });
  }

  /** Waits for replies to commands already sent, then quits; drops the connection if Redis is gone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settleWaiters(new Error('the store is closed'));
    if (!this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy();
      return;
    }
    const timer = setTimeout(() => this.client.isOpen && this.client.destroy(), this.timeoutMs);
    try {
      await this.client.close();
    } catch {
      // Destroyed by the timer: Redis stopped answering while closing; nothing more to flush.
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * @keyv/redis for one namespace, on the shared connection: every operation
 * has a deadline, and there is a write-if-absent.
 */
export class RedisKeyvAdapter extends KeyvRedis<string> implements AtomicKeyvAdapter {
  constructor(
    private readonly connection: RedisConnection,
    namespace: string,
  ) {
    super(connection.client, { namespace, keyPrefixSeparator: ':', throwOnConnectError: true, throwOnErrors: true });
  }

  /** The connection is managed by RedisConnection: wait for it instead of connecting here. */
  override async getClient(): Promise<RedisClientType> {
    await this.connection.ready();
    return this.client as RedisClientType;
  }

  override get<U = string>(key: string): Promise<U | undefined> {
    return this.connection.withDeadline(() => super.get<U>(key));
  }

  override set(key: string, value: string, ttl?: number): Promise<void> {
    return this.connection.withDeadline(() => super.set(key, value, ttl));
  }

  override delete(key: string): Promise<boolean> {
    return this.connection.withDeadline(() => super.delete(key));
  }

  override has(key: string): Promise<boolean> {
    return this.connection.withDeadline(() => super.has(key));
  }

  /** SET key value NX [PX ttl]: atomic across every process sharing this Redis. */
  setIfAbsent(key: string, serialized: string, ttlMs?: number): Promise<boolean> {
    return this.connection.withDeadline(async () => {
      const client = await this.getClient();
      const reply = await client.set(this.createKeyPrefix(key, this.namespace), serialized, {
        condition: 'NX',
        ...(ttlMs ? { expiration: { type: 'PX', value: ttlMs } } : {}),
      });
      return reply === 'OK';
    });
  }

  /**
   * Each SCAN/MGET step gets the deadline. A key deleted between SCAN and
   * MGET comes back without a value, which keyv cannot handle: skipped.
   */
  override async *iterator<U = string>(namespace?: string): AsyncGenerator<[string, U | undefined], void, unknown> {
    const steps = super.iterator<U>(namespace);
    for (;;) {
      const step = await this.connection.withDeadline(() => steps.next());
      if (step.done) return;
      const [key, value] = step.value;
      if (value !== undefined && value !== null) yield [key, value];
    }
  }
}

/** Connects (in the background) to the Redis at `url` (redis[s]://[user:pass@]host:port[/db]). */
export function openRedisBackend(url: string, timeoutMs = REDIS_TIMEOUT_MS, changeLogMaxEntries = CHANGE_LOG_MAX_ENTRIES): Backend {
  const location = withoutCredentials(url);
  const connection = new RedisConnection(url, location, timeoutMs);
  return {
    kind: 'redis',
    location,
    adapter: (namespace) => new RedisKeyvAdapter(connection, namespace),
    leases: (namespace) =>
      redisLeaseRecords(async () => {
        await connection.ready();
        return connection.client;
      }, namespace),
    changes: (namespace) => new RedisChangeLog(connection, namespace, changeLogMaxEntries),
    ping: () => connection.ping(),
    close: () => connection.close(),
  };
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
