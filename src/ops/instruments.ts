import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus registry and its instruments. Loaded only by
 * enableMetrics() in metrics.ts, so one-shot commands (`armistice ask`) do
 * not pay for loading prom-client. Label values are kept to small, known
 * sets (command names, result words, platform names) so the number of
 * series stays bounded.
 */

/** Where the gauges read their values at scrape time. */
export interface GaugeSources {
  leading(): boolean;
  queueDepths(): Iterable<[string, number]>;
}

export function createInstruments(sources: GaugeSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    commands: new Counter({
      name: 'armistice_commands_total',
      help: 'Commands handled, by command and result (ok, user_error, refused, failed).',
      labelNames: ['command', 'result'] as const,
      registers,
    }),
    commandDuration: new Histogram({
      name: 'armistice_command_duration_seconds',
      help: 'Time to produce the reply to a command, in seconds.',
      labelNames: ['command'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    feedFetches: new Counter({
      name: 'armistice_feed_fetches_total',
      help: 'Feed fetches, by result.',
      labelNames: ['result'] as const,
      registers,
    }),
    posts: new Counter({
      name: 'armistice_posts_total',
      help: 'Posts to channels (digests, reminders), by platform and result.',
      labelNames: ['platform', 'result'] as const,
      registers,
    }),
    leaseHolder: new Gauge({
      name: 'armistice_lease_holder',
      help: '1 while this process holds the scheduler lease (runs the poller and the scheduler), else 0.',
      registers,
      collect() {
        this.set(sources.leading() ? 1 : 0);
      },
    }),
    queueDepth: new Gauge({
      name: 'armistice_queue_depth',
      help: 'Work waiting in each queue.',
      labelNames: ['queue'] as const,
      registers,
      collect() {
        for (const [queue, depth] of sources.queueDepths()) this.set({ queue }, depth);
      },
    }),
  };
}

export type Instruments = ReturnType<typeof createInstruments>;
