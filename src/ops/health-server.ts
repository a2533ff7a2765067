import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Store } from '../store/store.ts';

/**
 * The operations endpoints on PORT:
 * - GET /healthz: 200 "ok" while the process can answer HTTP at all (liveness);
 * - GET /readyz: 200 when every readiness check passes, else 503; both with
 *   the JSON list of checks, so whoever looks sees what is wrong (for each
 *   platform its state — connecting, connected, reconnecting, refused — and
 *   the last reason). It answers from the start, before any platform is
 *   connected. `/readyz?platform=slack` counts only that platform (and the
 *   store): the probe for a load balancer in front of Slack's HTTP mode,
 *   which Discord's trouble must not take out of rotation;
 * - GET /metrics: the Prometheus registry's text.
 * Any other request goes to `extraHandler` (Slack's HTTP receiver), so one
 * port serves both.
 */

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Platforms: `connecting`, `connected`, `reconnecting` or `refused` (see platform-state.ts). */
  state?: string;
  /** The reason, or what is checked. */
  detail?: string;
  /** Platforms: when the state was entered (ISO instant), so a gap shows how long it lasts. */
  since?: string;
}
export type ReadinessCheck = () => Promise<CheckResult>;

export interface OpsHandlerOptions {
  /** Read at each request: checks pushed later (a platform that connects later) count too. */
  checks: ReadinessCheck[];
  /** Served at /metrics; without it /metrics is a 404. */
  registry?: Registry;
  /** Gets every request that is not one of the three above. Default: 404. */
  extraHandler?: RequestListener;
  /** A check that has not answered after this long fails. Default 2 s. */
  checkTimeoutMs?: number;
}

export interface HealthServerOptions extends OpsHandlerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Default: every interface (what a container's health probe needs). Tests pass 127.0.0.1. */
  host?: string;
}

export interface HealthServer {
  /** The port actually listened on. */
  port: number;
  /** From now on /readyz answers 503 "shutting down", so balancers stop sending work. */
  markDraining(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/** The store answers a ping. */
export function storeCheck(store: Pick<Store, 'ping' | 'kind'>): ReadinessCheck {
  return async () => {
    try {
      await store.ping();
      return { name: 'store', ok: true, detail: store.kind };
    } catch (error) {
      return { name: 'store', ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** Runs every check at once; a check that throws or hangs fails with the reason as detail. */
export async function runChecks(checks: readonly ReadinessCheck[], timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check, index) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ name: check.name || `check-${index + 1}`, ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return await Promise.race([check(), timeout]);
      } catch (error) {
        return { name: check.name || `check-${index + 1}`, ok: false, detail: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

/**
 * The request listener behind startHealthServer, for mounting elsewhere
 * (e.g. as Bolt custom routes' handler). `draining()` makes /readyz fail.
 */
export function opsRequestListener(options: OpsHandlerOptions, draining: () => boolean = () => false): RequestListener {
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return (req, res) => {
    const [path, query = ''] = (req.url ?? '/').split('?') as [string, string?];
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && path === '/healthz') return send(req, res, 200, 'text/plain; charset=utf-8', 'ok\n');
    if (read && path === '/readyz') {
      const platform = new URLSearchParams(query).get('platform');
      void readiness(options.checks, timeoutMs, draining()).then(
        (all) => {
          // ?platform=slack: only that platform counts (and the checks that are no platform's).
          const checks = platform === null ? all : all.filter((c) => c.state === undefined || c.name === platform);
          if (platform !== null && !checks.some((c) => c.name === platform)) {
            return send(req, res, 404, 'text/plain; charset=utf-8', `no platform “${platform}” in this process\n`);
          }
          send(req, res, checks.every((c) => c.ok) ? 200 : 503, 'application/json', JSON.stringify({ checks }) + '\n');
        },
        () => send(req, res, 500, 'text/plain; charset=utf-8', 'readiness checks failed to run\n'),
      );
      return;
    }
    if (read && path === '/metrics' && options.registry) {
      const registry = options.registry;
      void registry.metrics().then(
        (text) => send(req, res, 200, registry.contentType, text),
        () => send(req, res, 500, 'text/plain; charset=utf-8', 'metrics failed to collect\n'),
      );
      return;
    }
    const extra = options.extraHandler;
    if (extra) {
      // Handlers may throw or return a rejected promise (Bolt's does); either way the client gets an answer.
      void Promise.resolve()
        .then(() => extra(req, res))
        .catch(() => (res.headersSent ? res.end() : send(req, res, 500, 'text/plain; charset=utf-8', 'internal error\n')));
      return;
    }
    send(req, res, 404, 'text/plain; charset=utf-8', 'not found\n');
  };
}

async function readiness(checks: readonly ReadinessCheck[], timeoutMs: number, draining: boolean): Promise<CheckResult[]> {
  const results = await runChecks(checks, timeoutMs);
  return draining ? [{ name: 'shutdown', ok: false, detail: 'shutting down' }, ...results] : results;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  let draining = false;
  const server = createServer(opsRequestListener(options, () => draining));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    markDraining: () => void (draining = true),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open; requests in progress have had their chance by now.
        server.closeAllConnections();
      }),
  };
}
