import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';
import { rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

// The real services (composition root, SQLite in memory) and the real router;
// feeds come from a loopback server listed in FEED_ALLOWED_HOSTS. A second
// loopback server is not listed: the bot must refuse it.

const admin: Caller = { user: { id: 'U-admin', name: 'Ada', isAdmin: true }, channel: { id: 'slack:C-news', platform: 'slack' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'slack:C-news', platform: 'slack' } };

const FEED = rss(
  [
    { title: 'Kaesong industrial zone talks resume', guid: 'k1', date: 'Mon, 04 Mar 2024 08:00:00 GMT', description: 'Negotiators met in Kaesong.' },
    { title: 'Bakery wins bread prize', guid: 'b1', date: 'Mon, 04 Mar 2024 07:00:00 GMT' },
  ],
  'Peninsula Wire',
);

let server: LoopbackServer;
let other: LoopbackServer;
let services: Services;
const ask = (line: string, caller = admin) => dispatchLine(services, line, caller);

beforeEach(async () => {
  server = await startLoopbackServer({
    '/wire.xml': serve(FEED),
    '/home': serve('<!DOCTYPE html><html><body>Welcome</body></html>', { 'content-type': 'text/html' }),
  });
  other = await startLoopbackServer({ '/wire.xml': serve(FEED) });
  services = await makeTestServices({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000' });
});

afterEach(async () => {
  await services.close();
  await server.close();
  await other.close();
});

describe('/feeds add', () => {
  it('adds a feed, makes its relevant items searchable with /news, and says they are a baseline', async () => {
    const reply = await ask(`/feeds add url:${server.url('/wire.xml')}`);
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('Added feed “Peninsula Wire”');
    expect(renderPlainText(reply)).toContain('not posted to channels');

    const news = await ask('/news Kaesong', member);
    expect(renderPlainText(news)).toContain('Kaesong industrial zone talks resume');
  });

  it('GIVEN the bare channel id a platform passes WHEN a feed is added THEN the feed remembers the platform-qualified channel its admins are told in', async () => {
    await ask(`/feeds add url:${server.url('/wire.xml')}`, { ...admin, channel: { id: 'C0NEWS', platform: 'slack', guildId: 'T0TEAM' } });
    expect((await services.feeds.list())[0]).toMatchObject({ addedInChannel: 'slack:C0NEWS', scope: 'slack:T0TEAM' });
  });

  it('refuses an HTML page with the reason code and a hint', async () => {
    const reply = await ask(`/feeds add url:${server.url('/home')}`);
    expect(reply).toMatchObject({ errorCode: 'NOT_A_FEED', ephemeral: true });
    expect(reply.title).toContain('(NOT_A_FEED)');
    expect(renderPlainText(reply)).toContain('RSS or Atom');
  });

  it('refuses a private address that is not allowed, and sends it nothing', async () => {
    const reply = await ask(`/feeds add url:http://127.0.0.1:${other.port}/wire.xml`);
    expect(reply).toMatchObject({ errorCode: 'BLOCKED_ADDRESS', ephemeral: true });
    expect(renderPlainText(reply)).toContain('FEED_ALLOWED_HOSTS');
    expect(other.requests).toEqual([]);
  });

  it('refuses something that is not an http(s) URL', async () => {
    expect(await ask('/feeds add url:file:///etc/passwd')).toMatchObject({ errorCode: 'BAD_URL' });
  });

  it('is for admins only', async () => {
    const reply = await ask(`/feeds add url:${server.url('/wire.xml')}`, member);
    expect(reply).toMatchObject({ errorCode: 'NOT_ADMIN', ephemeral: true });
    expect(server.requests).toEqual([]);
  });
});

describe('/feeds list, status and remove', () => {
  it('proposes the feeds of data/feeds.yaml while none is registered', async () => {
    const reply = await ask('/feeds list', member);
    expect(reply.title).toBe('No feeds yet');
    expect(reply.items?.map((i) => i.title)).toContain('38 North');
    expect(reply.items?.[0]?.text).toMatch(/^\/feeds add url:https:\/\//);
  });

  it('lists feeds for anyone and shows status to admins', async () => {
    await ask(`/feeds add url:${server.url('/wire.xml')} name:"Wire" about:"kaesong, talks"`);
    const list = await ask('/feeds list', member);
    expect(list.items?.map((i) => i.title)).toEqual(['Wire']);
    expect(list.items?.[0]?.meta).toContain('about: kaesong, talks');

    expect(await ask('/feeds status', member)).toMatchObject({ errorCode: 'NOT_ADMIN' });
    const status = await ask('/feeds status feed:wire');
    const text = renderPlainText(status);
    expect(status.title).toBe('Feed “Wire”');
    expect(text).toContain('Consecutive failures: 0');
    expect(text).toMatch(/Next attempt: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 1\d min\)/);
    expect(text).toContain('Last new item: never');
  });

  it('removes a feed by name (admins), and says which names exist when one is unknown', async () => {
    await ask(`/feeds add url:${server.url('/wire.xml')} name:Wire`);
    expect(await ask('/feeds remove feed:Wire', member)).toMatchObject({ errorCode: 'NOT_ADMIN' });
    expect(await ask('/feeds remove feed:Nope')).toMatchObject({ errorCode: 'UNKNOWN_FEED', text: ['Feeds: Wire'] });
    expect((await ask('/feeds remove feed:Wire')).title).toBe('Removed feed “Wire”');
    expect((await ask('/feeds list')).title).toBe('No feeds yet');
  });
});

describe('/feeds disable and enable', () => {
  it('stops and resumes fetching a feed, says so, and names an unknown feed', async () => {
    await ask(`/feeds add url:${server.url('/wire.xml')}`);
    const disabled = await ask('/feeds disable feed:"Peninsula Wire"');
    expect(disabled.title).toBe('Disabled feed “Peninsula Wire”');
    expect((await services.feeds.find('Peninsula Wire'))?.enabled).toBe(false);
    expect(renderPlainText(await ask('/feeds status feed:"Peninsula Wire"'))).toContain('disabled by an admin');
    expect((await ask('/feeds disable feed:"Peninsula Wire"')).title).toBe('Feed “Peninsula Wire” is already disabled');
    const enabled = await ask('/feeds enable feed:"Peninsula Wire"');
    expect(enabled.title).toBe('Enabled feed “Peninsula Wire”');
    expect(await services.feeds.find('Peninsula Wire')).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    expect((await ask('/feeds enable feed:nope')).errorCode).toBe('UNKNOWN_FEED');
    expect((await ask('/feeds disable feed:"Peninsula Wire"', member)).errorCode).toBe('NOT_ADMIN');
  });
});

describe('/feeds edit', () => {
  it('renames a feed and changes or clears its topic words, refusing a taken name or nothing to change', async () => {
    await ask(`/feeds add url:${server.url('/wire.xml')}`);
    const renamed = await ask('/feeds edit feed:"Peninsula Wire" name:"  Wire   of the Peninsula " about:"summit, DMZ"');
    expect(renamed.title).toBe('Feed “Wire of the Peninsula” updated');
    expect(renderPlainText(renamed)).toContain('only items that also mention summit, dmz are kept');
    expect(await services.feeds.find('Wire of the Peninsula')).toMatchObject({ about: ['summit', 'dmz'] });
    expect((await ask('/feeds edit feed:"Wire of the Peninsula" about:none')).text).toEqual(['Every item about Korea is kept (no topic words).']);
    expect((await services.feeds.find('Wire of the Peninsula'))?.about).toEqual([]);
    expect((await ask('/feeds edit feed:"Wire of the Peninsula"')).errorCode).toBe('NOTHING_TO_CHANGE');
    expect((await ask('/feeds edit feed:nope name:x')).errorCode).toBe('UNKNOWN_FEED');
    await ask(`/feeds add url:${server.url('/wire.xml')}?second name:Other`);
    const taken = await ask('/feeds edit feed:Other name:"wire of the peninsula"');
    expect(taken).toMatchObject({ errorCode: 'NAME_TAKEN', title: 'Another feed is already called “Wire of the Peninsula”.' });
    expect((await services.feeds.find('Other'))?.name).toBe('Other');
  });
});
