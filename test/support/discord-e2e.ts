import { DiscordDouble, discordEnv, type DoubleOptions } from './discord-double.ts';
import { E2e, assemble, type E2eSetup } from './e2e.ts';
import { startDiscord, type DiscordConnection, type DiscordOptions } from '../../src/platform/discord/client.ts';
import type { Services } from '../../src/services.ts';

/** The real discord.js connected to the Discord double, on the bot's real services: what the Discord end-to-end tests stand on. */
export class DiscordE2e extends E2e<DiscordDouble, DiscordConnection, DiscordOptions> {
  /** The connection running now (restart() replaces it). */
  get bot(): DiscordConnection {
    return this.connection;
  }
}

export interface DiscordE2eOptions {
  /** For the double; heartbeats default to 500 ms to keep tests quick. */
  double?: DoubleOptions;
  /** Set up channels, add articles or commands, swap the logger: see E2eSetup. */
  setup?: E2eSetup<DiscordDouble>;
  /** How the bot is started (and restarted, unless restart() is given others). */
  connect?: DiscordOptions;
}

export async function startDiscordE2e(options: DiscordE2eOptions = {}): Promise<DiscordE2e> {
  const double = await DiscordDouble.start({ heartbeatMs: 500, ...options.double });
  const connect = (services: Services, given: DiscordOptions | undefined = options.connect) => startDiscord(services, given);
  const { services, connection } = await assemble(double, discordEnv(double), options.setup, connect);
  return new DiscordE2e(double, services, connection, connect);
}
