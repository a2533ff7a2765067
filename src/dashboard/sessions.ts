import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Collection, Store } from '../store/store.ts';
import type { DashboardGrant } from './sign-in-links.ts';

/**
 * Dashboard sessions, kept in the store so any instance can serve the next
 * request. The cookie holds a random id; the store holds only its hash, so a
 * copy of the store opens no session.
 */

export const SESSION_LIFETIME_MS = 8 * 3_600_000;

export interface Session extends DashboardGrant {
  /** The CSRF token every form of this session carries. */
  csrf: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class Sessions {
  private readonly entries: Collection<Session>;

  constructor(
    store: Store,
    private readonly clock: () => number = Date.now,
  ) {
    this.entries = store.collection<Session>('dashboard-sessions');
  }

  /** Starts a session; returns the id for the cookie. */
  async start(grant: DashboardGrant): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = { ...grant, csrf: randomBytes(24).toString('base64url'), expiresAt: this.clock() + SESSION_LIFETIME_MS };
    await this.entries.set(key(id), session, SESSION_LIFETIME_MS);
    return { id, session };
  }

  async get(id: string | undefined): Promise<Session | undefined> {
    if (!id || id.length > 200) return undefined;
    const session = await this.entries.get(key(id));
    return session && session.expiresAt > this.clock() ? session : undefined;
  }

  async end(id: string | undefined): Promise<void> {
    if (id && id.length <= 200) await this.entries.delete(key(id));
  }
}

/** True when the form's token is the session's (compared in constant time). */
export function csrfMatches(session: Session, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function key(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
