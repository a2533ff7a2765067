import { randomBytes } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import type { Change, ChangeBatch, ChangeLog } from './store.ts';

/**
 * The change log in Redis: a Stream, `<prefix>:@changes`, capped at about
 * `maxEntries` (XADD MAXLEN ~), and an epoch key, `<prefix>:@changes-epoch`,
 * a random value written once. A position is `<epoch>/<stream id>`: an
 * emptied Redis (FLUSHALL, or restarted without its data) loses the epoch
 * key, a new one is written, and every reader's position then names an
 * epoch that is gone, which reads as 'reset'. Entries dropped by the cap
 * after a reader's position show in XINFO's max-deleted-entry-id ('trimmed').
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
const APPEND = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'c', ARGV[3], 'k', ARGV[4], 'by', ARGV[5])
return epoch`;

// {epoch, newest id, newest id dropped by the cap}: what a reader checks before it waits.
const STATE = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then epoch = ARGV[1]; redis.call('SET', KEYS[2], epoch) end
if redis.call('EXISTS', KEYS[1]) == 0 then return {epoch, '0-0', '0-0'} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last, deleted = '0-0', '0-0'
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then last = info[i + 1] end
  if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
end
return {epoch, last, deleted}`;

const READ_COUNT = 500;

export class RedisChangeLog implements ChangeLog {
  private readonly stream: string;
  private readonly epochKey: string;
  private reader: RedisClientType | undefined;
  private closed = false;

  constructor(
    private readonly connection: RedisChangeLogConnection,
    namespace: string,
    private readonly maxEntries: number,
  ) {
    this.stream = `${namespace}:@changes`;
    this.epochKey = `${namespace}:@changes-epoch`;
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
    const reply = (await this.blockingRead(['XREAD', 'COUNT', String(READ_COUNT), 'BLOCK', String(waitMs), 'STREAMS', this.stream, id], waitMs)) as
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
      return this.connection.client.eval(script, { keys: [this.stream, this.epochKey], arguments: args });
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
