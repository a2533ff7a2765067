import { Client, Events, GatewayIntentBits, type Interaction, type RateLimitData } from 'discord.js';
import type { Services } from '../../services.ts';
import type { Notifier } from '../../notify.ts';
import { handleInteraction } from './interactions.ts';
import { createDiscordNotifier } from './notifier.ts';
import { NO_MENTIONS } from './render.ts';
import { InFlight } from '../../ops/in-flight.ts';
import { setQueueDepth } from '../../ops/metrics.ts';

export interface DiscordOptions {
  /** How long a command may take before its reply is deferred (Discord allows 3 s in all). */
  deferAfterMs?: number;
  /** How long stop() waits for replies in flight. */
  drainTimeoutMs?: number;
  /** The time commands see; tests fix it. */
  clock?: () => Date;
  /** How long connecting may take before startDiscord gives up. */
  connectTimeoutMs?: number;
}

export interface DiscordConnection {
  /** Posts to Discord channels; also registered on services.notifier. */
  notifier: Notifier;
  /** For /readyz: the gateway session is up. */
  connected(): boolean;
  /** Finishes the replies in flight, then closes the gateway. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Joins Discord with the Guilds intent only (slash commands need no
 * privileged intents) and answers interactions through the router.
 * DISCORD_API_URL points REST — and through `GET /gateway/bot` the gateway —
 * at Discord, a REST proxy or a test double. Resolves once connected.
 *
 * It installs no signal handlers: the composition root calls stop() on
 * SIGTERM.
 */
export async function startDiscord(services: Services, options: DiscordOptions = {}): Promise<DiscordConnection> {
  const { config, log } = services;
  if (!config.DISCORD_TOKEN) throw new Error('startDiscord needs DISCORD_TOKEN');
  const deferAfterMs = options.deferAfterMs ?? 1500;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  const connectTimeoutMs = options.connectTimeoutMs ?? 60_000;

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Node's own fetch: discord.js builds attachments with the global FormData, which the undici copy
    // bundled in @discordjs/rest cannot send once the project's undici is loaded (discord.js#10946).
    rest: { api: config.DISCORD_API_URL, rejectOnRateLimit: logRateLimit(services), makeRequest: fetch as never },
    allowedMentions: NO_MENTIONS,
    ...shardOptions(config),
  });

  // Replies being composed: shutdown waits for them; /metrics shows how many.
  const inFlight = new InFlight((size) => setQueueDepth('discord_replies', size));
  client.on(Events.InteractionCreate, (interaction: Interaction) => {
    void inFlight.run(() => handleInteraction(services, interaction, { deferAfterMs, clock }));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'Discord gateway closed'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  // discord.js keeps retrying an unreachable gateway; a start-up that never
  // finishes should fail with a reason instead.
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`could not connect to the Discord gateway within ${connectTimeoutMs / 1000} s (DISCORD_API_URL=${config.DISCORD_API_URL})`)),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([client.login(config.DISCORD_TOKEN).then(() => ready), gaveUp]);
  } catch (error) {
    // destroy() can hang while a shard waits for HELLO; the error matters more.
    await Promise.race([client.destroy(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.options.shards, shardCount: client.options.shardCount }, 'connected to Discord');

  const notifier = createDiscordNotifier(client.rest, log);
  services.notifier.register(notifier);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const drained = inFlight.idle();
      const timedOut = new Promise<'timeout'>((resolve) => setTimeout(resolve, drainTimeoutMs, 'timeout').unref());
      if ((await Promise.race([drained, timedOut])) === 'timeout') {
        log.warn({ pending: inFlight.size }, 'stopping Discord with replies still in flight');
      }
      await client.destroy();
      log.info('disconnected from Discord');
    })());
  return { notifier, stop, connected: () => client.isReady() };
}

/**
 * One shard of DISCORD_SHARD_COUNT per process when DISCORD_SHARD_ID is set:
 * Discord then sends this process only the events (interactions included)
 * of the guilds with (guild_id >> 22) % count === id, and DMs to shard 0.
 * Without them: one shard, every guild.
 */
function shardOptions(config: Services['config']): { shards: number[]; shardCount: number } | Record<string, never> {
  if (config.DISCORD_SHARD_ID === undefined || config.DISCORD_SHARD_COUNT === undefined) return {};
  return { shards: [config.DISCORD_SHARD_ID], shardCount: config.DISCORD_SHARD_COUNT };
}

/**
 * discord.js's REST queue waits out 429s by itself. Its rejectOnRateLimit
 * hook is consulted before every such wait (announced or not), which makes
 * it the one place to log them; it never rejects, so the queue still waits.
 * The log lets an operator see why a digest arrived late.
 */
function logRateLimit(services: Services) {
  return (info: RateLimitData): boolean => {
    services.log.warn(
      {
        route: info.route,
        method: info.method,
        waitMs: Math.round(info.retryAfter > 0 ? info.retryAfter : info.timeToReset),
        global: info.global,
        scope: info.scope,
      },
      'Discord rate limit: waiting before retrying',
    );
    return false;
  };
}
