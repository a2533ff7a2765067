import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A Discord test double on 127.0.0.1 (REST and gateway) for running the real
 * discord.js offline. It implements what the bot uses and records every
 * REST request so tests can assert the exact JSON the bot sent:
 *
 * - `GET /api/v10/gateway/bot` → the double's own `ws://` gateway;
 * - gateway: HELLO → IDENTIFY → READY (+ GUILD_CREATE), heartbeats ACKed,
 *   and `dispatch()` to push INTERACTION_CREATE;
 * - interaction callbacks (204), webhook edits, deletes and follow-ups;
 * - GET/PUT application commands (global and guild);
 * - channel messages, with per-channel behaviours: 403, 404, or 429 with
 *   Retry-After and the X-RateLimit headers for the first N attempts.
 */

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query: `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  /** performance.now() when the request arrived. */
  at: number;
}

export type ChannelBehaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: 403 | 404; code: number; message: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number; times: number };

export interface DoubleOptions {
  applicationId?: string;
  guildId?: string;
  /** Short heartbeats keep tests quick. */
  heartbeatMs?: number;
  /** When set, REST requests with another bot token get 401. */
  token?: string;
  /** Where `GET /gateway/bot` sends clients, instead of the double's own gateway (e.g. a closed port). */
  gatewayUrl?: string;
}

export interface InteractionUser {
  id: string;
  username: string;
  /** Decimal permission bits of the member in the channel; omit for a DM. */
  permissions?: string;
}

export interface SentInteraction {
  id: string;
  token: string;
  /** When the double sent the dispatch (performance.now()). */
  sentAt: number;
}

const MANAGE_GUILD = 1n << 5n;
export const PERMISSIONS = {
  member: String((1n << 10n) | (1n << 11n)),
  admin: String((1n << 10n) | (1n << 11n) | MANAGE_GUILD),
};

export class DiscordDouble {
  readonly applicationId: string;
  readonly guildId: string;
  readonly botUserId = '900000000000000001';
  readonly channelId = '900000000000000100';
  readonly requests: RecordedRequest[] = [];
  /** Registered commands by scope: `global` or the guild id. */
  readonly commands = new Map<string, Array<Record<string, unknown>>>();
  /** IDENTIFY payloads received (intents and token are checked by tests). */
  readonly identifies: any[] = [];
  private readonly channelBehaviours = new Map<string, ChannelBehaviour>();
  private readonly failures: Array<{ match: (r: RecordedRequest) => boolean; status: number; body: unknown }> = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: Array<{ match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  private readyWaiters: Array<() => void> = [];
  private sequence = 0;
  private nextId = 1n;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly options: Required<DoubleOptions>,
  ) {
    this.applicationId = options.applicationId;
    this.guildId = options.guildId;
  }

  static async start(options: DoubleOptions = {}): Promise<DiscordDouble> {
    const server = createServer();
    const wss = new WebSocketServer({ server, path: '/gateway' });
    const double = new DiscordDouble(server, wss, {
      applicationId: options.applicationId ?? '900000000000000002',
      guildId: options.guildId ?? '900000000000000003',
      heartbeatMs: options.heartbeatMs ?? 1000,
      token: options.token ?? '',
      gatewayUrl: options.gatewayUrl ?? '',
    });
    server.on('request', (req, res) => void double.onRequest(req, res));
    wss.on('connection', (socket) => double.onConnection(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    double.port = (server.address() as AddressInfo).port;
    return double;
  }

  /** The value for DISCORD_API_URL (discord.js adds `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  setChannel(channelId: string, behaviour: ChannelBehaviour): void {
    this.channelBehaviours.set(channelId, behaviour);
  }

  /** Answers the next request matching with this error (once), e.g. a 400 for a body Discord would refuse. */
  failNext(match: (r: RecordedRequest) => boolean, status: number, body: unknown): void {
    this.failures.push({ match, status, body });
  }

  /** Resolves when a client has received READY (already, or next). */
  whenReady(): Promise<void> {
    if (this.identifies.length > 0 && this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The first recorded request matching, now or when it arrives. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (r: RecordedRequest) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error('the bot sent no matching request in time'));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Requests concerning one interaction (its callback and its webhook calls), in order. */
  requestsFor(interaction: SentInteraction): RecordedRequest[] {
    return this.requests.filter((r) => isFor(r, interaction, this.applicationId));
  }

  waitForCallback(interaction: SentInteraction, timeoutMs?: number): Promise<RecordedRequest> {
    return this.waitForRequest((r) => r.path === `/api/v10/interactions/${interaction.id}/${interaction.token}/callback`, timeoutMs);
  }

  /** Pushes a gateway dispatch to every connected client. */
  dispatch(type: string, data: unknown): void {
    const frame = JSON.stringify({ op: 0, t: type, s: ++this.sequence, d: data });
    for (const socket of this.sockets) socket.send(frame);
  }

  // ---- interactions -------------------------------------------------------

  /** A slash command as Discord delivers it. `options` are flat name → value (strings, numbers, booleans). */
  chatInput(input: {
    name: string;
    subcommand?: string;
    options?: Record<string, string | number | boolean>;
    user?: InteractionUser;
    focused?: string;
  }): SentInteraction {
    const options = Object.entries(input.options ?? {}).map(([name, value]) => ({
      type: typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5,
      name,
      value,
      ...(input.focused === name ? { focused: true } : {}),
    }));
    const data = {
      id: this.commandIdOf(input.name),
      name: input.name,
      type: 1,
      options: input.subcommand ? [{ type: 1, name: input.subcommand, options }] : options,
    };
    return this.interaction(input.focused !== undefined ? 4 : 2, data, input.user);
  }

  /** A press on a button of a message the bot sent. */
  button(customId: string, message: Record<string, unknown>, user?: InteractionUser): SentInteraction {
    return this.interaction(3, { custom_id: customId, component_type: 2 }, user, { message: this.messageObject(message) });
  }

  private interaction(type: number, data: unknown, user: InteractionUser = defaultUser(), extra: object = {}): SentInteraction {
    const id = this.snowflake();
    const token = `tok_${randomBytes(12).toString('hex')}`;
    const discordUser = { id: user.id, username: user.username, global_name: user.username, discriminator: '0', avatar: null };
    const inGuild = user.permissions !== undefined;
    const payload = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      data,
      locale: 'en-US',
      app_permissions: PERMISSIONS.admin,
      entitlements: [],
      authorizing_integration_owners: inGuild ? { '0': this.guildId } : { '1': user.id },
      attachment_size_limit: 8_388_608,
      ...(inGuild
        ? {
            guild_id: this.guildId,
            guild_locale: 'en-US',
            context: 0,
            channel: { id: this.channelId, type: 0, guild_id: this.guildId, name: 'general' },
            channel_id: this.channelId,
            member: { user: discordUser, roles: [], permissions: user.permissions, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
          }
        : {
            context: 1,
            channel: { id: `8${user.id.slice(1)}`, type: 1, recipients: [discordUser] },
            channel_id: `8${user.id.slice(1)}`,
            user: discordUser,
          }),
      ...extra,
    };
    const sentAt = performance.now();
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token, sentAt };
  }

  private commandIdOf(name: string): string {
    for (const list of this.commands.values()) {
      const found = list.find((c) => c.name === name);
      if (found) return String(found.id);
    }
    return '900000000000000050';
  }

  // ---- gateway -------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatMs } }));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) this.onIdentify(socket, frame.d);
    });
  }

  private onIdentify(socket: WebSocket, identify: any): void {
    this.identifies.push(identify);
    const user = { id: this.botUserId, username: 'armistice', global_name: null, discriminator: '0', avatar: null, bot: true };
    const send = (t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++this.sequence, d }));
    send('READY', {
      v: 10,
      user,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: `session_${randomBytes(6).toString('hex')}`,
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      shard: [0, 1],
    });
    send('GUILD_CREATE', {
      id: this.guildId,
      name: 'Test server',
      unavailable: false,
      owner_id: '900000000000000009',
      member_count: 2,
      joined_at: new Date(0).toISOString(),
      roles: [{ id: this.guildId, name: '@everyone', permissions: PERMISSIONS.member, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: [{ id: this.channelId, type: 0, name: 'general', position: 0, guild_id: this.guildId, permission_overwrites: [] }],
      threads: [],
      members: [],
      emojis: [],
      stickers: [],
      features: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    });
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---- REST ------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      at: performance.now(),
    };
    this.requests.push(record);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(record)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    }
    this.route(record, res);
  }

  private route(r: RecordedRequest, res: ServerResponse): void {
    const p = r.path.replace(/^\/api\/v10/, '');
    let m: RegExpExecArray | null;
    if (this.options.token && r.headers.authorization !== `Bot ${this.options.token}`) {
      return json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    const failure = this.failures.find((f) => f.match(r));
    if (failure) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      return json(res, failure.status, failure.body);
    }
    if (r.method === 'GET' && p === '/gateway/bot') {
      return json(res, 200, { url: this.options.gatewayUrl || this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(p))) {
      const scope = m[2] ?? 'global';
      if (r.method === 'GET') return json(res, 200, this.commands.get(scope) ?? []);
      if (r.method === 'PUT') {
        const stored = (r.body as Array<Record<string, unknown>>).map((c) => this.asRegistered(c, m![1]!, m![2]));
        this.commands.set(scope, stored);
        return json(res, 200, stored);
      }
    }
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(p)) {
      res.writeHead(204).end();
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(p))) {
      if (r.method === 'DELETE') {
        res.writeHead(204).end();
        return;
      }
      return json(res, 200, this.messageObject({ ...(r.body ?? {}), channel_id: this.channelId }));
    }
    if (r.method === 'POST' && (m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(p))) {
      return json(res, 200, this.messageObject({ ...(r.body ?? {}), channel_id: this.channelId }));
    }
    if (r.method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(p))) {
      return this.channelPost(m[1]!, r, res);
    }
    json(res, 404, { message: `404: Not Found (${r.method} ${p} is not in the double)`, code: 0 });
  }

  private channelPost(channelId: string, r: RecordedRequest, res: ServerResponse): void {
    const behaviour = this.channelBehaviours.get(channelId) ?? { kind: 'ok' };
    if (behaviour.kind === 'status') return json(res, behaviour.status, { message: behaviour.message, code: behaviour.code });
    if (behaviour.kind === 'rate-limited' && behaviour.times > 0) {
      behaviour.times--;
      const seconds = String(behaviour.retryAfterSeconds);
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': seconds,
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': seconds,
        'x-ratelimit-bucket': `bucket-${channelId}`,
        'x-ratelimit-scope': 'user',
      });
      res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: behaviour.retryAfterSeconds, global: false }));
      return;
    }
    json(res, 200, this.messageObject({ ...(r.body ?? {}), channel_id: channelId }));
  }

  private asRegistered(command: Record<string, unknown>, applicationId: string, guildId?: string): Record<string, unknown> {
    // Discord echoes the command with its own fields and defaults added.
    return {
      id: this.snowflake(),
      application_id: applicationId,
      version: this.snowflake(),
      default_member_permissions: null,
      type: 1,
      nsfw: false,
      ...(guildId ? { guild_id: guildId } : { dm_permission: true, contexts: null, integration_types: [0] }),
      ...command,
    };
  }

  private messageObject(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: this.snowflake(),
      type: 0,
      content: '',
      channel_id: this.channelId,
      author: { id: this.botUserId, username: 'armistice', discriminator: '0', avatar: null, bot: true },
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...fields,
    };
  }

  private snowflake(): string {
    // Timestamp part from now, so discord.js derives sensible creation times.
    const ms = BigInt(Date.now()) - 1420070400000n;
    return String((ms << 22n) + this.nextId++);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function isFor(r: RecordedRequest, interaction: SentInteraction, applicationId: string): boolean {
  return (
    r.path.startsWith(`/api/v10/interactions/${interaction.id}/${interaction.token}/`) ||
    r.path.startsWith(`/api/v10/webhooks/${applicationId}/${interaction.token}`)
  );
}

function defaultUser(): InteractionUser {
  return { id: '900000000000000010', username: 'reader', permissions: PERMISSIONS.member };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The environment that points the bot at a double. */
export function discordEnv(double: DiscordDouble): Record<string, string> {
  return {
    DISCORD_TOKEN: 'test-token.not-a-secret',
    DISCORD_APPLICATION_ID: double.applicationId,
    DISCORD_API_URL: double.apiUrl,
  };
}
