import { describe, expect, it } from 'vitest';
import { createAdminCheck } from '../../src/platform/slack/admin.ts';
import { createLogger } from '../../src/log.ts';

type Info = { ok: boolean; user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } };

/** users.info as Slack answers it, counting the calls. */
function fakeUsers(answers: Record<string, Info | Error>) {
  const calls: string[] = [];
  return {
    calls,
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(user);
        const answer = answers[user];
        if (answer instanceof Error) throw answer;
        return answer ?? { ok: true, user: {} };
      },
    },
  };
}

const log = createLogger('silent');

describe('Slack admin check', () => {
  it('GIVEN workspace admins, owners and primary owners THEN they are admins; members are not', async () => {
    const { users } = fakeUsers({
      UADMIN: { ok: true, user: { is_admin: true } },
      UOWNER: { ok: true, user: { is_owner: true } },
      UPRIMARY: { ok: true, user: { is_primary_owner: true } },
      UMEMBER: { ok: true, user: { is_admin: false } },
    });
    const check = createAdminCheck(users as never, [], log);
    expect(await Promise.all(['UADMIN', 'UOWNER', 'UPRIMARY', 'UMEMBER'].map((u) => check.isAdmin(u)))).toEqual([true, true, true, false]);
  });

  it('GIVEN a user listed in ADMIN_USER_IDS THEN admin without asking Slack', async () => {
    const { users, calls } = fakeUsers({});
    expect(await createAdminCheck(users as never, ['ULISTED'], log).isAdmin('ULISTED')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('GIVEN a burst of commands from one person THEN one lookup, refreshed after the cache time', async () => {
    const { users, calls } = fakeUsers({ UADMIN: { ok: true, user: { is_admin: true } } });
    let now = 0;
    const check = createAdminCheck(users as never, [], log, 60_000, () => now);
    await Promise.all([check.isAdmin('UADMIN'), check.isAdmin('UADMIN'), check.isAdmin('UADMIN')]);
    expect(calls).toEqual(['UADMIN']);
    now = 60_001;
    await check.isAdmin('UADMIN');
    expect(calls).toEqual(['UADMIN', 'UADMIN']);
  });

  it('GIVEN users.info fails THEN not an admin this time, and the next command asks again', async () => {
    const { users, calls } = fakeUsers({ UFLAKY: new Error('ratelimited') });
    const check = createAdminCheck(users as never, [], log);
    expect(await check.isAdmin('UFLAKY')).toBe(false);
    expect(await check.isAdmin('UFLAKY')).toBe(false);
    expect(calls).toEqual(['UFLAKY', 'UFLAKY']);
  });
});
