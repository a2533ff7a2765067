import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { Sessions } from '../../src/dashboard/sessions.ts';
import { SignInLinks } from '../../src/dashboard/sign-in-links.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

// Two bot instances sharing one store (a SQLite file, or the real Redis on
// 127.0.0.1:6379 under a per-test key prefix): each opens its own connection.

const scratch = mkdtempSync(join(tmpdir(), 'armistice-dashboard-'));
const REDIS_URL = 'redis://127.0.0.1:6379';
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const grant = { scope: 'slack:T1', channel: { id: 'C1', platform: 'slack' as const, guildId: 'T1' }, user: { id: 'U1', name: 'Ada' } };

describe.each([
  { name: 'SQLite', url: `sqlite://${join(scratch, 'shared.sqlite')}` },
  { name: 'Redis', url: REDIS_URL },
])('dashboard sign-in on a shared $name store', ({ url }) => {
  it('accepts a link made by one instance on the other, once only, even when both try at the same moment', async () => {
    const keyPrefix = `test-${randomUUID().slice(0, 8)}`;
    const [one, two] = await Promise.all([openStore(url, { keyPrefix }), openStore(url, { keyPrefix })]);
    try {
      const linksOne = new SignInLinks(one, undefined);
      const linksTwo = new SignInLinks(two, undefined);
      for (let round = 0; round < 5; round++) {
        const { token } = await linksOne.create(grant);
        const [a, b] = await Promise.all([linksOne.consume(token), linksTwo.consume(token)]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        expect([a, b].find((r) => !r.ok)).toEqual({ ok: false, problem: 'USED' });
      }
      // A session started on one instance is known to the other.
      const { id } = await new Sessions(one).start(grant);
      expect(await new Sessions(two).get(id)).toMatchObject({ scope: 'slack:T1', user: { name: 'Ada' } });
    } finally {
      await Promise.all([one.close(), two.close()]);
      if (url.startsWith('redis')) await deleteRedisKeys(REDIS_URL, `${keyPrefix}:*`);
    }
  });
});
