import type { Services } from './services.ts';
import type { SlackApp } from './platform/slack/app.ts';
import { runLeaderDuties } from './leader-duties.ts';
import { createShutdown } from './ops/shutdown.ts';
import { enableMetrics } from './ops/metrics.ts';
import { watchHeap } from './ops/heap-watch.ts';
import { startHealthServer, storeCheck, type ReadinessCheck } from './ops/health-server.ts';
import { PlatformStates } from './ops/platform-state.ts';
import { PlatformRefusedError, type BackoffPolicy } from './ops/retry-backoff.ts';

/**
 * A long-running bot on Discord and/or Slack: the health and metrics server
 * on PORT (shared with Slack's HTTP mode), leadership of the poller and
 * scheduler, and an orderly stop on SIGTERM/SIGINT.
 *
 * Health first: the ops server and the leader duties start before any
 * platform connects, and each platform connects in the background, trying
 * again with backoff while it is out of reach. One platform's trouble is
 * its own: the other, the poller and the scheduler carry on, and posts due
 * meanwhile wait in the ledger until it is back. A platform that refuses
 * its credentials is marked `refused`; when no platform is left, the
 * process exits 1 with the how-to-fix line.
 */
export async function runPlatforms(services: Services): Promise<void> {
  const { config, log } = services;
  let exitCode: number | undefined;
  const shutdown = createShutdown({ log, exit: (code) => process.exit(exitCode ?? code) });
  // Counting starts before the first interaction can arrive.
  const registry = await enableMetrics();
  const onDiscord = Boolean(config.DISCORD_TOKEN);
  const onSlack = Boolean(config.SLACK_BOT_TOKEN);
  const states = new PlatformStates([...(onDiscord ? ['discord'] : []), ...(onSlack ? ['slack'] : [])]);
  const checks: ReadinessCheck[] = [storeCheck(services.store), ...states.platforms().map((p) => states.check(p))];
  const stops: Array<{ name: string; stop(): Promise<void> }> = [];
  const policy: BackoffPolicy = { firstMs: config.PLATFORM_RETRY_FIRST_SECONDS * 1000, maxMs: config.PLATFORM_RETRY_MAX_SECONDS * 1000 };
  const connecting = new AbortController();

  let slack: SlackApp | undefined;
  let slackPort: number | undefined;
  if (onSlack) {
    const { createSlack, DEFAULT_HTTP_PORT } = await import('./platform/slack/app.ts');
    // Built now, connected below: in HTTP mode its listener is mounted on the ops server (503 until connected).
    slack = createSlack(services, config.SLACK_APP_TOKEN ? {} : { listen: false });
    if (slack.requestListener) slackPort = DEFAULT_HTTP_PORT;
  }
  // In HTTP mode Slack's events arrive on the same port as /healthz and /metrics.
  const port = config.PORT ?? slackPort;
  // The admins' web dashboard answers under /dashboard on the same port (src/dashboard).
  const { dashboardRequestListener, withDashboard } = await import('./dashboard/app.ts');
  const extraHandler = withDashboard(dashboardRequestListener(services), slack?.requestListener);
  const health = port === undefined ? undefined : await startHealthServer({ port, checks, registry, extraHandler });
  if (health) log.info({ port: health.port }, 'health, readiness and metrics on /healthz, /readyz, /metrics');

  const leader = runLeaderDuties(services, { platforms: states });
  const stopHeapWatch = watchHeap(log);

  shutdown.add('stop being ready', () => health?.markDraining());
  shutdown.add('stop connecting to the platforms', () => connecting.abort());
  shutdown.add('stop leading (poller, scheduler, lease)', () => leader.stop());
  shutdown.add('close the platforms (replies in flight finish first)', async () => {
    for (const platform of stops) await platform.stop();
  });
  shutdown.add('close the health server', () => health?.close());
  shutdown.add('close the store', () => services.close());
  shutdown.add('stop watching the heap', () => stopHeapWatch());
  shutdown.listen();

  states.onChange((platform, status) => {
    if (status.state !== 'refused' || !states.allRefused()) return;
    // Nothing left that could ever connect: a crash loop would not help, the operator must change a setting.
    log.fatal({ platform }, `no platform left to serve: ${status.reason}`);
    exitCode = 1;
    void shutdown.shutdown('every platform refused its credentials');
  });
  const refused = (name: string) => (error: unknown) => {
    if (error instanceof PlatformRefusedError) {
      log.error({ platform: name }, error.message);
      states.set(name, 'refused', error.message);
      return;
    }
    log.error({ err: error, platform: name }, `${name}: connecting stopped on an unexpected error`);
    states.set(name, 'refused', error instanceof Error ? error.message : String(error));
  };

  if (onDiscord) {
    const { superviseDiscord } = await import('./platform/discord/supervise.ts');
    void superviseDiscord(services, states, { policy, signal: connecting.signal }).then((discord) => {
      if (discord) stops.push({ name: 'discord', stop: () => discord.stop() });
    }, refused('discord'));
  }
  if (slack) {
    const { superviseSlack } = await import('./platform/slack/supervise.ts');
    void superviseSlack(services, states, slack, { policy, signal: connecting.signal }).then((connection) => {
      if (connection) stops.push({ name: 'slack', stop: () => connection.stop() });
    }, refused('slack'));
  }
  log.info({ platforms: states.platforms() }, 'armistice-bot is running; SIGTERM or Ctrl+C stops it');
  await new Promise<never>(() => {});
}
