import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { FeedFetcher, parseRetryAfter, type FetchLimits } from '../../src/feeds/fetch/safe-fetch.ts';
import { parseFeed } from '../../src/feeds/parse/parse.ts';
import { fixtureBytes, loopbackResolver, rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

// Two loopback servers: `feeds` is allowed through FEED_ALLOWED_HOSTS, `other`
// is not. Every host name resolves to 127.0.0.1, so nothing here can reach
// another machine even if the guard were broken.

const FEED = rss([{ title: 'North Korea news', guid: 'n1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' }]);
let feeds: LoopbackServer;
let other: LoopbackServer;
const fetchers: FeedFetcher[] = [];

function fetcher(limits: Partial<FetchLimits> = {}): FeedFetcher {
  const f = new FeedFetcher({ allowedHosts: [feeds.hostPort, `feeds.test:${feeds.port}`], maxBytes: 64 * 1024, timeoutMs: 2000, ...limits }, loopbackResolver);
  fetchers.push(f);
  return f;
}

beforeAll(async () => {
  feeds = await startLoopbackServer();
  other = await startLoopbackServer({ '/secret': serve('internal admin page') });
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await feeds.close();
  await other.close();
});

describe('GIVEN an allowed loopback feed server', () => {
  it('fetches a plain feed and hands back its text and validators', async () => {
    feeds.route('/plain', serve(FEED, { etag: '"v1"', 'last-modified': 'Mon, 04 Mar 2024 08:00:00 GMT' }));
    const result = await fetcher().fetch(feeds.url('/plain'));
    expect(result).toMatchObject({ ok: true, unchanged: false, status: 200, text: FEED, etag: '"v1"', lastModified: 'Mon, 04 Mar 2024 08:00:00 GMT' });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const path = `/enc-${encoding}-${compress.name}`;
    feeds.route(path, serve(compress(Buffer.from(FEED)), { 'content-encoding': encoding }));
    const result = await fetcher().fetch(feeds.url(path));
    expect(result).toMatchObject({ ok: true, text: FEED });
  });

  it('sends If-None-Match and If-Modified-Since, and a 304 is "unchanged", not an empty feed', async () => {
    feeds.route('/conditional', (req, res) => {
      if (req.headers['if-none-match'] === '"v2"' && req.headers['if-modified-since'] === 'Tue, 05 Mar 2024 08:00:00 GMT') {
        res.writeHead(304).end();
      } else {
        res.writeHead(200, { etag: '"v2"' }).end(FEED);
      }
    });
    const result = await fetcher().fetch(feeds.url('/conditional'), { etag: '"v2"', lastModified: 'Tue, 05 Mar 2024 08:00:00 GMT' });
    expect(result).toEqual({ ok: true, unchanged: true, url: feeds.url('/conditional'), etag: '"v2"', lastModified: 'Tue, 05 Mar 2024 08:00:00 GMT' });
  });

  it('reports 429 as RATE_LIMITED with the Retry-After delay', async () => {
    feeds.route('/busy', serve('slow down', { 'retry-after': '120' }, 429));
    expect(await fetcher().fetch(feeds.url('/busy'))).toMatchObject({ ok: false, reason: 'RATE_LIMITED', status: 429, retryAfterMs: 120_000 });
  });

  it('reports other error statuses as HTTP_ERROR', async () => {
    feeds.route('/gone', serve('gone', {}, 410));
    feeds.route('/broken', serve('oops', { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' }, 503));
    expect(await fetcher().fetch(feeds.url('/gone'))).toMatchObject({ ok: false, reason: 'HTTP_ERROR', status: 410 });
    const broken = await fetcher().fetch(feeds.url('/broken'));
    expect(broken).toMatchObject({ ok: false, reason: 'HTTP_ERROR', status: 503 });
    expect(broken.ok === false && broken.retryAfterMs).toBeGreaterThan(0);
  });

  it('decodes the charset named only by the Content-Type header', async () => {
    feeds.route('/cp1251', serve(fixtureBytes('windows-1251-no-prolog.xml'), { 'content-type': 'application/rss+xml; charset=windows-1251' }));
    const result = await fetcher().fetch(feeds.url('/cp1251'));
    if (!result.ok || result.unchanged) throw new Error('expected a body');
    expect(result.charset).toBe('windows-1251');
    const parsed = await parseFeed(result.text, new Date('2024-06-01T00:00:00Z'));
    expect(parsed).toMatchObject({ ok: true, feed: { title: 'Новости Кореи' } });
  });

  it.each(['euc-kr.xml', 'shift_jis.xml', 'windows-1251.xml'])('decodes %s from its XML prolog', async (name) => {
    feeds.route(`/${name}`, serve(fixtureBytes(name), { 'content-type': 'application/xml' }));
    const result = await fetcher().fetch(feeds.url(`/${name}`));
    if (!result.ok || result.unchanged) throw new Error('expected a body');
    const parsed = await parseFeed(result.text, new Date('2024-06-01T00:00:00Z'));
    expect(parsed.ok && parsed.feed.items[0]!.title).toMatch(/Корее|판문점|北朝鮮/);
  });
});

describe('GIVEN bodies that are too big or too slow', () => {
  it('refuses a declared huge body without reading it', async () => {
    feeds.route('/huge', (_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 'a'));
    });
    expect(await fetcher().fetch(feeds.url('/huge'))).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
  });

  it('aborts an endless body once past the cap', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    feeds.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(16 * 1024, '<x/>');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => closed());
      pump();
    });
    const result = await fetcher({ maxBytes: 100 * 1024 }).fetch(feeds.url('/endless'));
    expect(result).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
    await serverSawClose; // the download really stopped
  });

  it('counts the cap after decompression (a gzip bomb is TOO_LARGE)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(64 * 1024);
    feeds.route('/bomb', serve(bomb, { 'content-encoding': 'gzip' }));
    expect(await fetcher().fetch(feeds.url('/bomb'))).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
  });

  it('gives up on a slow body at the overall deadline', async () => {
    feeds.route('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      const timer = setInterval(() => res.write('<!-- still here -->'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const result = await fetcher({ timeoutMs: 400 }).fetch(feeds.url('/slow'));
    expect(result).toMatchObject({ ok: false, reason: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a body cut short (Content-Length not reached) as FETCH_FAILED', async () => {
    feeds.route('/truncated', (req, res) => {
      res.writeHead(200, { 'content-length': '5000' });
      res.write(FEED.slice(0, 100));
      setTimeout(() => req.socket.destroy(), 20);
    });
    expect(await fetcher().fetch(feeds.url('/truncated'))).toMatchObject({ ok: false, reason: 'FETCH_FAILED' });
  });
});

describe('GIVEN redirects', () => {
  it('follows a chain of up to 5 redirects, relative ones included', async () => {
    for (let i = 1; i <= 5; i++) feeds.route(`/hop${i}`, serve('', { location: i === 5 ? '/plain-target' : `/hop${i + 1}` }, i % 2 ? 301 : 307));
    feeds.route('/plain-target', serve(FEED));
    const result = await fetcher().fetch(feeds.url('/hop1'));
    expect(result).toMatchObject({ ok: true, url: feeds.url('/plain-target'), text: FEED });
  });

  it('refuses a sixth redirect', async () => {
    for (let i = 1; i <= 6; i++) feeds.route(`/loop${i}`, serve('', { location: `/loop${i + 1}` }, 302));
    feeds.route('/loop7', serve(FEED));
    expect(await fetcher().fetch(feeds.url('/loop1'))).toMatchObject({ ok: false, reason: 'TOO_MANY_REDIRECTS' });
  });

  it.each([
    ['dotted', () => `http://127.0.0.1:${other.port}/secret`],
    ['decimal', () => `http://2130706433:${other.port}/secret`],
    ['hex', () => `http://0x7f000001:${other.port}/secret`],
    ['short', () => `http://127.1:${other.port}/secret`],
    ['IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${other.port}/secret`],
    ['a host name', () => `http://internal.test:${other.port}/secret`],
  ])('refuses a redirect to a loopback port that is not allowed (%s) as BLOCKED_ADDRESS', async (_form, target) => {
    const before = other.requests.length;
    feeds.route('/to-other', (_req, res) => res.writeHead(302, { location: target() }).end());
    const result = await fetcher().fetch(feeds.url('/to-other'));
    expect(result).toMatchObject({ ok: false, reason: 'BLOCKED_ADDRESS' });
    expect(other.requests.length).toBe(before); // nothing was sent there
  });

  it('refuses a redirect to another scheme', async () => {
    feeds.route('/to-file', serve('', { location: 'file:///etc/passwd' }, 302));
    expect(await fetcher().fetch(feeds.url('/to-file'))).toMatchObject({ ok: false, reason: 'BAD_URL' });
  });
});

describe('GIVEN addresses the policy refuses', () => {
  it('refuses a loopback server that is not listed, without sending it anything', async () => {
    const before = other.requests.length;
    expect(await fetcher().fetch(`http://127.0.0.1:${other.port}/secret`)).toMatchObject({ ok: false, reason: 'BLOCKED_ADDRESS' });
    expect(await fetcher().fetch(`http://[::1]:${other.port}/secret`)).toMatchObject({ ok: false, reason: 'BLOCKED_ADDRESS' });
    expect(other.requests.length).toBe(before);
  });

  it('checks the address a host name resolves to, inside the connection', async () => {
    const before = other.requests.length;
    const result = await fetcher().fetch(`http://rebinding.test:${other.port}/secret`);
    expect(result).toMatchObject({ ok: false, reason: 'BLOCKED_ADDRESS', message: expect.stringContaining('127.0.0.1') });
    expect(other.requests.length).toBe(before);
  });

  it('lets a listed host name through to its private address', async () => {
    const result = await fetcher().fetch(`http://feeds.test:${feeds.port}/plain`);
    expect(result).toMatchObject({ ok: true, text: FEED });
  });

  it('exempts nothing by default', async () => {
    const strict = new FeedFetcher({ allowedHosts: [], maxBytes: 1024, timeoutMs: 1000 }, loopbackResolver);
    fetchers.push(strict);
    expect(await strict.fetch(feeds.url('/plain'))).toMatchObject({ ok: false, reason: 'BLOCKED_ADDRESS' });
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'ftp://127.0.0.1/feed', 'not a url', 'http://user:secret@127.0.0.1:1/feed', ''])(
    'refuses %j as BAD_URL',
    async (url) => {
      expect(await fetcher().fetch(url)).toMatchObject({ ok: false, reason: 'BAD_URL' });
    },
  );
});

describe('Retry-After', () => {
  const now = new Date('2024-03-04T08:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 04 Mar 2024 08:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Mon, 04 Mar 2024 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
