import { randomBytes } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import type { Change, ChangeBatch, ChangeLog } from './store.ts';

/**
 * The change log in Redis: a Stream, `<prefix>:@changes`, capped at about
 * `maxEntries`, and an epoch key, `<prefix>:@changes-epoch`,
 * a random value written once. A position is `<epoch>/<stream id>`: an
 * emptied Redis (FLUSHALL, or restarted without its data) loses the epoch
 * key, a new one is written, and every reader's position then names an
 * epoch that is gone, which reads as 'reset'. The newest entry dropped by
 * the cap is kept in `<prefix>:@changes-trimmed`: a reader whose position is
 * older missed entries ('trimmed').
 *
 * Waiting (XREAD BLOCK) holds a connection until an entry comes, so it runs
 * on a connection of its own: on the shared one it would hold up every other
 * command of the process.
 */

/** What the change log needs of the shared connection (src/store/redis.ts). */
export interface RedisChangeLogConnection {
  readonly client: RedisClientType;
  ready(): Promise<void>;
  withDeadline<R>(operation: () => Promise<R>): Promise<R>;
  readonly timeoutMs: number;
}

// Epoch first (created when missing), then the entry: an append after a flush starts the new epoch.
// The cap is kept by hand rather than by XADD MAXLEN: trimming does not move XINFO's
// max-deleted-entry-id, and a reader must learn that entries after its position were dropped,
// so the newest dropped id is kept in KEYS[3]. Trims run once per tenth of the cap.
const APPEND = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
redis.call('XADD', KEYS[1], '*', 'c', ARGV[3], 'k', ARGV[4], 'by', ARGV[5])
local cap = tonumber(ARGV[2])
local length = redis.call('XLEN', KEYS[1])
if length > cap + math.max(1, math.floor(cap / 10)) then
  local drop = length - cap
  local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', drop + 1)
  redis.call('SET', KEYS[3], oldest[drop][1])
  redis.call('XTRIM', KEYS[1], 'MINID', oldest[drop + 1][1])
end
return epoch`;

// {epoch, newest id, newest id dropped by the cap}: what a reader checks before it waits.
const STATE = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return {epoch, newest[1] and newest[1][1] or '0-0', redis.call('GET', KEYS[3]) or '0-0'}`;

const READ_COUNT = 500;

export class RedisChangeLog implements ChangeLog {
  private readonly stream: string;
  private readonly epochKey: string;
  private readonly trimmedKey: string;
  private reader: RedisClientType | undefined;
  private closed = false;

  constructor(
    private readonly connection: RedisChangeLogConnection,
    namespace: string,
    private readonly maxEntries: number,
  ) {
    this.stream = `${namespace}:@changes`;
    this.epochKey = `${namespace}:@changes-epoch`;
    this.trimmedKey = `${namespace}:@changes-trimmed`;
  }

  async append(collection: string, key: string, by: string): Promise<void> {
    await this.eval(APPEND, [newEpoch(), String(this.maxEntries), collection, key, by]);
  }

  async head(): Promise<string> {
    const [epoch, last] = (await this.eval(STATE, [newEpoch()])) as [string, string];
    return `${epoch}/${last}`;
  }

  async read(after: string, waitMs: number): Promise<ChangeBatch> {
    const [epoch, last, deleted] = (await this.eval(STATE, [newEpoch()])) as [string, string, string];
    const { epoch: since, id } = parsePosition(after);
    if (since !== epoch) return { changes: [], lost: 'reset', next: `${epoch}/${last}` };
    if (compareIds(deleted, id) > 0) return { changes: [], lost: 'trimmed', next: `${epoch}/${last}` };
    // BLOCK 0 would wait for ever: no wait is a plain XREAD. A wait stays within the client's
    // command timeout (the reader may return empty-handed sooner than asked, as the interface allows).
    const wait = Math.min(waitMs, Math.floor(this.connection.timeoutMs / 2));
    const block = wait > 0 ? ['BLOCK', String(wait)] : [];
    const reply = (await this.blockingRead(['XREAD', 'COUNT', String(READ_COUNT), ...block, 'STREAMS', this.stream, id], wait)) as
      | Array<[string, Array<[string, string[]]>]>
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    const changes: Change[] = entries.map(([entryId, fields]) => {
      const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return { position: `${epoch}/${entryId}`, collection: field('c'), key: field('k'), by: field('by') };
    });
    return { changes, next: changes.at(-1)?.position ?? after };
  }

  async close(): Promise<void> {
    this.closed = true;
    const reader = this.reader;
    this.reader = undefined;
    // A wait in progress ends with an error the reading loop expects at closing.
    if (reader?.isOpen) reader.destroy();
  }

  private async eval(script: string, args: string[]): Promise<unknown> {
    return this.connection.withDeadline(async () => {
      await this.connection.ready();
      return this.connection.client.eval(script, { keys: [this.stream, this.epochKey, this.trimmedKey], arguments: args });
    });
  }

  /**
   * XREAD BLOCK on the reading connection, with a deadline of the wait plus
   * the store's timeout: a connection that stops answering is replaced.
   */
  private async blockingRead(args: string[], waitMs: number): Promise<unknown> {
    if (this.closed) throw new Error('the change log is closed');
    const reader = await this.readerConnection();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.reader === reader) this.reader = undefined;
        if (reader.isOpen) reader.destroy();
        reject(new Error(`Redis did not answer a change-log read within ${waitMs + this.connection.timeoutMs} ms`));
      }, waitMs + this.connection.timeoutMs);
    });
    try {
      return await Promise.race([reader.sendCommand(args), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The reading connection (a duplicate of the shared one: same address, options and reconnection). */
  private async readerConnection(): Promise<RedisClientType> {
    if (!this.reader) {
      const reader = this.connection.client.duplicate() as RedisClientType;
      // A failed reconnection must not crash the process; reads fail and are retried by the reader's owner.
      reader.on('error', () => undefined);
      this.reader = reader;
      reader.connect().catch(() => undefined);
    }
    const reader = this.reader;
    if (!reader.isReady) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reader.off('ready', onReady);
          reject(new Error(`the change-log connection to Redis is not ready within ${this.connection.timeoutMs} ms`));
        }, this.connection.timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        reader.once('ready', onReady);
      });
    }
    return reader;
  }
}

function newEpoch(): string {
  return randomBytes(8).toString('hex');
}

function parsePosition(position: string): { epoch: string; id: string } {
  const slash = position.indexOf('/');
  return slash < 0 ? { epoch: '', id: '0-0' } : { epoch: position.slice(0, slash), id: position.slice(slash + 1) };
}

/** Stream ids `<ms>-<seq>`, compared as numbers. */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}
