import { Client, Events, GatewayCloseCodes, GatewayIntentBits, RESTEvents, type APIRequest, type Interaction, type RateLimitData, type ResponseLike } from 'discord.js';
import type { Services } from '../../services.ts';
import type { Notifier } from '../../notify.ts';
import { handleInteraction } from './interactions.ts';
import { createDiscordNotifier } from './notifier.ts';
import { NO_MENTIONS } from './render.ts';
import { InFlight } from '../../ops/in-flight.ts';
import { setQueueDepth } from '../../ops/metrics.ts';
import { networkFailure } from '../../ops/retry-backoff.ts';
import type { PlatformState } from '../../ops/platform-state.ts';

export interface DiscordOptions {
  /** How long a command may take before its reply is deferred (Discord allows 3 s in all). */
  deferAfterMs?: number;
  /** How long stop() waits for replies in flight. */
  drainTimeoutMs?: number;
  /** The time commands see; tests fix it. */
  clock?: () => Date;
  /**
   * How long connecting may take before startDiscord gives up (default
   * 60 s). `null`: wait for the gateway as long as it takes, leaving the
   * retrying to discord.js — what a supervisor must do, because a client
   * destroyed while its gateway is unreachable keeps reconnecting anyway
   * (@discordjs/ws reconnects after its 500 ms pause without checking), so
   * each new attempt would add one more such zombie.
   */
  connectTimeoutMs?: number | null;
  /**
   * Told when the connection, once up, changes: the gateway closed and
   * discord.js reconnects (`reconnecting`), it is back (`connected`), or
   * Discord refused the token mid-run (`refused`: the client is destroyed,
   * nothing more is sent).
   */
  onState?: (state: PlatformState, reason: string) => void;
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
  const connectTimeoutMs = options.connectTimeoutMs === undefined ? 60_000 : options.connectTimeoutMs;

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
  const onState = options.onState ?? (() => {});
  let refusedMidRun = false;
  const refuse = (reason: string) => {
    if (refusedMidRun) return;
    refusedMidRun = true;
    log.error(reason);
    onState('refused', reason);
    // The REST manager has already dropped the token on a 401 (its own
    // protection against the invalid-request ban); the gateway goes too.
    void client.destroy().catch((error: unknown) => log.warn({ err: error }, 'Discord client did not close cleanly after the refusal'));
  };
  // Once connected, a 401 on any authenticated request means the token was revoked or reset.
  client.rest.on(RESTEvents.Response, (request: APIRequest, response: ResponseLike) => {
    if (response.status === 401 && request.data.auth !== false && client.readyAt) refuse(TOKEN_REFUSED(`${request.method.toUpperCase()} ${request.route} answered 401`));
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    log.warn({ code: event.code, shard }, 'Discord gateway closed and will not reconnect');
    if (event.code === GatewayCloseCodes.AuthenticationFailed) refuse(TOKEN_REFUSED('the gateway closed with 4004 Authentication failed'));
    else if (client.readyAt) refuse(`Discord closed the gateway with code ${event.code} and will not take it back; check DISCORD_SHARD_ID/DISCORD_SHARD_COUNT and the bot's intents in the Developer Portal, then restart.`);
  });
  // Before the first READY discord.js retries an unreachable gateway by
  // itself, every half second or so, telling only its debug channel: say it
  // once per reason.
  let gatewayTrouble = '';
  const beforeReady = (why: string) => {
    if (client.readyAt || why === gatewayTrouble) return;
    gatewayTrouble = why;
    log.warn(why);
    onState('connecting', why);
  };
  client.on(Events.Debug, (message) => {
    if (message.includes('due to a network error')) beforeReady(`cannot reach the Discord gateway at ${client.ws.gateway ?? 'its URL'}: network error; discord.js keeps trying`);
  });
  client.on(Events.ShardError, (error) => beforeReady(`the Discord gateway failed: ${networkFailure(error) ?? error.message}; discord.js keeps trying`));
  // Shards away (closed, reconnecting): while the gateway stays down discord.js retries every half second, so only the change is logged.
  const away = new Set<number>();
  client.on(Events.ShardReconnecting, (shard) => {
    if (!client.readyAt || away.has(shard)) return;
    away.add(shard);
    log.warn({ shard }, 'Discord gateway closed; reconnecting');
    onState('reconnecting', 'gateway closed; reconnecting');
  });
  const back = (shard: number, how: string) => {
    away.delete(shard);
    log.info({ shard }, how);
    if (away.size === 0) onState('connected', 'gateway connected');
  };
  client.on(Events.ShardResume, (shard) => back(shard, 'Discord gateway resumed'));
  client.on(Events.ShardReady, (shard) => {
    if (!client.readyAt) return;
    back(shard, 'Discord gateway connected again (new session)');
  });

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  // discord.js keeps retrying an unreachable gateway; a start-up that never
  // finishes should fail with a reason instead.
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    if (connectTimeoutMs === null) return;
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
  onState('connected', 'gateway connected');

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

/** The how-to-fix message when Discord refuses the token. */
export const TOKEN_REFUSED = (what: string): string =>
  `Discord refused DISCORD_TOKEN (${what}): copy the bot token from the Developer Portal (your application → Bot → Reset Token) into DISCORD_TOKEN, then restart.`;

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
