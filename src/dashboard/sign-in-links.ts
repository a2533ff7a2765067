import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { CommandContext } from '../router/command.ts';

/**
 * One-time sign-in links for the web dashboard. `/dashboard` makes one for
 * the admin who asked; it is HMAC-signed (so nobody can forge one), names the
 * server or workspace it opens (so it opens nothing else), expires after ten
 * minutes and is consumed atomically in the store (so two instances sharing
 * the store cannot both accept it).
 */

export const LINK_LIFETIME_MS = 10 * 60_000;

/** Who signs in, and for which server/workspace (`discord:<guild>`, `slack:<team>`). */
export interface DashboardGrant {
  scope: string;
  /** The channel /dashboard was run in: feeds added from the page are added "in" it. */
  channel: { id: string; platform: 'discord' | 'slack'; guildId: string };
  user: { id: string; name?: string };
}

interface LinkPayload extends DashboardGrant {
  /** Expiry, epoch milliseconds. */
  exp: number;
  /** Random: the key under which the link is marked used. */
  nonce: string;
}

export type LinkCheck =
  | { ok: true; grant: DashboardGrant; nonce: string; expiresAt: number }
  | { ok: false; problem: 'FORGED' | 'EXPIRED' | 'USED' };

/** `discord:<guild>` / `slack:<team>`, or undefined outside a server (DMs, console). */
export function serverScope(channel: CommandContext['channel']): string | undefined {
  if (!channel.guildId || (channel.platform !== 'discord' && channel.platform !== 'slack')) return undefined;
  return `${channel.platform}:${channel.guildId}`;
}

export class SignInLinks {
  private key: Buffer | undefined;
  private readonly used;
  private readonly secrets;

  constructor(
    store: Store,
    private readonly configured: string | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.used = store.collection<string>('dashboard-used-links');
    this.secrets = store.collection<string>('dashboard-secret');
  }

  /**
   * The signing key: DASHBOARD_SECRET, else one generated once and kept in
   * the store, so every instance (and the next start) signs and checks alike.
   */
  private async signingKey(): Promise<Buffer> {
    if (this.key) return this.key;
    if (this.configured) return (this.key = Buffer.from(this.configured, 'utf8'));
    await this.secrets.setIfAbsent('hmac', randomBytes(32).toString('hex'));
    const kept = await this.secrets.get('hmac');
    if (!kept) throw new Error('the dashboard signing key could not be read back from the store');
    return (this.key = Buffer.from(kept, 'utf8'));
  }

  /** A token for the link's `t` parameter. */
  async create(grant: DashboardGrant): Promise<{ token: string; expiresAt: Date }> {
    const payload: LinkPayload = { ...grant, exp: this.clock() + LINK_LIFETIME_MS, nonce: randomBytes(16).toString('base64url') };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return { token: `${body}.${await this.sign(body)}`, expiresAt: new Date(payload.exp) };
  }

  /** Signature and expiry only: the link is not used up (a page that shows a "Sign in" button calls this). */
  async check(token: string): Promise<LinkCheck> {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || token.length > 4096) return { ok: false, problem: 'FORGED' };
    const expected = Buffer.from(await this.sign(body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, problem: 'FORGED' };
    let payload: LinkPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkPayload;
    } catch {
      return { ok: false, problem: 'FORGED' };
    }
    if (typeof payload.exp !== 'number' || payload.exp <= this.clock()) return { ok: false, problem: 'EXPIRED' };
    if ((await this.used.get(payload.nonce)) !== undefined) return { ok: false, problem: 'USED' };
    const { scope, channel, user } = payload;
    return { ok: true, grant: { scope, channel, user }, nonce: payload.nonce, expiresAt: payload.exp };
  }

  /** Checks the link and uses it up; of two instances accepting it at once, only one succeeds. */
  async consume(token: string): Promise<LinkCheck> {
    const checked = await this.check(token);
    if (!checked.ok) return checked;
    // Kept a little longer than the link lives: after that, expiry refuses it anyway.
    const won = await this.used.setIfAbsent(checked.nonce, new Date(this.clock()).toISOString(), checked.expiresAt - this.clock() + 60_000);
    return won ? checked : { ok: false, problem: 'USED' };
  }

  private async sign(body: string): Promise<string> {
    return createHmac('sha256', await this.signingKey()).update(`armistice-dashboard-link:${body}`).digest('base64url');
  }
}
