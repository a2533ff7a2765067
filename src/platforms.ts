import type { Services } from './services.ts';
import { runLeaderDuties } from './leader-duties.ts';
import { createShutdown } from './ops/shutdown.ts';
import { enableMetrics } from './ops/metrics.ts';
import { watchHeap } from './ops/heap-watch.ts';
import { startHealthServer, storeCheck, type ReadinessCheck } from './ops/health-server.ts';

/**
 * A long-running bot on Discord and/or Slack: the platforms, the health and
 * metrics server on PORT (shared with Slack's HTTP mode), leadership of the
 * poller and scheduler, and an orderly stop on SIGTERM/SIGINT.
 */
export async function runPlatforms(services: Services): Promise<void> {
  const { config, log } = services;
  const shutdown = createShutdown({ log });
  // Counting starts before the first interaction can arrive.
  const registry = await enableMetrics();
  const checks: ReadinessCheck[] = [storeCheck(services.store)];
  const stops: Array<{ name: string; stop(): Promise<void> }> = [];
  let slackListener: import('node:http').RequestListener | undefined;
  let slackPort: number | undefined;

  if (config.DISCORD_TOKEN) {
    const { startDiscord } = await import('./platform/discord/client.ts');
    const discord = await startDiscord(services);
    stops.push({ name: 'discord', stop: () => discord.stop() });
    checks.push(async () => ({ name: 'discord', ok: discord.connected(), detail: discord.connected() ? 'gateway connected' : 'gateway reconnecting' }));
  }
  if (config.SLACK_BOT_TOKEN) {
    const { startSlack, DEFAULT_HTTP_PORT } = await import('./platform/slack/app.ts');
    // In HTTP mode Slack's events arrive on the same port as /healthz and /metrics.
    const slack = await startSlack(services, config.SLACK_APP_TOKEN ? {} : { listen: false });
    slackListener = slack.requestListener;
    if (slackListener) slackPort = DEFAULT_HTTP_PORT;
    stops.push({ name: 'slack', stop: () => slack.stop() });
    checks.push(async () => ({ name: 'slack', ok: slack.connected(), detail: `${slack.mode} mode` }));
  }

  const port = config.PORT ?? slackPort;
  // The admins' web dashboard answers under /dashboard on the same port (src/dashboard).
  const { dashboardRequestListener, withDashboard } = await import('./dashboard/app.ts');
  const extraHandler = withDashboard(dashboardRequestListener(services), slackListener);
  const health =
    port === undefined
      ? undefined
      : await startHealthServer({ port, checks, registry, extraHandler });
  if (health) log.info({ port: health.port }, 'health, readiness and metrics on /healthz, /readyz, /metrics');

  const leader = runLeaderDuties(services);
  const stopHeapWatch = watchHeap(log);

  shutdown.add('stop being ready', () => health?.markDraining());
  shutdown.add('stop leading (poller, scheduler, lease)', () => leader.stop());
  for (const platform of stops) shutdown.add(`close ${platform.name} (replies in flight finish first)`, () => platform.stop());
  shutdown.add('close the health server', () => health?.close());
  shutdown.add('close the store', () => services.close());
  shutdown.add('stop watching the heap', () => stopHeapWatch());
  shutdown.listen();
  log.info('armistice-bot is running; SIGTERM or Ctrl+C stops it');
  await new Promise<never>(() => {});
}
