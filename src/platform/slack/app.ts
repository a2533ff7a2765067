import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type webApi } from '@slack/bolt';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../config.ts';
import type { Services } from '../../services.ts';
import { createAdminCheck } from './admin.ts';
import { AnswerQueue } from './answer-queue.ts';
import { boltLogger } from './bolt-logger.ts';
import { createDeliveryGuard, deliveryKey } from './delivery-guard.ts';
import { pictureUploader } from './picture-upload.ts';
import { answerButton, answerSlashCommand, slashLine, umbrellaLine, UMBRELLA_COMMAND, type SlackDeps } from './handlers.ts';
import { SlackNotifier, TOKEN_REFUSALS, type SlackNotifierOptions } from './notifier.ts';
import { ITEM_ACTION_PREFIX, PAGE_ACTION_PREFIX, PICTURE_ACTION_ID } from './render.ts';
import { unescapeSlackText } from './escape.ts';
import { isPictureCommand } from '../../reply/picture-command.ts';
import { InFlight } from '../../ops/in-flight.ts';
import { setQueueDepth } from '../../ops/metrics.ts';
import { networkFailure, type ConnectFailure } from '../../ops/retry-backoff.ts';

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
  /** Socket Mode: the client, which emits `connected` and `disconnected` (see supervise.ts). */
  socket?: SocketModeReceiver['client'];
  /** Socket Mode: opens a new socket after a drop. Rejects with a SlackConnectError. */
  reconnect?(): Promise<void>;
  stop(): Promise<void>;
}

/** A Slack app built but not yet connected: HTTP mode's listener exists already and answers 503 until connected. */
export interface SlackApp {
  mode: 'socket' | 'http';
  requestListener?: RequestListener;
  /** One attempt: auth.test, then (Socket Mode) the socket. Rejects with a SlackConnectError. */
  connect(): Promise<SlackConnection>;
}

/** A failed connection attempt, already told apart: refused credentials, or Slack out of reach. */
export class SlackConnectError extends Error {
  constructor(
    readonly failure: ConnectFailure,
    options?: { cause?: unknown },
  ) {
    super(failure.reason, options);
    this.name = 'SlackConnectError';
  }
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

/** Builds the app and connects once; a failure rejects with a SlackConnectError saying why. */
export async function startSlack(services: Services, options: StartSlackOptions = {}): Promise<SlackConnection> {
  return createSlack(services, options).connect();
}

export function createSlack(services: Services, options: StartSlackOptions = {}): SlackApp {
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
  const socketReceiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN!,
        logger,
        // Reconnecting is ours (supervise.ts): the client's own gives up on a
        // network error with an unhandled rejection, and retries
        // apps.connections.open 100 times before saying anything.
        autoReconnectEnabled: false,
        installerOptions: { clientOptions: { slackApiUrl: clientOptions.slackApiUrl, timeout: clientOptions.timeout, retryConfig: { retries: 0 } } },
      })
    : undefined;
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    ...(socketReceiver ? { socketMode: true, receiver: socketReceiver } : { receiver }),
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
  registerButtons(app, deps, run);
  registerPictureButton(app, deps, run);
  app.error(async (error) => {
    log.error({ err: error }, 'slack: unhandled error in Bolt');
  });

  let connected = false;
  const requestListener = receiver ? mountable(receiver, answering, () => connected) : undefined;
  const connect = async (): Promise<SlackConnection> => {
    await app.init().catch((error: unknown) => {
      throw connectError(error, config.SLACK_API_URL, (code) =>
        `Slack refused SLACK_BOT_TOKEN (auth.test: ${code}); copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page, then restart.`,
      );
    });
    let port: number | undefined;
    const openSocket = async () => {
      await app.start().catch((error: unknown) => {
        throw connectError(error, config.SLACK_API_URL, (code) =>
          `Slack refused the Socket Mode connection (${code}); SLACK_APP_TOKEN must be an app-level token (xapp-...) with the connections:write scope, then restart.`,
        );
      });
    };
    if (socketMode) {
      await openSocket();
    } else if (listen) {
      const server = (await app.start({ port: config.PORT ?? DEFAULT_HTTP_PORT, host: options.host })) as Server;
      server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => countAck(answering, res));
      port = (server.address() as AddressInfo).port;
    }
    connected = true;
    log.info({ mode: socketMode ? 'socket' : 'http', port }, 'slack: connected');

    const notifier = new SlackNotifier(app.client.chat, log, options.notifier);
    services.notifier.register(notifier);
    return {
      notifier,
      mode: socketMode ? 'socket' : 'http',
      port,
      requestListener,
      connected: () => !socketReceiver || socketReceiver.client.websocket?.isActive() === true,
      socket: socketReceiver?.client,
      ...(socketMode ? { reconnect: openSocket } : {}),
      async stop() {
        // HTTP mode's mounted listener answers 503 from now on.
        connected = false;
        if (listen) await app.stop();
        // Answers already acknowledged are still owed: give them a moment.
        await answering.drain(STOP_GRACE_MS);
      },
    };
  };
  return {
    mode: socketMode ? 'socket' : 'http',
    requestListener,
    connect,
  };
}

/**
 * Tells a refusal (the token is wrong, revoked, or lacks a scope: not
 * retried) from Slack being out of reach (network, timeout, 5xx, rate limit:
 * retried).
 */
export function connectError(error: unknown, apiUrl: string, refusedMessage: (code: string) => string): SlackConnectError {
  const code = (error as { data?: { error?: unknown } })?.data?.error;
  if (typeof code === 'string' && TOKEN_REFUSALS.has(code)) return new SlackConnectError({ kind: 'refused', reason: refusedMessage(code) }, { cause: error });
  const why =
    networkFailure(error) ??
    httpStatus(error) ??
    (typeof code === 'string' ? `Slack answered ${code}` : error instanceof Error ? error.message : 'the connection closed before Slack said hello');
  return new SlackConnectError({ kind: 'unreachable', reason: `cannot reach Slack at ${apiUrl}: ${why}` }, { cause: error });
}

function httpStatus(error: unknown): string | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? `Slack answered HTTP ${status}` : undefined;
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

/** Paging and item-action buttons, in one listener for the same reason as the commands. */
function registerButtons(app: App, deps: SlackDeps, answering: Run): void {
  app.action(new RegExp(`^(?:${PAGE_ACTION_PREFIX}|${ITEM_ACTION_PREFIX})`), async ({ body, action, ack, respond }) => {
    await ack();
    const value = action.type === 'button' ? action.value : undefined;
    const kind = 'action_id' in action && action.action_id.startsWith(ITEM_ACTION_PREFIX) ? 'action' : 'page';
    const requester = {
      userId: body.user.id,
      userName: 'username' in body.user ? String(body.user.username) : body.user.name,
      channelId: body.channel?.id,
      teamId: body.team?.id ?? undefined,
    };
    await answering(() => answerButton(deps, kind, value, requester, deliveryKey(body as { trigger_id?: string }), respond));
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
      // Anything but a picture line gets the expired-button note.
      isPictureCommand(value) ? answerSlashCommand(deps, value, requester, key, respond) : answerButton(deps, 'page', undefined, requester, key, respond),
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

/**
 * The receiver's listener, answering 404 where Bolt would throw for a path
 * it does not serve, and 503 until the app is connected (Bolt cannot
 * authorize a request before auth.test; Slack retries events later).
 */
function mountable(receiver: HTTPReceiver, answering: AnswerQueue, connected: () => boolean): RequestListener {
  return (req, res) => {
    if (!connected()) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
      res.end('not connected to Slack\n');
      return;
    }
    countAck(answering, res);
    try {
      receiver.requestListener(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  };
}
