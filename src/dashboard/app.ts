import { readFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Services } from '../services.ts';
import { AttemptLimiter } from './rate-limit.ts';
import { BASE, page, type Html } from './layout.ts';
import { csrfMatches, Sessions, SESSION_LIFETIME_MS, type Session } from './sessions.ts';
import { feedRoutes } from './feed-routes.ts';
import { scheduleRoutes } from './schedule-routes.ts';
import { reviewRoutes } from './review-routes.ts';
import type { LinkCheck } from './sign-in-links.ts';

/**
 * The web dashboard for admins, served under /dashboard on PORT beside the
 * health endpoints. Server-rendered HTML with plain forms: it works without
 * JavaScript, and the Content-Security-Policy allows no script at all.
 * Sign-in: a one-time link from /dashboard, then a session cookie.
 */

export interface DashboardOptions {
  /** Failed sign-in attempts allowed per client address per 10 minutes. */
  signInAttempts?: number;
  clock?: () => number;
}

export type DashboardEnv = { Variables: { session: Session }; Bindings: { incoming?: IncomingMessage } };
export type DashboardApp = Hono<DashboardEnv>;

const STYLE = readFileSync(new URL('./static/style.css', import.meta.url), 'utf8');
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const COOKIE = 'armistice_dashboard';

const PROBLEMS: Record<Exclude<LinkCheck, { ok: true }>['problem'], { status: 403 | 410; title: string; text: string }> = {
  FORGED: { status: 403, title: 'This link is not valid', text: 'It was not made by this bot, or it was changed or cut short. Copy the whole link, or ask for a new one with /dashboard.' },
  EXPIRED: { status: 410, title: 'This link has expired', text: 'Sign-in links work for 10 minutes. Run /dashboard again in your server for a new one.' },
  USED: { status: 410, title: 'This link was already used', text: 'Each link signs in once. If that was not you, nobody else can use it now; run /dashboard again for a new one.' },
};

export function createDashboard(services: Services, options: DashboardOptions = {}): DashboardApp {
  const sessions = new Sessions(services.store, options.clock);
  const limiter = new AttemptLimiter(options.signInAttempts ?? 20, 10 * 60_000, options.clock);
  const secure = (services.dashboard.baseUrl ?? '').startsWith('https://');
  const app = new Hono<DashboardEnv>().basePath(BASE);

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // Not no-referrer: with it Chromium sends `Origin: null` on the page's own forms, which the origin check refuses.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
  });
  // Forms only ever come from the dashboard's own pages: a cross-site post is refused before anything else.
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST' && !sameOrigin(c, services.dashboard.baseUrl)) return c.html(problemPage('This form came from another site', 'Open the dashboard and submit it there.'), 403);
    return next();
  });
  app.onError((error, c) => {
    services.log.error({ err: error, path: c.req.path }, 'dashboard request failed');
    return c.html(problemPage('Sorry — something went wrong', 'It has been logged. Please try again in a moment.'), 500);
  });

  app.get('/style.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8' }));

  const client = (c: Context<DashboardEnv>) => c.env?.incoming?.socket.remoteAddress ?? 'unknown';
  const overLimit = (c: Context<DashboardEnv>) => limiter.blocked(client(c));
  const refuse = (c: Context<DashboardEnv>, problem: keyof typeof PROBLEMS) => {
    limiter.fail(client(c));
    return c.html(problemPage(PROBLEMS[problem].title, PROBLEMS[problem].text), PROBLEMS[problem].status);
  };

  app.get('/sign-in', async (c) => {
    if (overLimit(c)) return c.html(problemPage('Too many sign-in attempts', 'Wait ten minutes, then open a fresh link from /dashboard.'), 429);
    const token = c.req.query('t') ?? '';
    const checked = await services.dashboard.links.check(token);
    if (!checked.ok) return refuse(c, checked.problem);
    // Opening the link does not use it up (link previews open links too): this button does.
    return c.html(
      page({
        title: 'Sign in',
        body: html`<p>Sign in as ${checked.grant.user.name ?? checked.grant.user.id} to the dashboard of ${checked.grant.scope}.</p>
<form method="post" action="${BASE}/sign-in"><input type="hidden" name="t" value="${token}"><button type="submit">Sign in</button></form>`,
      }),
    );
  });

  app.post('/sign-in', async (c) => {
    if (overLimit(c)) return c.html(problemPage('Too many sign-in attempts', 'Wait ten minutes, then open a fresh link from /dashboard.'), 429);
    const form = await c.req.parseBody();
    const used = await services.dashboard.links.consume(typeof form.t === 'string' ? form.t : '');
    if (!used.ok) return refuse(c, used.problem);
    const { id } = await sessions.start(used.grant);
    setCookie(c, COOKIE, id, { httpOnly: true, secure, sameSite: 'Strict', path: BASE, maxAge: SESSION_LIFETIME_MS / 1000 });
    services.log.info({ scope: used.grant.scope, user: used.grant.user.id }, 'dashboard sign-in');
    return c.redirect(`${BASE}/feeds`, 303);
  });

  // Everything below needs a session; forms also need its CSRF token.
  app.use('*', async (c, next) => {
    const session = await sessions.get(getCookie(c, COOKIE));
    if (!session) return c.html(problemPage('Please sign in', 'Run /dashboard in your server or workspace (admins) for a sign-in link.'), 401);
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!csrfMatches(session, form.csrf)) return c.html(problemPage('This form has expired', 'Reload the page and try again (forms belong to the session that showed them).'), 403);
    }
    c.set('session', session);
    return next();
  });

  app.get('/', (c) => c.redirect(`${BASE}/feeds`, 303));
  app.post('/sign-out', async (c) => {
    await sessions.end(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: BASE, secure });
    return c.html(problemPage('Signed out', 'Run /dashboard again to come back.'));
  });
  feedRoutes(app, services);
  scheduleRoutes(app, services);
  reviewRoutes(app, services);
  app.notFound((c) => c.html(problemPage('Not found', 'Nothing here belongs to the server you signed in to.'), 404));
  return app;
}

/** The dashboard as a Node request listener, for the health server's port. */
export function dashboardRequestListener(services: Services, options?: DashboardOptions): RequestListener {
  const app = createDashboard(services, options);
  // Leave the global Request/Response alone: the rest of the bot uses undici's.
  const listener = getRequestListener((request, env) => app.fetch(request, env), { overrideGlobalObjects: false });
  return (req, res) => void listener(req, res);
}

/** True for requests under /dashboard: the health server hands those to the dashboard. */
export function isDashboardPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?')[0]!;
  return path === BASE || path.startsWith(`${BASE}/`);
}

function sameOrigin(c: Context<DashboardEnv>, baseUrl: string | undefined): boolean {
  const origin = c.req.header('origin');
  // Browsers send Origin on every POST; its absence means a non-browser client, which cookies do not follow.
  if (!origin) return true;
  if (baseUrl && origin === new URL(baseUrl).origin) return true;
  const host = c.req.header('host');
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export function problemPage(title: string, text: string): Html {
  return page({ title, body: html`<p>${text}</p>` });
}

/** Requests under /dashboard to the dashboard, the rest to `next` (Slack's HTTP receiver), else 404. */
export function withDashboard(dashboard: RequestListener, next?: RequestListener): RequestListener {
  return (req, res) => {
    if (isDashboardPath(req.url)) return dashboard(req, res);
    if (next) return next(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  };
}
