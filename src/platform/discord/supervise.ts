import { DiscordAPIError, DiscordjsErrorCodes, HTTPError } from 'discord.js';
import type { Services } from '../../services.ts';
import type { PlatformStates } from '../../ops/platform-state.ts';
import { describeDelay, networkFailure, retryUntilConnected, type BackoffPolicy, type ConnectFailure } from '../../ops/retry-backoff.ts';
import { startDiscord, TOKEN_REFUSED, type DiscordConnection, type DiscordOptions } from './client.ts';

/**
 * Discord for a long-running bot: connects in the background, trying again
 * with backoff while Discord is out of reach, and keeps `states.discord`
 * current (connecting → connected ⇄ reconnecting, or refused). Resolves
 * with the connection once connected; rejects with PlatformRefusedError when
 * Discord refuses the token; resolves undefined when stopped first.
 */
export function superviseDiscord(
  services: Services,
  states: PlatformStates,
  options: { policy?: BackoffPolicy; signal?: AbortSignal; discord?: DiscordOptions } = {},
): Promise<DiscordConnection | undefined> {
  const url = services.config.DISCORD_API_URL;
  const setState: NonNullable<DiscordOptions['onState']> = (state, reason) => states.set('discord', state, reason);
  return retryUntilConnected({
    platform: 'Discord',
    // No time limit once REST has answered: discord.js retries the gateway itself (see connectTimeoutMs).
    attempt: () => startDiscord(services, { connectTimeoutMs: null, ...options.discord, onState: setState }),
    classify: classifyDiscordFailure,
    policy: options.policy,
    signal: options.signal,
    onUnreachable: (reason, delayMs, failures) => {
      const message = `cannot reach Discord at ${url}: ${reason}; next try in ${describeDelay(delayMs)}`;
      services.log.warn({ platform: 'discord', attempt: failures, delayMs }, message);
      states.set('discord', 'connecting', `cannot reach Discord at ${url}: ${reason}`);
    },
  });
}

/**
 * A refused token or permission is `refused` (trying again would only count
 * toward Discord's invalid-request ban); a network failure, a 5xx or a
 * gateway that does not answer is `unreachable`.
 */
export function classifyDiscordFailure(error: unknown): ConnectFailure {
  const code = (error as { code?: unknown })?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid) return { kind: 'refused', reason: TOKEN_REFUSED('401 Unauthorized') };
  if (error instanceof Error && error.message === 'Authentication failed') {
    return { kind: 'refused', reason: TOKEN_REFUSED('the gateway closed with 4004 Authentication failed') };
  }
  if (error instanceof Error && GATEWAY_REFUSALS.has(error.message)) {
    return {
      kind: 'refused',
      reason: `Discord refused the gateway session (${error.message}): check DISCORD_SHARD_ID/DISCORD_SHARD_COUNT and the bot's Privileged Gateway Intents in the Developer Portal, then restart.`,
    };
  }
  if (error instanceof DiscordAPIError && (error.status === 401 || error.status === 403)) {
    return { kind: 'refused', reason: TOKEN_REFUSED(`${error.status} ${error.message}`) };
  }
  if (error instanceof HTTPError) return { kind: 'unreachable', reason: `Discord answered ${error.status} ${error.message}` };
  const network = networkFailure(error);
  if (network) return { kind: 'unreachable', reason: network };
  return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
}

/** @discordjs/ws's errors for the gateway close codes it does not recover from (besides 4004). */
const GATEWAY_REFUSALS = new Set(['Invalid shard', 'Sharding is required', 'Used an invalid API version', 'Used invalid intents', 'Used disallowed intents']);
