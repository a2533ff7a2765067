import { DiscordDouble, discordEnv, type DoubleOptions } from './discord-double.ts';
import { makeTestServices } from './services.ts';
import { startDiscord, type DiscordConnection, type DiscordOptions } from '../../src/platform/discord/client.ts';
import type { Services } from '../../src/services.ts';

/**
 * The real discord.js connected to the Discord double, on the bot's real
 * services: what every Discord end-to-end test stands on. One place starts
 * the three in order and tears them down in reverse.
 */
export interface DiscordE2e {
  double: DiscordDouble;
  services: Services;
  /** The connection running now (restart() replaces it). */
  bot: DiscordConnection;
  /** Stops the bot and connects a new one to the same double and services, as a restarted process would. */
  restart(options?: DiscordOptions): Promise<DiscordConnection>;
  /** Stops the bot, closes the services, then the double. */
  stop(): Promise<void>;
}

export interface DiscordE2eOptions {
  /** For the double; heartbeats default to 500 ms to keep tests quick. */
  double?: DoubleOptions;
  /**
   * Runs once the double and the services are up, before the bot connects:
   * set up channels, add articles or commands, swap the logger. Returns the
   * services the bot runs on (by default the ones it was given).
   */
  setup?: (services: Services, double: DiscordDouble) => Services | void | Promise<Services | void>;
  /** How the bot is started (and restarted, unless restart() is given others). */
  connect?: DiscordOptions;
}

export async function startDiscordE2e(options: DiscordE2eOptions = {}): Promise<DiscordE2e> {
  const double = await DiscordDouble.start({ heartbeatMs: 500, ...options.double });
  let services: Services | undefined;
  try {
    const base = await makeTestServices(discordEnv(double));
    services = base;
    services = (await options.setup?.(base, double)) ?? base;
    const running = services;
    const e2e: DiscordE2e = {
      double,
      services: running,
      bot: await startDiscord(running, options.connect),
      async restart(connect = options.connect) {
        await e2e.bot.stop();
        e2e.bot = await startDiscord(running, connect);
        return e2e.bot;
      },
      async stop() {
        await e2e.bot.stop();
        await running.close();
        await double.close();
      },
    };
    return e2e;
  } catch (error) {
    // A start that fails half-way still releases what it opened.
    await services?.close();
    await double.close();
    throw error;
  }
}
