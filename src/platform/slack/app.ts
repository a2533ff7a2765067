import { App, HTTPReceiver, type CustomRoute, type webApi } from '@slack/bolt';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config.ts';
import type { Services } from '../../services.ts';
import { createAdminCheck } from './admin.ts';
import { AnswerQueue } from './answer-queue.ts';
import { boltLogger } from './bolt-logger.ts';
import { createDeliveryGuard, deliveryKey } from './delivery-guard.ts';
import { pictureUploader } from './picture-upload.ts';
import { answerPageButton, answerSlashCommand, slashLine, umbrellaLine, UMBRELLA_COMMAND, type SlackDeps } from './handlers.ts';
import { SlackNotifier, type SlackNotifierOptions } from './notifier.ts';
import { PAGE_ACTION_PREFIX, PICTURE_ACTION_ID } from './render.ts';
import { unescapeSlackText } from './escape.ts';
import { isPictureCommand } from '../../reply/picture-command.ts';
import { InFlight } from '../../ops/in-flight.ts';
import { setQueueDepth } from '../../ops/metrics.ts';

/**
 * The bot on Slack through Bolt. Socket Mode when SLACK_APP_TOKEN is set (no
 * public URL needed), otherwise HTTP on PORT (Slack posts to /slack/events,
 * requests checked against SLACK_SIGNING_SECRET). Every command is its own
 * slash command and also `/armistice <command> ...`. Each request is
 * acknowledged first (Slack allows 3 s), then answered through response_url.
 */
export interface SlackConnection {
  /** Posts digests and reminders; also registered on services.notifier. */
  notifier: SlackNotifier;
  mode: 'socket' | 'http';
  /** HTTP mode: the port actually listened on (useful with PORT=0); absent with `listen: false`. */
  port?: number;
  /**
   * HTTP mode: Slack's request handler (POST /slack/events; anything else
   * 404), for mounting on a server of one's own, e.g. the ops server's
   * `extraHandler`, so one PORT serves both.
   */
  requestListener?: RequestListener;
  /** For /readyz: Socket Mode's connection is up (HTTP mode has none to lose). */
  connected(): boolean;
  stop(): Promise<void>;
}

export interface StartSlackOptions {
  /** HTTP mode: the interface to listen on (default: all). */
  host?: string;
  /**
   * HTTP mode: false to listen on no port and only hand out
   * `requestListener` (default true: Bolt listens on PORT).
   */
  listen?: boolean;
  /**
   * Extra routes on the HTTP server, e.g. health and metrics. HTTP mode only:
   * in Socket Mode there is no Bolt server and PORT is free for others.
   */
  customRoutes?: CustomRoute[];
  notifier?: SlackNotifierOptions;
}

/** Default port of HTTP mode when PORT is not set. */
export const DEFAULT_HTTP_PORT = 3000;

/** Answers worked on at once (see answer-queue.ts). */
export const ANSWER_CONCURRENCY = 8;

/** How long stop() waits for answers in progress. */
const STOP_GRACE_MS = 5000;

export async function startSlack(services: Services, options: StartSlackOptions = {}): Promise<SlackConnection> {
  const { config } = services;
  const log = services.log.child({ platform: 'slack' });
  if (!config.SLACK_BOT_TOKEN || !(config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET)) {
    throw new Error('Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP).');
  }
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const listen = socketMode || options.listen !== false;
  const clientOptions = webClientOptions(config);
  const logger = boltLogger(log);
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, customRoutes: options.customRoutes, logger });
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    ...(socketMode
      ? {
          socketMode: true,
          appToken: config.SLACK_APP_TOKEN,
          // The Socket Mode client keeps its own, patient retry policy for
          // apps.connections.open (reconnecting), but must reach the same API.
          installerOptions: { clientOptions: { slackApiUrl: clientOptions.slackApiUrl, timeout: clientOptions.timeout } },
        }
      : { receiver }),
    clientOptions,
    logger,
    convoStore: false,
    // auth.test runs in init(), where a wrong token is a clear start-up error.
    deferInitialization: true,
  });

  const deps: SlackDeps = {
    services,
    admins: createAdminCheck(app.client.users, config.ADMIN_USER_IDS, log),
    deliveries: createDeliveryGuard(services.store, log),
    log,
    uploadPicture: pictureUploader(app.client),
  };
  const answering = new AnswerQueue({ concurrency: ANSWER_CONCURRENCY });
  // Answers owed (waiting or running), for /metrics.
  const owed = new InFlight((size) => setQueueDepth('slack_answers', size));
  const run: Run = (job) => owed.run(() => answering.run(job));
  registerCommands(app, deps, run);
  registerPaging(app, deps, run);
  registerPictureButton(app, deps, run);
  app.error(async (error) => {
    log.error({ err: error }, 'slack: unhandled error in Bolt');
  });

  await app.init().catch((error: unknown) => {
    throw new Error(`Slack refused SLACK_BOT_TOKEN (auth.test: ${slackError(error)}); copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page.`, { cause: error });
  });
  let port: number | undefined;
  if (socketMode) {
    await app.start().catch((error: unknown) => {
      throw new Error(`Slack refused the Socket Mode connection (${slackError(error)}); SLACK_APP_TOKEN must be an app-level token (xapp-...) with the connections:write scope.`, { cause: error });
    });
  } else if (listen) {
    const server = (await app.start({ port: config.PORT ?? DEFAULT_HTTP_PORT, host: options.host })) as Server;
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => countAck(answering, res));
    port = (server.address() as AddressInfo).port;
  }
  log.info({ mode: socketMode ? 'socket' : 'http', port }, 'slack: connected');

  const notifier = new SlackNotifier(app.client.chat, log, options.notifier);
  services.notifier.register(notifier);
  return {
    notifier,
    mode: socketMode ? 'socket' : 'http',
    port,
    requestListener: receiver ? mountable(receiver, answering) : undefined,
    connected: () => !socketMode || socketClientOf(app)?.isActive() === true,
    async stop() {
      if (listen) await app.stop();
      // Answers already acknowledged are still owed: give them a moment.
      await answering.drain(STOP_GRACE_MS);
    },
  };
}

/**
 * The Web API client: pointed at SLACK_API_URL (GovSlack, a proxy, a test
 * double); a bounded retry policy so one stuck call cannot stall a digest
 * round (3 tries, at most ~5 s each, 0.5-2 s apart); rate limits returned to
 * the caller, which decides how long to wait (see notifier.ts).
 */
export function webClientOptions(config: Pick<Config, 'SLACK_API_URL'>): webApi.WebClientOptions {
  return {
    slackApiUrl: config.SLACK_API_URL.endsWith('/') ? config.SLACK_API_URL : `${config.SLACK_API_URL}/`,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    rejectRateLimitedCalls: true,
    timeout: 5000,
  };
}

/**
 * One Bolt listener for all the slash commands: Bolt runs every listener's
 * middleware on every request, so one per command would cost each ack a
 * dozen matching chains.
 */
function registerCommands(app: App, deps: SlackDeps, answering: Run): void {
  const names = [...deps.services.commands.map((c) => c.name), UMBRELLA_COMMAND];
  app.command(new RegExp(`^/(?:${names.map(escapeRegExp).join('|')})$`), async ({ command, ack, respond }) => {
    await ack();
    const name = command.command.slice(1);
    const line = name === UMBRELLA_COMMAND ? umbrellaLine(command.text) : slashLine(name, command.text);
    const requester = { userId: command.user_id, userName: command.user_name, channelId: command.channel_id, teamId: command.team_id };
    await answering(() => answerSlashCommand(deps, line, requester, deliveryKey(command), respond));
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function registerPaging(app: App, deps: SlackDeps, answering: Run): void {
  app.action(new RegExp(`^${PAGE_ACTION_PREFIX}`), async ({ body, action, ack, respond }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    const requester = {
      userId: body.user.id,
      userName: 'username' in body.user ? String(body.user.username) : body.user.name,
      channelId: body.channel?.id,
      teamId: body.team?.id ?? undefined,
    };
    await answering(() => answerPageButton(deps, value, requester, deliveryKey(body as { trigger_id?: string }), respond));
  });
}

/** "Show as picture": the line the button carries, answered like the slash command (text, then the PNG). */
function registerPictureButton(app: App, deps: SlackDeps, answering: Run): void {
  app.action(PICTURE_ACTION_ID, async ({ body, action, ack, respond }) => {
    await ack();
    const value = action.type === 'button' ? unescapeSlackText(action.value ?? '') : undefined;
    const requester = {
      userId: body.user.id,
      userName: 'username' in body.user ? String(body.user.username) : body.user.name,
      channelId: body.channel?.id,
      teamId: body.team?.id ?? undefined,
    };
    const key = deliveryKey(body as { trigger_id?: string });
    await answering(() =>
      isPictureCommand(value) ? answerSlashCommand(deps, value, requester, key, respond) : answerPageButton(deps, undefined, requester, key, respond),
    );
  });
}

type Run = (job: () => Promise<void>) => Promise<void>;

/**
 * Tells the answer queue that a request's response (for a slash command or
 * a click: the ack) is owed until it is written, so answers wait for it.
 */
function countAck(answering: AnswerQueue, res: ServerResponse): void {
  const sent = answering.ackOwed();
  res.once('finish', sent);
  res.once('close', sent);
}

/** The receiver's listener, answering 404 where Bolt would throw for a path it does not serve. */
function mountable(receiver: HTTPReceiver, answering: AnswerQueue): RequestListener {
  return (req, res) => {
    countAck(answering, res);
    try {
      receiver.requestListener(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  };
}

/** Slack's error code (`invalid_auth`) when there is one, else the message. */
function slackError(error: unknown): string {
  const code = (error as { data?: { error?: unknown } })?.data?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** Bolt keeps its Socket Mode receiver private; its client knows whether the socket is up. */
function socketClientOf(app: App): { isActive(): boolean } | undefined {
  return (app as unknown as { receiver?: { client?: { isActive(): boolean } } }).receiver?.client;
}
