import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { SignInLinks } from '../../src/dashboard/sign-in-links.ts';
import { adminOf, dashboardLink, startDashboard, type DashboardHarness } from '../support/dashboard.ts';

// Sign-in to the web dashboard: links made by /dashboard through the router,
// opened over real HTTP on loopback against the real services (SQLite).

let h: DashboardHarness;
beforeEach(async () => {
  h = await startDashboard();
});
afterEach(async () => {
  await h.close();
});

const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;
const signIn = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${h.origin}/dashboard/sign-in`, { method: 'POST', body: new URLSearchParams({ t: token }), redirect: 'manual', headers });

describe('/dashboard', () => {
  it('answers an admin, only to them, with a link to this bot that expires in 10 minutes', async () => {
    const reply = await dispatchLine(h.services, '/dashboard', adminOf('G-A'));
    expect(reply.ephemeral).toBe(true);
    expect(reply.items?.[0]?.url).toMatch(new RegExp(`^${h.origin}/dashboard/sign-in\\?t=`));
    expect(renderPlainText(reply)).toContain('works once, for 10 minutes');
  });

  it('is refused to members and outside a server', async () => {
    const member = { ...adminOf('G-A'), user: { id: 'U-m', isAdmin: false } };
    expect((await dispatchLine(h.services, '/dashboard', member)).errorCode).toBe('NOT_ADMIN');
    const dm = { user: { id: 'U-a', isAdmin: true }, channel: { id: 'D1', platform: 'discord' as const } };
    expect((await dispatchLine(h.services, '/dashboard', dm)).errorCode).toBe('NO_SERVER');
  });

  it('says the dashboard is off when the bot serves no HTTP', async () => {
    const off = await startDashboard({ PUBLIC_URL: '' });
    try {
      expect((await dispatchLine(off.services, '/dashboard', adminOf('G-A'))).errorCode).toBe('DASHBOARD_OFF');
    } finally {
      await off.close();
    }
  });
});

describe('signing in', () => {
  it('opens a page with a button (opening does not use the link up), then a session cookie', async () => {
    const link = await dashboardLink(h.services, adminOf('G-A'));
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Sign in as Admin of G-A to the dashboard of discord:G-A');
    expect((await fetch(link)).status).toBe(200);

    const signed = await signIn(tokenOf(link));
    expect(signed.status).toBe(303);
    expect(signed.headers.get('location')).toBe('/dashboard/feeds');
    const cookie = signed.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^armistice_dashboard=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).toContain('Max-Age=28800');
    expect(cookie).not.toContain('Secure'); // plain http here; see the https case below
    const feeds = await fetch(`${h.origin}/dashboard/feeds`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(feeds.status).toBe(200);
    expect(await feeds.text()).toContain('<h1>Feeds</h1>');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await startDashboard({ PUBLIC_URL: 'https://dash.example.org' });
    try {
      const link = await dashboardLink(secure.services, adminOf('G-A'));
      expect(link.startsWith('https://dash.example.org/dashboard/sign-in?t=')).toBe(true);
      const res = await fetch(`${secure.origin}/dashboard/sign-in`, { method: 'POST', body: new URLSearchParams({ t: tokenOf(link) }), redirect: 'manual' });
      expect(res.headers.get('set-cookie')).toContain('Secure');
    } finally {
      await secure.close();
    }
  });

  it('refuses a link used before, with a clear page and no session', async () => {
    const token = tokenOf(await dashboardLink(h.services, adminOf('G-A')));
    expect((await signIn(token)).status).toBe(303);
    const again = await signIn(token);
    expect(again.status).toBe(410);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('This link was already used');
    expect((await fetch(`${h.origin}/dashboard/sign-in?t=${token}`)).status).toBe(410);
  });

  it('lets only one of two simultaneous sign-ins with the same link through', async () => {
    const token = tokenOf(await dashboardLink(h.services, adminOf('G-A')));
    const statuses = (await Promise.all([signIn(token), signIn(token), signIn(token)])).map((r) => r.status).sort();
    expect(statuses).toEqual([303, 410, 410]);
  });

  it('refuses forged links: a changed signature, another server in the payload, a made-up token', async () => {
    const token = tokenOf(await dashboardLink(h.services, adminOf('G-A')));
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const otherServer = Buffer.from(JSON.stringify({ ...payload, scope: 'discord:G-B' })).toString('base64url');
    const forgeries = [`${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`, `${otherServer}.${signature}`, 'hello', `${body}.`, ''];
    for (const forged of forgeries) {
      const res = await signIn(forged);
      expect(res.status, forged).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('This link is not valid');
    }
    // The real link still works: a forgery does not burn it.
    expect((await signIn(token)).status).toBe(303);
  });

  it('refuses an expired link', async () => {
    let now = Date.now();
    h.services.dashboard.links = new SignInLinks(h.services.store, undefined, () => now);
    const token = tokenOf(await dashboardLink(h.services, adminOf('G-A')));
    now += 10 * 60_000 + 1;
    const res = await signIn(token);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link has expired');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('signs with a key kept in the store, so every instance accepts the others’ links, and DASHBOARD_SECRET replaces it', async () => {
    const token = tokenOf(await dashboardLink(h.services, adminOf('G-A')));
    expect((await new SignInLinks(h.services.store, undefined).check(token)).ok).toBe(true);
    expect(await new SignInLinks(h.services.store, 'x'.repeat(32)).check(token)).toEqual({ ok: false, problem: 'FORGED' });
  });

  it('refuses requests without a session, and a made-up session cookie', async () => {
    for (const headers of [{}, { cookie: 'armistice_dashboard=made-up' }] as Array<Record<string, string>>) {
      const res = await fetch(`${h.origin}/dashboard/feeds`, { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Run /dashboard in your server');
    }
  });

  it('ends the session on sign-out', async () => {
    const signed = await signIn(tokenOf(await dashboardLink(h.services, adminOf('G-A'))));
    const cookie = signed.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${h.origin}/dashboard/feeds`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    expect((await fetch(`${h.origin}/dashboard/sign-out`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ csrf }) })).status).toBe(200);
    expect((await fetch(`${h.origin}/dashboard/feeds`, { headers: { cookie } })).status).toBe(401);
  });
});

describe('rate limit', () => {
  it('answers 429 after too many failed sign-ins from one address, even to a genuine link', async () => {
    const limited = await startDashboard({}, { signInAttempts: 3 });
    try {
      // Genuine sign-ins do not count: admins behind one proxy address do not lock each other out.
      for (let i = 0; i < 4; i++) {
        const link = await dashboardLink(limited.services, adminOf('G-A'));
        expect((await fetch(link)).status).toBe(200);
      }
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${limited.origin}/dashboard/sign-in?t=guess${i}`)).status);
      expect(statuses).toEqual([403, 403, 403, 429]);
      // While the address is over the limit a genuine link is refused too: guessing cannot go on.
      const link = await dashboardLink(limited.services, adminOf('G-A'));
      const res = await fetch(link);
      expect(res.status).toBe(429);
      expect(await res.text()).toContain('Too many sign-in attempts');
      const posted = await fetch(`${limited.origin}/dashboard/sign-in`, { method: 'POST', body: new URLSearchParams({ t: tokenOf(link) }), redirect: 'manual' });
      expect(posted.status).toBe(429);
      expect(posted.headers.get('set-cookie')).toBeNull();
    } finally {
      await limited.close();
    }
  });
});
