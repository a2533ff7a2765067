import { createClient } from '@keyv/redis';

/** Deletes the keys matching `pattern` (e.g. "test-1a2b3c4d:*") from the Redis at `url`: test clean-up. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 500 })) keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}
