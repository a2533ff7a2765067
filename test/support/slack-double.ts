import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { createLogger, type Logger } from '../../src/log.ts';

/**
 * A test double of Slack on 127.0.0.1 (port 0) for driving the real Bolt:
 * - the Web API under /api/ (auth.test, users.info, chat.postMessage with
 *   per-channel behaviours, apps.connections.open);
 * - response_url endpoints under /respond/<id> (what respond() posts to);
 * - a Socket Mode WebSocket at /socket: `hello` first, then envelopes the
 *   test sends; the bot acks each with its envelope_id;
 * - file uploads as Bolt's client does them (filesUploadV2):
 *   files.getUploadURLExternal hands out an upload URL on the double, the
 *   bytes are posted there, files.completeUploadExternal shares the file in
 *   a channel (or answers the channel's error behaviour).
 * Every request is recorded for exact-JSON assertions, and tests await the
 * record they expect instead of sleeping.
 */

export interface ApiCall {
  method: string;
  /** Form fields; JSON-valued ones (blocks) decoded. */
  args: Record<string, unknown>;
  /** The bearer token the call was made with. */
  token?: string;
  at: number;
}

export interface ResponseUrlPost {
  /** The id in /respond/<id>. */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export type ChannelBehaviour =
  | { kind: 'ok' }
  | { kind: 'error'; error: string }
  /** Answers HTTP 429 with Retry-After `retryAfterSec` for the next `times` posts, then ok. */
  | { kind: 'ratelimited'; retryAfterSec: number; times: number };

export interface SlackUser {
  name?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  at: number;
}

/** A file the bot uploaded, with where it was shared once the upload completed. */
export interface Upload {
  fileId: string;
  filename: string;
  /** The length announced in files.getUploadURLExternal. */
  length: number;
  altText?: string;
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  shared?: { channelId: string; title?: string; initialComment?: string; threadTs?: string };
}

export const DOUBLE_TEAM_ID = 'T0DOUBLE';
export const DOUBLE_BOT_USER_ID = 'U0BOT';

export class SlackDouble {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly acks: SocketAck[] = [];
  readonly uploads: Upload[] = [];
  readonly users = new Map<string, SlackUser>();
  private readonly behaviours = new Map<string, ChannelBehaviour>();
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private server!: Server;
  private messageCount = 0;
  port = 0;

  /** Tokens the double accepts; others get `invalid_auth`. */
  constructor(private readonly tokens: { bot: string; app?: string }) {
    this.events.setMaxListeners(0);
  }

  /** `port`: listen on this one (a test that starts the bot first, the double later); default a free one. */
  static async start(tokens: { bot: string; app?: string }, options: { port?: number } = {}): Promise<SlackDouble> {
    const double = new SlackDouble(tokens);
    await double.listen(options.port ?? 0);
    return double;
  }

  /** How many Socket Mode connections are open. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Asks every Socket Mode client to reconnect, as Slack does before recycling a server (`disconnect`, `refresh_requested`). */
  askToReconnect(): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'double' } }));
  }

  /** Drops every Socket Mode connection, as a Slack server going away does (no `disconnect` message first). */
  dropSockets(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What SLACK_API_URL is set to. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url for one request. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.url}/respond/${id}`;
  }

  setChannel(channelId: string, behaviour: ChannelBehaviour): void {
    this.behaviours.set(channelId, behaviour);
  }

  /** The first recorded post to `/respond/<id>`, or the next one to arrive. */
  waitForResponse(id: string, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.waitFor(this.responses, 'response', (r) => r.id === id, timeoutMs);
  }

  /** The n-th post (1-based) to `/respond/<id>`, recorded or to come. */
  waitForNthResponse(id: string, n: number, timeoutMs = 5000): Promise<ResponseUrlPost> {
    return this.waitFor(this.responses, 'response', (r) => r.id === id && this.responses.filter((x) => x.id === id).indexOf(r) === n - 1, timeoutMs);
  }

  /** The first recorded call matching, or the next one to arrive. */
  waitForCall(method: string, predicate: (call: ApiCall) => boolean = () => true, timeoutMs = 5000): Promise<ApiCall> {
    return this.waitFor(this.calls, 'call', (c) => c.method === method && predicate(c), timeoutMs);
  }

  /** The first upload shared in the channel, or the next one to be. */
  waitForSharedUpload(channelId: string, timeoutMs = 5000): Promise<Upload> {
    return this.waitFor(this.uploads, 'upload', (u) => u.shared?.channelId === channelId, timeoutMs);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once a Socket Mode client is connected (after `hello`). */
  socketConnected(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return this.waitFor([] as WebSocket[], 'socket', () => true, timeoutMs).then(() => undefined);
  }

  /**
   * Sends an envelope over every open socket and resolves with the bot's
   * ack (`{envelope_id, payload?}`).
   */
  sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    options: { envelopeId?: string; retryAttempt?: number } = {},
  ): Promise<SocketAck> {
    const envelopeId = options.envelopeId ?? randomUUID();
    const ack = this.waitFor(this.acks, 'ack', (a) => a.envelope_id === envelopeId, 5000);
    const message = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(options.retryAttempt !== undefined ? { retry_attempt: options.retryAttempt, retry_reason: 'timeout' } : {}),
    };
    for (const socket of this.sockets) socket.send(JSON.stringify(message));
    return ack;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- server ---------------------------------------------------------------

  private async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id: string; payload?: Record<string, unknown> };
      this.record(this.acks, 'ack', { envelope_id: message.envelope_id, payload: message.payload, at: performance.now() });
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0DOUBLE' } }));
    this.events.emit('socket', ws);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRaw(req);
    const body = raw.toString('utf8');
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (req.method === 'POST' && path.startsWith('/upload/')) return this.receiveFile(res, path.slice('/upload/'.length), raw, req.headers);
    if (req.method === 'POST' && path.startsWith('/respond/')) {
      this.record(this.responses, 'response', { id: path.slice('/respond/'.length), body: JSON.parse(body), at: performance.now() });
      return json(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const args = parseArgs(body, req.headers['content-type']);
      this.record(this.calls, 'call', { method, args, token, at: performance.now() });
      return this.api(res, method, args, token);
    }
    res.writeHead(404).end();
  }

  private api(res: ServerResponse, method: string, args: Record<string, unknown>, token: string | undefined): void {
    if (method === 'apps.connections.open') {
      if (!this.tokens.app || token !== this.tokens.app) return json(res, 200, { ok: false, error: 'invalid_auth' });
      return json(res, 200, { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}` });
    }
    if (token !== this.tokens.bot) return json(res, 200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'auth.test':
        return json(res, 200, { ok: true, url: 'https://double.slack.test/', team: 'Double', user: 'armistice', team_id: DOUBLE_TEAM_ID, user_id: DOUBLE_BOT_USER_ID, bot_id: 'B0BOT' });
      case 'users.info': {
        const id = String(args.user);
        const user = this.users.get(id);
        if (!user) return json(res, 200, { ok: false, error: 'user_not_found' });
        return json(res, 200, { ok: true, user: { id, team_id: DOUBLE_TEAM_ID, name: user.name ?? id, is_admin: false, is_owner: false, is_primary_owner: false, ...user } });
      }
      case 'chat.postMessage':
        return this.postMessage(res, String(args.channel));
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0) return json(res, 200, { ok: false, error: 'invalid_arguments' });
        const fileId = `F0${String(this.uploads.length + 1).padStart(6, '0')}`;
        // Slack documents alt_txt; @slack/web-api sends alt_text.
        const alt = args.alt_txt ?? args.alt_text;
        this.uploads.push({ fileId, filename: String(args.filename), length, ...(alt ? { altText: String(alt) } : {}) });
        return json(res, 200, { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal':
        return this.completeUpload(res, args);
      default:
        return json(res, 200, { ok: false, error: 'unknown_method' });
    }
  }

  /** The bytes of an upload, raw or as the one file of a multipart body. */
  private async receiveFile(res: ServerResponse, fileId: string, raw: Buffer, headers: IncomingMessage['headers']): Promise<void> {
    const upload = this.uploads.find((u) => u.fileId === fileId);
    if (!upload) return void res.writeHead(404).end();
    let bytes = raw;
    const type = headers['content-type'];
    if (type?.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
      const file = [...form.values()].find((v) => typeof v !== 'string');
      bytes = file ? Buffer.from(await (file as Blob).arrayBuffer()) : Buffer.alloc(0);
    }
    if (bytes.length !== upload.length) return void res.writeHead(400).end(`expected ${upload.length} bytes, got ${bytes.length}`);
    upload.bytes = bytes;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
  }

  private completeUpload(res: ServerResponse, args: Record<string, unknown>): void {
    const files = JSON.parse(String(args.files ?? '[]')) as Array<{ id: string; title?: string }>;
    const channelId = String(args.channel_id ?? args.channels ?? '');
    const behaviour = this.behaviours.get(channelId) ?? { kind: 'ok' };
    if (behaviour.kind === 'error') return json(res, 200, { ok: false, error: behaviour.error });
    const uploads = files.map((f) => this.uploads.find((u) => u.fileId === f.id && u.bytes !== undefined));
    if (files.length === 0 || uploads.some((u) => u === undefined)) return json(res, 200, { ok: false, error: 'file_not_found' });
    uploads.forEach((upload, i) => {
      upload!.shared = {
        channelId,
        ...(files[i]!.title ? { title: files[i]!.title } : {}),
        ...(args.initial_comment ? { initialComment: String(args.initial_comment) } : {}),
        ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
      };
      this.events.emit('upload', upload);
    });
    return json(res, 200, { ok: true, files: uploads.map((u) => ({ id: u!.fileId, name: u!.filename, title: u!.shared!.title ?? u!.filename })) });
  }

  private postMessage(res: ServerResponse, channel: string): void {
    const behaviour = this.behaviours.get(channel) ?? { kind: 'ok' };
    if (behaviour.kind === 'error') return json(res, 200, { ok: false, error: behaviour.error });
    if (behaviour.kind === 'ratelimited' && behaviour.times > 0) {
      behaviour.times -= 1;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(behaviour.retryAfterSec) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    this.messageCount += 1;
    json(res, 200, { ok: true, channel, ts: `1700000000.${String(this.messageCount).padStart(6, '0')}` });
  }

  private record<T>(list: T[], event: string, item: T): void {
    list.push(item);
    this.events.emit(event, item);
  }

  private waitFor<T>(list: T[], event: string, predicate: (item: T) => boolean, timeoutMs: number): Promise<T> {
    const found = list.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onItem = (item: T) => {
        if (!predicate(item)) return;
        clearTimeout(timer);
        this.events.off(event, onItem);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.events.off(event, onItem);
        reject(new Error(`slack double: no matching ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on(event, onItem);
    });
  }
}

// ---- what Slack sends to the bot in HTTP mode --------------------------------

export interface SignedRequestOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num (and a retry reason). */
  retryNum?: number;
  /** Sign with this secret instead (a bad signature). */
  signWith?: string;
}

/** Headers Slack sends: `v0=HMAC_SHA256(secret, "v0:" + ts + ":" + body)`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a form body to the bot's /slack/events the way Slack does; resolves with status and time to answer. */
export async function postSigned(
  eventsUrl: string,
  secret: string,
  body: string,
  options: SignedRequestOptions = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(options.signWith ?? secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = performance.now();
  const response = await fetch(eventsUrl, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  team_id?: string;
  response_url: string;
  trigger_id?: string;
}

/** The fields of a slash command as Slack sends them (form fields, or a Socket Mode payload). */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: DOUBLE_TEAM_ID,
    team_domain: 'double',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0PERSON',
    user_name: 'person',
    text: '',
    api_app_id: 'A0DOUBLE',
    is_enterprise_install: 'false',
    trigger_id: `${Date.now()}.${randomUUID()}`,
    ...fields,
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export interface ButtonClick {
  actionId: string;
  value: string;
  responseUrl: string;
  userId?: string;
  channelId?: string;
  triggerId?: string;
}

/** A block_actions payload for a button click. */
export function blockActionsPayload(click: ButtonClick): Record<string, unknown> {
  const userId = click.userId ?? 'U0PERSON';
  return {
    type: 'block_actions',
    user: { id: userId, username: 'person', name: 'person', team_id: DOUBLE_TEAM_ID },
    api_app_id: 'A0DOUBLE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: click.channelId ?? 'C0GENERAL', is_ephemeral: false },
    trigger_id: click.triggerId ?? `${Date.now()}.${randomUUID()}`,
    team: { id: DOUBLE_TEAM_ID, domain: 'double' },
    channel: { id: click.channelId ?? 'C0GENERAL', name: 'general' },
    response_url: click.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: 'paging',
        text: { type: 'plain_text', text: 'Next', emoji: true },
        value: click.value,
        action_ts: '1700000001.000000',
      },
    ],
  };
}

// ---- helpers ----------------------------------------------------------------

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (body === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    args[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return args;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// ---- the bot's log, for awaiting what it did ---------------------------------

/**
 * A pino logger whose lines a test can await (e.g. "repeated delivery
 * ignored"), for things that leave no trace at the double.
 */
export class LogCapture {
  readonly lines: Array<Record<string, unknown>> = [];
  private readonly events = new EventEmitter();
  readonly logger: Logger;

  constructor(level = 'info') {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const text of String(chunk).split('\n').filter(Boolean)) {
          const line = JSON.parse(text) as Record<string, unknown>;
          this.lines.push(line);
          this.events.emit('line', line);
        }
        done();
      },
    });
    this.logger = createLogger(level, sink);
  }

  /** The first line whose msg contains `text`, logged before or after this call. */
  waitFor(text: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const matches = (line: Record<string, unknown>) => String(line.msg ?? '').includes(text);
    const found = this.lines.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onLine = (line: Record<string, unknown>) => {
        if (!matches(line)) return;
        clearTimeout(timer);
        this.events.off('line', onLine);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.events.off('line', onLine);
        reject(new Error(`no log line containing "${text}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on('line', onLine);
    });
  }
}
