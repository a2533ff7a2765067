import { makeTestServices } from './services.ts';
import type { Services } from '../../src/services.ts';

/**
 * What the Discord and Slack end-to-end harnesses (discord-e2e.ts,
 * slack-e2e.ts) share: a platform double, the bot's real services on it,
 * and the real client library connected to the double, started in that
 * order and torn down in reverse.
 */

/** Runs once the double and the services are up, before the bot connects; returns the services the bot runs on (by default the ones it was given). */
export type E2eSetup<D> = (services: Services, double: D) => Services | void | Promise<Services | void>;

export class E2e<D extends { close(): Promise<void> }, C extends { stop(): Promise<void> }, O = never> {
  constructor(
    readonly double: D,
    readonly services: Services,
    /** The connection running now (restart() replaces it). */
    protected connection: C,
    private readonly connect: (services: Services, options?: O) => Promise<C>,
  ) {}

  /** Stops the bot and connects a new one to the same double and services, as a restarted process would. */
  async restart(options?: O): Promise<C> {
    await this.connection.stop();
    this.connection = await this.connect(this.services, options);
    return this.connection;
  }

  /** Stops the bot, closes the services, then the double. */
  async stop(): Promise<void> {
    await this.connection.stop();
    await this.services.close();
    await this.double.close();
  }
}

/** Builds the services with `env`, applies `setup` and connects; a start that fails half-way still releases what it opened. */
export async function assemble<D extends { close(): Promise<void> }, C>(
  double: D,
  env: Record<string, string>,
  setup: E2eSetup<D> | undefined,
  connect: (services: Services) => Promise<C>,
): Promise<{ services: Services; connection: C }> {
  let services: Services | undefined;
  try {
    const base = await makeTestServices(env);
    services = base;
    services = (await setup?.(base, double)) ?? base;
    return { services, connection: await connect(services) };
  } catch (error) {
    await services?.close();
    await double.close();
    throw error;
  }
}
