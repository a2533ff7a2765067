import type { RedisClientType } from '@keyv/redis';
import type { LeaseRecord, LeaseRecords } from './store.ts';

/**
 * Leases in Redis. Each lease is a hash {holder, token} that expires by
 * itself (PEXPIRE), so Redis's clock alone decides when a silent holder has
 * lost it; its fencing token comes from a counter key that never expires.
 * Every check-then-write runs as one Lua script, which Redis executes
 * atomically.
 *
 * Keys: `<prefix>:@lease:<name>` and `<prefix>:@lease-token:<name>`. The '@'
 * cannot start a collection name, so they never mix with collection entries.
 */

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token`;

const RENEW = `
local held = redis.call('HMGET', KEYS[1], 'holder', 'token')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const RELEASE = `
local held = redis.call('HMGET', KEYS[1], 'holder', 'token')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

const READ = `
local held = redis.call('HMGET', KEYS[1], 'holder', 'token')
if not held[1] then return false end
return {held[1], held[2], redis.call('PTTL', KEYS[1])}`;

/** `client` resolves to the shared connection once it is ready (and rejects when Redis is unreachable). */
export function redisLeaseRecords(client: () => Promise<RedisClientType>, prefix: string): LeaseRecords {
  const keys = (name: string) => [`${prefix}:@lease:${name}`, `${prefix}:@lease-token:${name}`];
  const run = async (script: string, name: string, args: Array<string | number>) =>
    (await client()).eval(script, { keys: keys(name), arguments: args.map(String) });

  return {
    async acquire(name, holder, ttlMs) {
      const token = Number(await run(ACQUIRE, name, [holder, ttlMs]));
      return token > 0 ? token : undefined;
    },
    async renew(name, holder, token, ttlMs) {
      return Number(await run(RENEW, name, [holder, token, ttlMs])) === 1;
    },
    async release(name, holder, token) {
      return Number(await run(RELEASE, name, [holder, token])) === 1;
    },
    async read(name): Promise<LeaseRecord | undefined> {
      const reply = (await run(READ, name, [])) as [string, string, number] | null;
      if (!reply) return undefined;
      const [holder, token, remainingMs] = reply;
      return { holder, token: Number(token), remainingMs: Number(remainingMs) };
    },
  };
}
