import { SlackDouble } from './slack-double.ts';
import { E2e, assemble, type E2eSetup } from './e2e.ts';
import { startSlack, type SlackConnection } from '../../src/platform/slack/app.ts';
import type { Services } from '../../src/services.ts';

/** The tokens and signing secret the double accepts and the bot is given. */
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const SECRET = 'test-signing-secret';

/** The real Bolt connected to the Slack double, on the bot's real services: what the Slack end-to-end tests stand on. */
export class SlackE2e extends E2e<SlackDouble, SlackConnection> {
  /** The connection running now (restart() replaces it). */
  get slack(): SlackConnection {
    return this.connection;
  }

  /** HTTP mode: where Slack posts signed requests (a new port after restart()). */
  get eventsUrl(): string {
    return `http://127.0.0.1:${this.connection.port}/slack/events`;
  }
}

export interface SlackE2eOptions {
  /** 'http' (default): Bolt listens on a free loopback port for signed requests. 'socket': Socket Mode with APP_TOKEN. */
  mode?: 'http' | 'socket';
  /** More settings for the services, as environment variables. */
  env?: Record<string, string>;
  /** Set up channels, add commands or facts, swap the logger: see E2eSetup. */
  setup?: E2eSetup<SlackDouble>;
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
  const { services, connection } = await assemble(double, { ...env, ...options.env }, options.setup, connect);
  return new SlackE2e(double, services, connection, connect);
}
