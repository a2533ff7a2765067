import { SlackDouble } from './slack-double.ts';
import { makeTestServices } from './services.ts';
import { startSlack, type SlackConnection } from '../../src/platform/slack/app.ts';
import type { Services } from '../../src/services.ts';

/**
 * The real Bolt connected to the Slack double, on the bot's real services:
 * what every Slack end-to-end test stands on. One place starts the three in
 * order and tears them down in reverse.
 */

/** The tokens and signing secret the double accepts and the bot is given. */
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const SECRET = 'test-signing-secret';

export interface SlackE2e {
  double: SlackDouble;
  services: Services;
  /** The connection running now (restart() replaces it). */
  slack: SlackConnection;
  /** HTTP mode: where Slack posts signed requests (a new port after restart()). */
  eventsUrl: string;
  /** Stops Bolt and starts it again on the same double and services, as a restarted process would. */
  restart(): Promise<SlackConnection>;
  /** Stops Bolt, closes the services, then the double. */
  stop(): Promise<void>;
}

export interface SlackE2eOptions {
  /** 'http' (default): Bolt listens on a free loopback port for signed requests. 'socket': Socket Mode with APP_TOKEN. */
  mode?: 'http' | 'socket';
  /** More settings for the services, as environment variables. */
  env?: Record<string, string>;
  /**
   * Runs once the double and the services are up, before Bolt connects:
   * set up channels, add commands or facts, swap the logger. Returns the
   * services the bot runs on (by default the ones it was given).
   */
  setup?: (services: Services, double: SlackDouble) => Services | void | Promise<Services | void>;
}

export async function startSlackE2e(options: SlackE2eOptions = {}): Promise<SlackE2e> {
  const socket = options.mode === 'socket';
  const double = await SlackDouble.start(socket ? { bot: BOT_TOKEN, app: APP_TOKEN } : { bot: BOT_TOKEN });
  // The people the tests speak as: users.info answers for them.
  double.users.set('U0PERSON', { name: 'person' });
  double.users.set('U0ADMIN', { name: 'admin', is_admin: true });
  double.users.set('U0OWNER', { name: 'owner', is_owner: true });
  const env: Record<string, string> = socket
    ? { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: double.apiUrl }
    : { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: double.apiUrl, PORT: '0' };
  const connect = (services: Services) => (socket ? startSlack(services) : startSlack(services, { host: '127.0.0.1' }));
  let services: Services | undefined;
  try {
    const base = await makeTestServices({ ...env, ...options.env });
    services = base;
    services = (await options.setup?.(base, double)) ?? base;
    const running = services;
    const slack = await connect(running);
    const e2e: SlackE2e = {
      double,
      services: running,
      slack,
      eventsUrl: `http://127.0.0.1:${slack.port}/slack/events`,
      async restart() {
        await e2e.slack.stop();
        e2e.slack = await connect(running);
        e2e.eventsUrl = `http://127.0.0.1:${e2e.slack.port}/slack/events`;
        return e2e.slack;
      },
      async stop() {
        await e2e.slack.stop();
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
