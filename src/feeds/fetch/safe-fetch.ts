import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
// undici is loaded on the first fetch (see FeedFetcher.agents): start-up, and a process that never fetches, skip it.
import type { Agent } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { isExemptHost, judgeAddress } from './address-policy.ts';
import { decodeFeedBytes } from './charset.ts';
import { decodeContent } from './content-encoding.ts';
import { feedFailure, type FeedFailure } from '../failure.ts';

/**
 * src/feeds/fetch/ — a feed URL to the feed's text, or a FeedFailure saying
 * why not. Entry point: FeedFetcher (this file); the rest serve it:
 * address-policy.ts (which IPs may be connected to), content-encoding.ts
 * (gzip/deflate/br under a size cap), charset.ts (bytes to text).
 * It must not parse XML, touch the store or know about items and seen
 * marks, and nothing here throws: every outcome is a value with a reason
 * code. Imports no other feeds folder; of src/feeds/ only failure.ts
 * (test/unit/boundaries.test.ts).
 *
 * The feed fetcher: our own HTTP client on undici, made to be pointed at
 * addresses strangers typed.
 *
 * - DNS is resolved by us, inside the connection (an undici Agent whose
 *   `connect.lookup` applies the address policy), so the address checked is
 *   the address connected to: no DNS-rebinding gap. IP literals, which never
 *   reach a lookup, are checked before connecting.
 * - Redirects are followed by hand (at most 5, http/https only), each hop
 *   checked the same way.
 * - Conditional requests: a 304 is "unchanged", never "empty".
 * - gzip/deflate/br are decoded; the size cap applies to the download
 *   (aborted once past it) and again to the decoded bytes; one deadline
 *   covers every hop and the body.
 * - Every outcome is a value with a reason code; nothing is thrown.
 */

export interface FetchLimits {
  /** `host:port` pairs exempt from the private-address refusal (config.FEED_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** Decoded bytes (config.FEED_MAX_BYTES). */
  maxBytes: number;
  /** Whole fetch, redirects and body included (config.FEED_TIMEOUT_MS). */
  timeoutMs: number;
  maxRedirects?: number;
  userAgent?: string;
}

export interface ConditionalHeaders {
  etag?: string;
  lastModified?: string;
}

export interface FetchedFeed {
  ok: true;
  unchanged: false;
  /** The final URL, after redirects. */
  url: string;
  status: number;
  text: string;
  charset: string;
  /** Decoded size in bytes. */
  bytes: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export interface UnchangedFeed {
  ok: true;
  unchanged: true;
  url: string;
  etag?: string;
  lastModified?: string;
}

export type FetchResult = FetchedFeed | UnchangedFeed | FeedFailure;

/** How host names become addresses; tests pass one that answers 127.0.0.1. */
export type Resolver = (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_USER_AGENT = 'armistice-bot feed reader (+https://github.com/armistice-bot)';
const ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** Raised inside the connection's DNS lookup; recognised by its code. */
class BlockedAddressError extends Error {
  readonly code = 'FEED_BLOCKED_ADDRESS';
  constructor(message: string) {
    super(message);
  }
}

function guardedLookup(resolve: Resolver, applyPolicy: boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error);
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }));
      if (applyPolicy) {
        // Every address must be public: a name with one private record could be steered to it.
        for (const { address } of addresses) {
          const verdict = judgeAddress(address);
          if (!verdict.public) return callback(new BlockedAddressError(`${hostname} resolves to ${address} (${verdict.range})`));
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
}

/** Seconds or an HTTP date, as milliseconds from `now`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function describeError(error: unknown): string {
  const chain = causeChain(error);
  const last = chain[chain.length - 1] as { message?: string; code?: string } | undefined;
  return last?.code ? `${last.code}: ${last.message ?? ''}`.trim() : (last?.message ?? String(error));
}

export class FeedFetcher {
  private agentsLoading: Promise<{ strict: Agent; exempt: Agent; request: typeof import('undici').request }> | undefined;
  private readonly limits: Required<FetchLimits>;

  constructor(
    limits: FetchLimits,
    private readonly resolver: Resolver = systemResolver,
  ) {
    this.limits = { maxRedirects: DEFAULT_MAX_REDIRECTS, userAgent: DEFAULT_USER_AGENT, ...limits };
  }

  /** The two connection pools, made on the first fetch. */
  private agents(): Promise<{ strict: Agent; exempt: Agent; request: typeof import('undici').request }> {
    this.agentsLoading ??= import('undici').then(({ Agent, request }) => {
      const agentOptions = { connections: 4, headersTimeout: this.limits.timeoutMs, bodyTimeout: this.limits.timeoutMs };
      return {
        strict: new Agent({ ...agentOptions, connect: { lookup: guardedLookup(this.resolver, true) } }),
        // Only ever used for the exact host:port pairs of FEED_ALLOWED_HOSTS.
        exempt: new Agent({ ...agentOptions, connect: { lookup: guardedLookup(this.resolver, false) } }),
        request,
      };
    });
    return this.agentsLoading;
  }

  async fetch(address: string, conditional: ConditionalHeaders = {}, now: () => Date = () => new Date()): Promise<FetchResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.limits.timeoutMs);
    try {
      return await this.follow(address, conditional, controller, now);
    } catch (error) {
      if (timedOut) return feedFailure('TIMEOUT', `no complete answer within ${this.limits.timeoutMs} ms`);
      const blocked = causeChain(error).find((e) => (e as { code?: string }).code === 'FEED_BLOCKED_ADDRESS') as Error | undefined;
      if (blocked) return feedFailure('BLOCKED_ADDRESS', blocked.message);
      return feedFailure('FETCH_FAILED', describeError(error));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes connections at once, in-flight fetches included (they end as FETCH_FAILED): shutdown must not wait on a slow feed. */
  async close(): Promise<void> {
    if (!this.agentsLoading) return;
    const { strict, exempt } = await this.agentsLoading;
    await Promise.all([strict.destroy(), exempt.destroy()]);
  }

  private async follow(
    address: string,
    conditional: ConditionalHeaders,
    controller: AbortController,
    now: () => Date,
  ): Promise<FetchResult> {
    let url = parseFeedUrl(address);
    if (!url.ok) return url.failure;
    for (let hop = 0; ; hop++) {
      const target = url.value;
      const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
      const exempt = isExemptHost(target.hostname, port, this.limits.allowedHosts);
      if (!exempt) {
        const bare = target.hostname.replace(/^\[|\]$/g, '');
        if (isIP(bare)) {
          const verdict = judgeAddress(bare);
          if (!verdict.public) return feedFailure('BLOCKED_ADDRESS', `${target.host} is a ${verdict.range} address`);
        }
      }
      const headers: Record<string, string> = {
        'user-agent': this.limits.userAgent,
        accept: ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      };
      if (conditional.etag) headers['if-none-match'] = conditional.etag;
      if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;

      const agents = await this.agents();
      const response = await agents.request(target, {
        method: 'GET',
        headers,
        signal: controller.signal,
        dispatcher: exempt ? agents.exempt : agents.strict,
      });
      const status = response.statusCode;
      const header = (name: string) => firstHeader(response.headers, name);

      if (REDIRECT_STATUSES.has(status)) {
        await response.body.dump();
        const location = header('location');
        if (!location) return feedFailure('HTTP_ERROR', `redirect ${status} without a Location`, { status });
        if (hop + 1 > this.limits.maxRedirects) {
          return feedFailure('TOO_MANY_REDIRECTS', `more than ${this.limits.maxRedirects} redirects`);
        }
        url = parseFeedUrl(location, target);
        if (!url.ok) return url.failure;
        continue;
      }
      const etag = header('etag');
      const lastModified = header('last-modified');
      if (status === 304) {
        await response.body.dump();
        return { ok: true, unchanged: true, url: target.href, etag: etag ?? conditional.etag, lastModified: lastModified ?? conditional.lastModified };
      }
      if (status < 200 || status > 299) {
        await response.body.dump();
        const retryAfterMs = parseRetryAfter(header('retry-after'), now());
        return feedFailure(status === 429 ? 'RATE_LIMITED' : 'HTTP_ERROR', `HTTP ${status}`, { status, retryAfterMs });
      }
      const raw = await readCapped(response.body, Number(header('content-length')), this.limits.maxBytes, controller);
      if (!raw) return feedFailure('TOO_LARGE', `more than ${this.limits.maxBytes} bytes`);
      const decoded = decodeContent(raw, header('content-encoding'), this.limits.maxBytes);
      if (!decoded.ok) return feedFailure(decoded.tooLarge ? 'TOO_LARGE' : 'FETCH_FAILED', decoded.message);
      const contentType = header('content-type');
      const { text, charset } = decodeFeedBytes(decoded.bytes, contentType);
      return { ok: true, unchanged: false, url: target.href, status, text, charset, bytes: decoded.bytes.byteLength, contentType, etag, lastModified };
    }
  }
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type UrlCheck = { ok: true; value: URL } | { ok: false; failure: FeedFailure };

/** An absolute http(s) URL without credentials, or a BAD_URL failure. */
export function parseFeedUrl(text: string, base?: URL): UrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim(), base);
  } catch {
    return { ok: false, failure: feedFailure('BAD_URL', `not a URL: ${text.slice(0, 200)}`) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, failure: feedFailure('BAD_URL', `only http and https are fetched, not ${url.protocol}`) };
  }
  if (url.username || url.password) {
    return { ok: false, failure: feedFailure('BAD_URL', 'addresses with a user name or password are not fetched') };
  }
  url.hash = '';
  return { ok: true, value: url };
}

/**
 * The body as sent (still encoded), or undefined once it passes `maxBytes`:
 * the download is aborted there. Compression never shrinks a body much
 * below its decoded size the other way round, so an encoded body over the
 * cap is over it decoded too (give or take a header's bytes).
 */
async function readCapped(body: AsyncIterable<Buffer>, declaredLength: number, maxBytes: number, controller: AbortController): Promise<Buffer | undefined> {
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    controller.abort();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) break;
      chunks.push(chunk);
    }
  } catch (error) {
    // Leaving the loop early destroys the stream; some streams report that as an error.
    if (total <= maxBytes) throw error;
  }
  if (total > maxBytes) {
    controller.abort(); // closes the connection: the server stops sending
    return undefined;
  }
  return Buffer.concat(chunks, total);
}
