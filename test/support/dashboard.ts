import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardRequestListener, withDashboard, type DashboardOptions } from '../../src/dashboard/app.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from './services.ts';

/**
 * The real services and the real dashboard on a loopback port, as the health
 * server mounts it. The port is known before the services are built, so
 * PUBLIC_URL (and thus /dashboard's links) point at it.
 */
export interface DashboardHarness {
  services: Services;
  origin: string;
  close(): Promise<void>;
}

export async function startDashboard(env: Record<string, string> = {}, options?: DashboardOptions): Promise<DashboardHarness> {
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const services = await makeTestServices({ PUBLIC_URL: origin, ...env });
  handler = withDashboard(dashboardRequestListener(services, options));
  return {
    services,
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}

export function adminOf(guild: string, channel = `C-${guild}`, platform: 'discord' | 'slack' = 'discord'): Caller {
  return { user: { id: `U-${guild}`, name: `Admin of ${guild}`, isAdmin: true }, channel: { id: channel, platform, guildId: guild } };
}

/** The link /dashboard answers with, asked through the router. */
export async function dashboardLink(services: Services, caller: Caller): Promise<string> {
  const reply = await dispatchLine(services, '/dashboard', caller);
  const url = reply.items?.[0]?.url;
  if (!url) throw new Error(`/dashboard gave no link: ${JSON.stringify(reply)}`);
  return url;
}

/** A signed-in admin of `caller`'s server: GET and POST with the session cookie and the page's CSRF token. */
export interface Browser {
  get(path: string): Promise<{ status: number; text: string; headers: Headers }>;
  /** Posts a form; the CSRF token of the last page seen is added unless `csrf` is given. */
  post(path: string, form: Record<string, string>, options?: { csrf?: string | null; origin?: string }): Promise<{ status: number; text: string }>;
  csrf: string;
}

export async function signedIn(h: DashboardHarness, caller: Caller): Promise<Browser> {
  const token = new URL(await dashboardLink(h.services, caller)).searchParams.get('t')!;
  const res = await fetch(`${h.origin}/dashboard/sign-in`, { method: 'POST', body: new URLSearchParams({ t: token }), redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  const browser: Browser = {
    csrf: '',
    async get(path) {
      const r = await fetch(`${h.origin}${path}`, { headers: { cookie } });
      const text = await r.text();
      browser.csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? browser.csrf;
      return { status: r.status, text, headers: r.headers };
    },
    async post(path, form, options = {}) {
      const body = new URLSearchParams(form);
      const csrf = options.csrf === undefined ? browser.csrf : options.csrf;
      if (csrf !== null) body.set('csrf', csrf);
      const headers: Record<string, string> = { cookie };
      if (options.origin) headers.origin = options.origin;
      const r = await fetch(`${h.origin}${path}`, { method: 'POST', body, headers, redirect: 'manual' });
      return { status: r.status, text: await r.text() };
    },
  };
  await browser.get('/dashboard/feeds');
  return browser;
}
