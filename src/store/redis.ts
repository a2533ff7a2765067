import KeyvRedis, { createClient, type RedisClientType } from '@keyv/redis';
import type { AtomicKeyvAdapter, Backend } from './keyv-store.ts';

/**
 * Redis behind keyv (@keyv/redis), set up so that a Redis that cannot answer
 * makes every operation fail within about `timeoutMs`, never hang and never
 * read as "absent":
 * - one client shared by all collections, connected once and left to
 *   reconnect by itself (capped backoff) whenever Redis goes away;
 * - no offline queue: while disconnected, commands are refused at once
 *   instead of waiting for a reconnection that may never come;
 * - every command carries a timeout (a Redis that accepts connections but
 *   does not reply);
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
    private readonly timeoutMs: number,
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
    // connect() settles only once connected; until then the client keeps retrying on its own.
    this.client.connect().catch((error: unknown) => {
      this.lastError = error instanceof Error ? error : new Error(String(error));
    });
  }

  /** Resolves when the client can take commands; rejects after `timeoutMs` if it cannot. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (this.client.isReady) return Promise.resolve();
    // Known to be down (a connection attempt failed): fail now rather than make every caller wait.
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

  private settleWaiters(error?: Error): void {
    for (const waiter of this.waiters) error ? waiter.reject(error) : waiter.resolve();
    this.waiters.clear();
  }

  private unreachable(cause: Error | undefined): Error {
    const detail = cause ? `: ${cause.message || cause.name}` : ` within ${this.timeoutMs} ms`;
    return new Error(`Redis at ${this.location} is not reachable${detail} (reconnecting in the background)`, { cause });
  }

  async ping(): Promise<void> {
    await this.ready();
    await this.client.ping();
  }

  /** Waits for replies to commands already sent, then quits; drops the connection if Redis is gone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy();
      return;
    }
    const timer = setTimeout(() => this.client.isOpen && this.client.destroy(), this.timeoutMs);
    try {
      await this.client.close();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** @keyv/redis for one namespace, on the shared connection, with write-if-absent. */
export class RedisKeyvAdapter extends KeyvRedis<string> implements AtomicKeyvAdapter {
  constructor(
    private readonly connection: RedisConnection,
    namespace: string,
  ) {
    super(connection.client, {
      namespace,
      keyPrefixSeparator: ':',
      throwOnConnectError: true,
      throwOnErrors: true,
    });
  }

  /** The connection is managed by RedisConnection: wait for it instead of connecting here. */
  override async getClient(): Promise<RedisClientType> {
    await this.connection.ready();
    return this.client as RedisClientType;
  }

  async setIfAbsent(key: string, serialized: string, ttlMs?: number): Promise<boolean> {
    const client = await this.getClient();
    const reply = await client.set(this.createKeyPrefix(key, this.namespace), serialized, {
      condition: 'NX',
      ...(ttlMs ? { expiration: { type: 'PX', value: ttlMs } } : {}),
    });
    return reply === 'OK';
  }

  /** A key deleted between SCAN and MGET comes back without a value; keyv cannot handle that. */
  override async *iterator<U = string>(namespace?: string): AsyncGenerator<[string, U | undefined], void, unknown> {
    for await (const [key, value] of super.iterator<U>(namespace)) {
      if (value !== undefined && value !== null) yield [key, value];
    }
  }
}

/** Connects (in the background) to the Redis at `url` (redis[s]://[user:pass@]host:port[/db]). */
export function openRedisBackend(url: string, timeoutMs = REDIS_TIMEOUT_MS): Backend {
  const location = withoutCredentials(url);
  const connection = new RedisConnection(url, location, timeoutMs);
  return {
    kind: 'redis',
    location,
    adapter: (namespace) => new RedisKeyvAdapter(connection, namespace),
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
