import { createHmac } from 'node:crypto';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, storeCheck, type CheckResult, type HealthServer } from '../../src/ops/health-server.ts';
import { enableMetrics, setLeader, setQueueDepth } from '../../src/ops/metrics.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { openStore } from '../../src/store/open.ts';
import { makeTestServices } from '../support/services.ts';

/**
 * What an operator's probes and Prometheus see on PORT, with the real
 * services and router, and Slack's real HTTP receiver sharing the port.
 */

const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'console:ops', platform: 'console' } };

let services: Services;
let server: HealthServer;
let platformUp = true;
const base = () => `http://127.0.0.1:${server.port}`;

beforeAll(async () => {
  services = await makeTestServices();
  const registry = await enableMetrics();
  const platformCheck = async (): Promise<CheckResult> => ({ name: 'discord', ok: platformUp, detail: platformUp ? 'connected' : 'gateway disconnected' });
  server = await startHealthServer({ port: 0, host: '127.0.0.1', registry, checks: [storeCheck(services.store), platformCheck], checkTimeoutMs: 300 });
});
afterAll(async () => {
  await server.close();
  await services.close();
});

describe('the health endpoints', () => {
  it('answers /healthz with 200 "ok" and /readyz with 200 and the passing checks', async () => {
    const live = await fetch(`${base()}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.text()).toBe('ok\n');

    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      checks: [
        { name: 'store', ok: true, detail: 'sqlite' },
        { name: 'discord', ok: true, detail: 'connected' },
      ],
    });
  });

  it('answers /readyz with 503 naming what is wrong: a platform down, a store that is closed', async () => {
    platformUp = false;
    try {
      const response = await fetch(`${base()}/readyz`);
      expect(response.status).toBe(503);
      const { checks } = (await response.json()) as { checks: CheckResult[] };
      expect(checks.filter((c) => !c.ok)).toEqual([{ name: 'discord', ok: false, detail: 'gateway disconnected' }]);
    } finally {
      platformUp = true;
    }

    const closed = await openStore('sqlite::memory:');
    await closed.close();
    const other = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [storeCheck(closed)] });
    try {
      const response = await fetch(`http://127.0.0.1:${other.port}/readyz`);
      expect(response.status).toBe(503);
      const { checks } = (await response.json()) as { checks: CheckResult[] };
      expect(checks[0]).toMatchObject({ name: 'store', ok: false, detail: expect.stringContaining('not answering') });
      // No registry given: no /metrics.
      expect((await fetch(`http://127.0.0.1:${other.port}/metrics`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('fails a check that does not answer in time, and fails readiness while draining', async () => {
    const hanging = startHealthServer({ port: 0, host: '127.0.0.1', checks: [() => new Promise<never>(() => undefined)], checkTimeoutMs: 200 });
    const other = await hanging;
    try {
      const started = Date.now();
      const response = await fetch(`http://127.0.0.1:${other.port}/readyz`);
      expect(response.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(((await response.json()) as { checks: CheckResult[] }).checks[0]).toMatchObject({ ok: false, detail: 'no answer within 200 ms' });
    } finally {
      await other.close();
    }

    const drained = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [] });
    try {
      expect((await fetch(`http://127.0.0.1:${drained.port}/readyz`)).status).toBe(200);
      drained.markDraining();
      const response = await fetch(`http://127.0.0.1:${drained.port}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ checks: [{ name: 'shutdown', ok: false, detail: 'shutting down' }] });
      expect((await fetch(`http://127.0.0.1:${drained.port}/healthz`)).status).toBe(200);
    } finally {
      await drained.close();
    }
  });
});

describe('/metrics', () => {
  it('counts commands by result with their latency, the lease holder, queue depths and process metrics', async () => {
    await dispatchLine(services, '/help', member);
    await dispatchLine(services, '/help', member);
    await dispatchLine(services, '/subscribe digest:daily', member); // admin only: refused
    setLeader(true);
    setQueueDepth('posts', 3);

    const response = await fetch(`${base()}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('armistice_commands_total{command="/help",result="ok"} 2');
    expect(text).toContain('armistice_commands_total{command="/subscribe",result="refused"} 1');
    expect(text).toContain('armistice_command_duration_seconds_count{command="/help"} 2');
    expect(text).not.toContain('armistice_command_duration_seconds_count{command="/subscribe"}');
    expect(text).toContain('armistice_lease_holder 1');
    expect(text).toContain('armistice_queue_depth{queue="posts"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');

    setLeader(false);
    expect(await (await fetch(`${base()}/metrics`)).text()).toContain('armistice_lease_holder 0');
  });
});

describe('sharing the port with Slack', () => {
  it("hands every other request to Bolt's HTTPReceiver: signed slash commands are answered, bad signatures refused", async () => {
    const signingSecret = 'test-signing-secret';
    const receiver = new HTTPReceiver({ signingSecret, logLevel: LogLevel.ERROR });
    // botId/botUserId given: Bolt does not call auth.test, so no Slack API is needed.
    const app = new App({ token: 'xoxb-test', receiver, botId: 'B1', botUserId: 'U1', clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/' } });
    app.command('/armistice', async ({ ack }) => ack('pong'));
    const shared = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [], extraHandler: receiver.requestListener });
    try {
      const body = new URLSearchParams({ command: '/armistice', text: 'help', user_id: 'U9', channel_id: 'C9', team_id: 'T9', response_url: 'http://127.0.0.1:9/r', trigger_id: 't' }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const sign = (secret: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
      const post = (signature: string) =>
        fetch(`http://127.0.0.1:${shared.port}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
          body,
        });

      const answered = await post(sign(signingSecret));
      expect(answered.status).toBe(200);
      expect(await answered.text()).toBe('pong');
      expect((await post(sign('wrong-secret'))).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${shared.port}/healthz`)).status).toBe(200);
    } finally {
      await shared.close();
    }
  });
});
