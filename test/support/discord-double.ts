import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A Discord test double on 127.0.0.1 (REST and gateway) for running the real
 * discord.js offline. It implements what the bot uses and records every
 * REST request so tests can assert the exact JSON the bot sent:
 *
 * - `GET /api/v10/gateway/bot` → the double's own `ws://` gateway and the
 *   recommended shard count;
 * - gateway: HELLO → IDENTIFY → READY (+ GUILD_CREATE), heartbeats ACKed,
 *   and `dispatch()` to push INTERACTION_CREATE. An IDENTIFY with
 *   `shard: [id, count]` gets the guilds with (guild_id >> 22) % count === id,
 *   and guild events go only to the connection of that shard (DMs to shard 0),
 *   as Discord routes them;
 * - interaction callbacks (204), webhook edits, deletes and follow-ups;
 * - GET/PUT application commands (global and guild);
 * - channel messages, with per-channel behaviours: 403, 404, or 429 with
 *   Retry-After and the X-RateLimit headers for the first N attempts;
 * - optionally (`rateLimit`), Discord's global limit of N requests per
 *   second: X-RateLimit-* headers on every answer, 429 with Retry-After and
 *   X-RateLimit-Global beyond it.
 */

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query: `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  /** Files of a multipart request (discord.js sends attachments so, with the JSON in `payload_json`). */
  files?: { field: string; name: string; contentType: string; bytes: Buffer }[];
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
  /** Guilds the bot is in besides `guildId` (each with one text channel, see channelOf()). */
  extraGuildIds?: string[];
  /** The shard count `GET /gateway/bot` recommends. Default 1. */
  recommendedShards?: number;
  /**
   * Enforce a global limit on REST requests (interaction callbacks and
   * webhooks are exempt, as on Discord): at most `perSecond` requests in a
   * window that opens with the first request and lasts one second. Every
   * answer then carries X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket;
   * a request beyond the limit gets 429 with Retry-After and
   * X-RateLimit-Global. Default: no limit and no such headers.
   */
  rateLimit?: { perSecond: number };
  /** Listen on this port (a test that starts the bot first, the double later). Default: a free one. */
  port?: number;
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
  /** RESUME payloads received (a client picking up its session after a resumable close). */
  readonly resumes: any[] = [];
  private readonly channelBehaviours = new Map<string, ChannelBehaviour>();
  private readonly failures: Array<{ match: (r: RecordedRequest) => boolean; status: number; body: unknown }> = [];
  private readonly sockets = new Set<WebSocket>();
  /** The shard each connection identified as: [id, count]. Connections that have not identified get everything. */
  private readonly shardOfSocket = new Map<WebSocket, [number, number]>();
  private readonly channels = new Map<string, string>();
  /** The shard of each session handed out in READY, for RESUME. */
  private readonly sessions = new Map<string, [number, number]>();
  /** Requests refused by the global rate limit (429), and the current window. */
  globalLimitHits = 0;
  private window = { startedAt: 0, used: 0 };
  private readonly waiters: Array<{ match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];
  private readyWaiters: Array<{ shardId?: number; resolve: () => void }> = [];
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
    this.channels.set(options.guildId, this.channelId);
    for (const [index, id] of options.extraGuildIds.entries()) this.channels.set(id, String(900000000000000200n + BigInt(index)));
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
      extraGuildIds: options.extraGuildIds ?? [],
      recommendedShards: options.recommendedShards ?? 1,
      rateLimit: options.rateLimit ?? { perSecond: 0 },
      port: options.port ?? 0,
    });
    server.on('request', (req, res) => void double.onRequest(req, res));
    wss.on('connection', (socket) => double.onConnection(socket));
    await new Promise<void>((resolve) => server.listen(double.options.port, '127.0.0.1', resolve));
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

  /**
   * Closes every gateway connection with `code`, as Discord does: 4000
   * (unknown error) lets the client resume its session, 4007 (invalid seq)
   * makes it identify anew, 4004 (authentication failed) ends it.
   */
  closeGateway(code: number): void {
    for (const socket of this.sockets) socket.close(code, 'closed by the test double');
  }

  /** The token changes (reset in the Developer Portal): REST with the old one gets 401, and its IDENTIFY 4004. */
  revokeToken(newToken = 'a-token-the-bot-does-not-have'): void {
    this.options.token = newToken;
  }

  setChannel(channelId: string, behaviour: ChannelBehaviour): void {
    this.channelBehaviours.set(channelId, behaviour);
  }

  /** Answers the next request matching with this error (once), e.g. a 400 for a body Discord would refuse. */
  failNext(match: (r: RecordedRequest) => boolean, status: number, body: unknown): void {
    this.failures.push({ match, status, body });
  }

  /** Every guild the bot is in. */
  get guildIds(): string[] {
    return [...this.channels.keys()];
  }

  /** The text channel of a guild. */
  channelOf(guildId: string): string {
    const channel = this.channels.get(guildId);
    if (!channel) throw new Error(`the double has no guild ${guildId}`);
    return channel;
  }

  /** Resolves when a client has received READY (already, or next); with `shardId`, a client of that shard. */
  whenReady(shardId?: number): Promise<void> {
    const ready = [...this.shardOfSocket.values()].some(([id]) => shardId === undefined || id === shardId);
    if (ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push({ shardId, resolve }));
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

  /**
   * Pushes a gateway dispatch to the clients that get it: for a guild's
   * event (data.guild_id), the shard owning the guild; otherwise shard 0.
   * With one shard (the default), every connected client.
   */
  dispatch(type: string, data: unknown): void {
    const guildId = (data as { guild_id?: unknown } | null)?.guild_id;
    const frame = JSON.stringify({ op: 0, t: type, s: ++this.sequence, d: data });
    for (const socket of this.sockets) {
      const shard = this.shardOfSocket.get(socket);
      const owner = shard === undefined ? undefined : typeof guildId === 'string' ? shardOf(guildId, shard[1]) : 0;
      if (owner === undefined || owner === shard![0]) socket.send(frame);
    }
  }

  // ---- interactions -------------------------------------------------------

  /** A slash command as Discord delivers it. `options` are flat name → value (strings, numbers, booleans). */
  chatInput(input: {
    name: string;
    subcommand?: string;
    options?: Record<string, string | number | boolean>;
    user?: InteractionUser;
    focused?: string;
    /** The guild it is used in (default: `guildId`); ignored for a DM (a user without permissions). */
    guildId?: string;
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
    return this.interaction(input.focused !== undefined ? 4 : 2, data, input.user, {}, input.guildId);
  }

  /** A press on a button of a message the bot sent. */
  button(customId: string, message: Record<string, unknown>, user?: InteractionUser): SentInteraction {
    return this.interaction(3, { custom_id: customId, component_type: 2 }, user, { message: this.messageObject(message) });
  }

  private interaction(type: number, data: unknown, user: InteractionUser = defaultUser(), extra: object = {}, guildId = this.guildId): SentInteraction {
    const channelId = this.channelOf(guildId);
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
      authorizing_integration_owners: inGuild ? { '0': guildId } : { '1': user.id },
      attachment_size_limit: 8_388_608,
      ...(inGuild
        ? {
            guild_id: guildId,
            guild_locale: 'en-US',
            context: 0,
            channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
            channel_id: channelId,
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
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.shardOfSocket.delete(socket);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatMs } }));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) this.onIdentify(socket, frame.d);
      if (frame.op === 6) this.onResume(socket, frame.d);
    });
  }

  /** A resumed session gets its missed events (none here) and RESUMED; it keeps its shard. */
  private onResume(socket: WebSocket, resume: any): void {
    this.resumes.push(resume);
    if (this.options.token && resume.token !== this.options.token) return void socket.close(4004, 'Authentication failed');
    const shard = this.sessions.get(resume.session_id);
    // An unknown session: INVALID_SESSION, not resumable; the client identifies anew.
    if (!shard) return void socket.send(JSON.stringify({ op: 9, d: false }));
    socket.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.sequence, d: {} }));
    this.shardOfSocket.set(socket, shard);
  }

  private onIdentify(socket: WebSocket, identify: any): void {
    this.identifies.push(identify);
    if (this.options.token && identify.token !== this.options.token) return void socket.close(4004, 'Authentication failed');
    const shard: [number, number] = Array.isArray(identify.shard) ? [Number(identify.shard[0]), Number(identify.shard[1])] : [0, 1];
    const guildIds = this.guildIds.filter((id) => shardOf(id, shard[1]) === shard[0]);
    const user = { id: this.botUserId, username: 'armistice', global_name: null, discriminator: '0', avatar: null, bot: true };
    const send = (t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++this.sequence, d }));
    const sessionId = `session_${randomBytes(6).toString('hex')}`;
    this.sessions.set(sessionId, shard);
    send('READY', {
      v: 10,
      user,
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: this.gatewayUrl,
      application: { id: this.applicationId, flags: 0 },
      shard,
    });
    for (const guildId of guildIds) send('GUILD_CREATE', this.guildObject(guildId));
    this.shardOfSocket.set(socket, shard);
    const waiters = this.readyWaiters;
    this.readyWaiters = waiters.filter((w) => w.shardId !== undefined && w.shardId !== shard[0]);
    for (const waiter of waiters) if (!this.readyWaiters.includes(waiter)) waiter.resolve();
  }

  private guildObject(guildId: string): Record<string, unknown> {
    const channelId = this.channelOf(guildId);
    return {
      id: guildId,
      name: guildId === this.guildId ? 'Test server' : `Test server ${guildId}`,
      unavailable: false,
      owner_id: '900000000000000009',
      member_count: 2,
      joined_at: new Date(0).toISOString(),
      roles: [{ id: guildId, name: '@everyone', permissions: PERMISSIONS.member, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: [{ id: channelId, type: 0, name: 'general', position: 0, guild_id: guildId, permission_overwrites: [] }],
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
    };
  }

  // ---- REST ------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The rate limit counts a request from when its headers arrived, not from when its body was read.
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const multipart = await readMultipart(raw, req.headers['content-type']);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: multipart ? multipart.body : text ? JSON.parse(text) : undefined,
      ...(multipart ? { files: multipart.files } : {}),
      at: performance.now(),
    };
    this.requests.push(record);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(record)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(record);
      }
    }
    this.route(record, res, arrivedAt);
  }

  private route(r: RecordedRequest, res: ServerResponse, arrivedAt: number): void {
    const p = r.path.replace(/^\/api\/v10/, '');
    let m: RegExpExecArray | null;
    if (this.options.token && r.headers.authorization !== `Bot ${this.options.token}`) {
      return json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    if (this.options.rateLimit.perSecond > 0 && !/^\/(interactions|webhooks)\//.test(p) && !this.withinGlobalLimit(res, arrivedAt)) return;
    const failure = this.failures.find((f) => f.match(r));
    if (failure) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      return json(res, failure.status, failure.body);
    }
    if (r.method === 'GET' && p === '/gateway/bot') {
      return json(res, 200, { url: this.options.gatewayUrl || this.gatewayUrl, shards: this.options.recommendedShards, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
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

  /**
   * Discord's global limit as a bucket: a window opens with the first request
   * after the last one closed and admits `perSecond` requests for a second.
   * Sets the X-RateLimit headers on `res`; answers 429 itself (false) when
   * the window is used up.
   */
  private withinGlobalLimit(res: ServerResponse, now: number): boolean {
    const limit = this.options.rateLimit.perSecond;
    if (now >= this.window.startedAt + 1000) this.window = { startedAt: now, used: 0 };
    const resetAt = this.window.startedAt + 1000;
    const resetAfter = ((resetAt - now) / 1000).toFixed(3);
    const admitted = this.window.used < limit;
    if (admitted) this.window.used++;
    res.setHeader('x-ratelimit-limit', String(limit));
    res.setHeader('x-ratelimit-remaining', String(limit - this.window.used));
    res.setHeader('x-ratelimit-reset', (resetAt / 1000).toFixed(3));
    res.setHeader('x-ratelimit-reset-after', resetAfter);
    res.setHeader('x-ratelimit-bucket', 'double-global');
    if (admitted) return true;
    this.globalLimitHits++;
    // The header is whole seconds (rounded up), the body exact, as on Discord.
    const retryAfter = String(Math.ceil(Number(resetAfter)));
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter, 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
    res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: Number(resetAfter), global: true }));
    return false;
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

/** The shard that receives a guild's events: (guild_id >> 22) % shard count, as Discord computes it. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
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

/** A multipart/form-data body as Discord reads it: `payload_json` and the files; undefined for other bodies. */
async function readMultipart(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: NonNullable<RecordedRequest['files']> } | undefined> {
  if (!contentType?.startsWith('multipart/form-data')) return undefined;
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const files: NonNullable<RecordedRequest['files']> = [];
  let body: unknown;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value);
    } else files.push({ field, name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body, files };
}
