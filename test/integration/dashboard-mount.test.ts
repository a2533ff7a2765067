import { afterEach, beforeEach, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/ops/health-server.ts';
import { dashboardRequestListener, withDashboard } from '../../src/dashboard/app.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';

// The dashboard shares PORT with /healthz and Slack's HTTP receiver, as src/platforms.ts mounts it.

let services: Services;
let health: HealthServer;
const slackSaw: string[] = [];

beforeEach(async () => {
  services = await makeTestServices({ PUBLIC_URL: 'http://127.0.0.1:1' });
  const slack = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    slackSaw.push(req.url ?? '');
    res.writeHead(200).end('slack');
  };
  health = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [], extraHandler: withDashboard(dashboardRequestListener(services), slack) });
});
afterEach(async () => {
  await health.close();
  await services.close();
});

it('serves /dashboard, leaves /healthz and Slack’s paths to their owners, and answers 404 elsewhere without Slack', async () => {
  const base = `http://127.0.0.1:${health.port}`;
  expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
  const dashboard = await fetch(`${base}/dashboard/feeds`);
  expect(dashboard.status).toBe(401);
  expect(dashboard.headers.get('content-type')).toContain('text/html');
  expect(await (await fetch(`${base}/slack/events`, { method: 'POST', body: 'x' })).text()).toBe('slack');
  // A path that merely starts with the word is not the dashboard's.
  expect(await (await fetch(`${base}/dashboards`)).text()).toBe('slack');
  expect(slackSaw).toEqual(['/slack/events', '/dashboards']);

  const alone = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [], extraHandler: withDashboard(dashboardRequestListener(services)) });
  try {
    expect((await fetch(`http://127.0.0.1:${alone.port}/slack/events`)).status).toBe(404);
  } finally {
    await alone.close();
  }
});
