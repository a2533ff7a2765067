import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';

/**
 * Who may run admin commands on Slack: workspace admins and owners (from
 * users.info, which needs the `users:read` scope) and the user ids listed in
 * ADMIN_USER_IDS. Answers are cached briefly so a burst of commands costs
 * one lookup per person, and a promoted or demoted admin is seen within a
 * minute.
 */
export interface AdminCheck {
  isAdmin(userId: string): Promise<boolean>;
}

type UsersInfo = Pick<webApi.WebClient['users'], 'info'>;

export function createAdminCheck(
  users: UsersInfo,
  adminUserIds: readonly string[],
  log: Logger,
  ttlMs = 60_000,
  now: () => number = Date.now,
): AdminCheck {
  const listed = new Set(adminUserIds);
  // The promise is cached, so concurrent commands from one person share a lookup.
  const cache = new Map<string, { expires: number; answer: Promise<boolean> }>();

  async function lookUp(userId: string): Promise<boolean> {
    try {
      const result = await users.info({ user: userId });
      const user = result.user;
      return Boolean(user && (user.is_admin || user.is_owner || user.is_primary_owner));
    } catch (error) {
      cache.delete(userId);
      // Failing closed: the user gets the admin refusal and can try again.
      log.warn({ err: error, user: userId }, 'slack: users.info failed; treating the user as not an admin');
      return false;
    }
  }

  return {
    isAdmin(userId) {
      if (listed.has(userId)) return Promise.resolve(true);
      const cached = cache.get(userId);
      if (cached && cached.expires > now()) return cached.answer;
      if (cache.size > 10_000) cache.clear();
      const answer = lookUp(userId);
      cache.set(userId, { expires: now() + ttlMs, answer });
      return answer;
    },
  };
}
