import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { adminOf, signedIn, startDashboard, type Browser, type DashboardHarness } from '../support/dashboard.ts';
import type { IngestResult } from '../../src/knowledge/knowledge-base.ts';
import { learnFrom } from '../support/review-facts.ts';
import { rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

// The dashboard's pages over real HTTP, against the real services (SQLite in
// memory) and a loopback feed server listed in FEED_ALLOWED_HOSTS. Two
// servers, A and B: A's admin must never see or change B's things.

const WIRE = rss([{ title: 'Kaesong industrial zone talks resume', guid: 'k1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' }], 'Peninsula Wire');
const HOSTILE = rss([{ title: 'Korea summit', guid: 'h1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' }], '&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; &amp; co');

let feeds: LoopbackServer;
let h: DashboardHarness;
let a: Browser;
const A = adminOf('G-A');
const B = adminOf('G-B');

beforeEach(async () => {
  feeds = await startLoopbackServer({ '/wire.xml': serve(WIRE), '/b.xml': serve(WIRE), '/hostile.xml': serve(HOSTILE), '/page': serve('<html><body>hi</body></html>', { 'content-type': 'text/html' }) });
  h = await startDashboard({ FEED_ALLOWED_HOSTS: feeds.hostPort, FEED_TIMEOUT_MS: '2000' });
  a = await signedIn(h, A);
});
afterEach(async () => {
  await h.close();
  await feeds.close();
});

describe('every page', () => {
  it('sends security headers: a CSP without script, no sniffing, no framing', async () => {
    for (const path of ['/dashboard/feeds', '/dashboard/subscriptions', '/dashboard/posts', '/dashboard/review', '/dashboard/sign-in?t=x']) {
      const { headers } = await a.get(path);
      const csp = headers.get('content-security-policy')!;
      expect(csp, path).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src|unsafe-inline/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses a form without the session’s CSRF token, or with another session’s, and changes nothing', async () => {
    const b = await signedIn(h, B);
    for (const csrf of [null, 'made-up', b.csrf]) {
      const res = await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml') }, { csrf });
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired');
    }
    expect(await h.services.feeds.list()).toEqual([]);
  });

  it('refuses a form posted from another site', async () => {
    const res = await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml') }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await h.services.feeds.list()).toEqual([]);
  });
});

describe('Feeds', () => {
  it('adds a feed as /feeds add does, and lists it with its state', async () => {
    const res = await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml'), about: 'kaesong' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Added feed “Peninsula Wire”');
    expect(res.text).toMatch(/<strong>Peninsula Wire<\/strong>/);
    expect(res.text).toContain('about: kaesong');
    const [feed] = await h.services.feeds.list();
    expect(feed).toMatchObject({ name: 'Peninsula Wire', scope: 'discord:G-A', addedBy: 'U-G-A', addedInChannel: 'discord:C-G-A' });
  });

  it('answers a refused feed with /feeds add’s message and code, keeping what was typed', async () => {
    const res = await a.post('/dashboard/feeds', { url: feeds.url('/page'), name: 'My page' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('I could not add that feed: the address did not return an RSS or Atom feed (NOT_A_FEED)');
    expect(res.text).toContain(`value="${feeds.url('/page')}"`);
    expect(res.text).toContain('value="My page"');
    const bad = await a.post('/dashboard/feeds', { url: 'ftp://x' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('(BAD_URL)');
    const empty = await a.post('/dashboard/feeds', { url: '' });
    expect(empty.status).toBe(422);
    expect(await h.services.feeds.list()).toEqual([]);
  });

  it('escapes everything a feed or a form wrote', async () => {
    // The feed's title carries markup (entity-encoded in the XML); a second feed gets a name with markup from the form.
    expect((await a.post('/dashboard/feeds', { url: feeds.url('/hostile.xml') })).status).toBe(200);
    expect((await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml'), name: '<img src=x onerror=alert(2)> "quoted"' })).status).toBe(200);
    const { text } = await a.get('/dashboard/feeds');
    expect(text).toContain('&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot;');
    expect(text).not.toMatch(/<script|<b>Bold|<img/);
    expect(text).toContain('Bold');
  });

  it('disables, enables and removes a feed with /feeds’ rules and words', async () => {
    await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml') });
    const [feed] = await h.services.feeds.list();
    const disabled = await a.post(`/dashboard/feeds/${feed!.id}/disable`, {});
    expect(disabled.text).toContain('Disabled feed “Peninsula Wire”');
    expect(disabled.text).toContain('disabled by an admin (/feeds enable turns it back on)');
    expect((await a.get('/dashboard/feeds')).text).toContain('never (disabled)');
    expect((await h.services.feeds.find(feed!.id))?.enabled).toBe(false);
    expect((await a.post(`/dashboard/feeds/${feed!.id}/enable`, {})).text).toContain('Enabled feed “Peninsula Wire”');
    expect((await h.services.feeds.find(feed!.id))?.enabled).toBe(true);
    const removed = await a.post(`/dashboard/feeds/${feed!.id}/remove`, {});
    expect(removed.text).toContain('Removed feed “Peninsula Wire”');
    expect(await h.services.feeds.list()).toEqual([]);
  });

  it('refreshes a feed now, as /feeds refresh does: fetched at once, and the page says what came', async () => {
    await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml') });
    const [feed] = await h.services.feeds.list();
    const before = feeds.requests.filter((r) => r.path === '/wire.xml').length;
    const refreshed = await a.post(`/dashboard/feeds/${feed!.id}/refresh`, {});
    expect(refreshed.status).toBe(200);
    expect(refreshed.text).toMatch(/Fetched 1 feed now<\/p>\n<p>0 new articles\./);
    expect(feeds.requests.filter((r) => r.path === '/wire.xml').length).toBe(before + 1);
    expect(refreshed.text).toContain('Refresh Peninsula Wire now');
  });

  it('renames a feed and changes its topic words through /feeds edit, and refuses a taken name', async () => {
    await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml') });
    await a.post('/dashboard/feeds', { url: feeds.url('/b.xml'), name: 'Other' });
    const wire = await h.services.feeds.find('Peninsula Wire');
    const edited = await a.post(`/dashboard/feeds/${wire!.id}/edit`, { name: 'Wire', about: 'summit, dmz' });
    expect(edited.text).toContain('Feed “Wire” updated');
    expect(await h.services.feeds.find(wire!.id)).toMatchObject({ name: 'Wire', about: ['summit', 'dmz'] });
    await a.post(`/dashboard/feeds/${wire!.id}/edit`, { name: 'Wire', about: '' });
    expect((await h.services.feeds.find(wire!.id))?.about).toEqual([]);
    const taken = await a.post(`/dashboard/feeds/${wire!.id}/edit`, { name: 'other', about: '' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Another feed is already called “Other”.');
    expect((await h.services.feeds.find(wire!.id))?.name).toBe('Wire');
  });

  it('shows only this server’s feeds, and answers 404 to another server’s feed id in a form', async () => {
    await dispatchLine(h.services, `/feeds add url:${feeds.url('/b.xml')} name:"B wire"`, B);
    const [bFeed] = await h.services.feeds.list();
    expect(bFeed!.scope).toBe('discord:G-B');
    expect((await a.get('/dashboard/feeds')).text).not.toContain('B wire');
    expect((await a.get(`/dashboard/feeds/${bFeed!.id}`)).status).toBe(404);
    for (const action of ['remove', 'disable', 'edit']) {
      const res = await a.post(`/dashboard/feeds/${bFeed!.id}/${action}`, {});
      expect(res.status).toBe(404);
    }
    expect(await h.services.feeds.find(bFeed!.id)).toMatchObject({ enabled: true, name: 'B wire' });
    // The same server id on the other platform is another workspace too.
    const slackA = await signedIn(h, adminOf('G-B', 'C-slack', 'slack'));
    expect((await slackA.get('/dashboard/feeds')).text).not.toContain('B wire');
  });

  it('sorts and filters by query string', async () => {
    await a.post('/dashboard/feeds', { url: feeds.url('/wire.xml'), name: 'Zulu wire' });
    await a.post('/dashboard/feeds', { url: feeds.url('/b.xml'), name: 'Alpha wire' });
    const byName = (await a.get('/dashboard/feeds')).text;
    expect(byName.indexOf('Alpha wire')).toBeLessThan(byName.indexOf('Zulu wire'));
    const desc = (await a.get('/dashboard/feeds?sort=name&dir=desc')).text;
    expect(desc.indexOf('Zulu wire')).toBeLessThan(desc.indexOf('Alpha wire'));
    const filtered = (await a.get('/dashboard/feeds?q=zulu')).text;
    expect(filtered).toContain('Zulu wire');
    expect(filtered).not.toContain('<strong>Alpha wire');
    expect((await a.get('/dashboard/feeds?state=disabled')).text).toContain('No feed matches.');
    // Nonsense in the query string falls back to the defaults.
    expect((await a.get('/dashboard/feeds?sort=%3Cx%3E&state=nope')).status).toBe(200);
  });
});

describe('Subscriptions', () => {
  beforeEach(async () => {
    await dispatchLine(h.services, '/subscribe time:09:00', A);
    await dispatchLine(h.services, '/subscribe time:07:00', B);
  });

  it('lists this server’s channels and saves a change through /subscribe', async () => {
    const page = await a.get('/dashboard/subscriptions');
    expect(page.text).toContain('discord:C-G-A');
    expect(page.text).not.toContain('discord:C-G-B');
    const res = await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-A', digest: 'weekly', time: '18:30', timezone: 'Europe/London', reminders: 'off', about: 'summit' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('discord:C-G-A: Subscription updated');
    expect(await h.services.schedule.subscriptions.get('discord:C-G-A')).toMatchObject({ digest: 'weekly', time: '18:30', timeZone: 'Europe/London', reminders: false, about: 'summit' });
    await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-A', digest: 'weekly', time: '18:30', timezone: 'Europe/London', reminders: 'off', about: '' });
    expect((await h.services.schedule.subscriptions.get('discord:C-G-A'))?.about).toBeUndefined();
  });

  it('refuses a bad time or zone with /subscribe’s message, keeps what was typed and changes nothing', async () => {
    const res = await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-A', digest: 'daily', time: '25:00', timezone: 'Asia/Seoul', reminders: 'on', about: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('“25:00” is not a time of day: use 24-hour HH:MM.');
    expect(res.text).toContain('value="25:00"');
    const zone = await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-A', digest: 'daily', time: '10:00', timezone: 'Mars/Base', reminders: 'on', about: '' });
    expect(zone.text).toContain('(BAD_TIMEZONE)');
    expect((await h.services.schedule.subscriptions.get('discord:C-G-A'))?.time).toBe('09:00');
  });

  it('shows a paused channel with why and how to resume; saving resumes it, as /subscribe does', async () => {
    await h.services.schedule.subscriptions.pause('discord:C-G-A', 'the bot lost access to the channel (Missing Access)', new Date('2026-03-01T10:00:00Z'));
    const page = await a.get('/dashboard/subscriptions');
    expect(page.text).toContain('Paused since 2026-03-01 10:00 UTC: the bot lost access to the channel (Missing Access).');
    expect(page.text).toContain('An admin can resume it by running /subscribe in that channel (settings are kept).');
    const saved = await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-A', digest: 'daily', time: '09:00', timezone: 'Asia/Seoul', reminders: 'on', about: '' });
    expect(saved.text).toContain('discord:C-G-A: Subscription resumed');
    expect((await h.services.schedule.subscriptions.get('discord:C-G-A'))?.paused).toBeUndefined();
  });

  it('answers 404 to another server’s channel, and changes nothing there', async () => {
    const res = await a.post('/dashboard/subscriptions', { channel: 'discord:C-G-B', digest: 'off', time: '01:00', timezone: 'UTC', reminders: 'off', about: '' });
    expect(res.status).toBe(404);
    expect(await h.services.schedule.subscriptions.get('discord:C-G-B')).toMatchObject({ digest: 'daily', time: '07:00' });
    expect((await a.post('/dashboard/subscriptions', { channel: 'discord:C-nowhere', time: '01:00' })).status).toBe(404);
  });
});

describe('Posts', () => {
  it('shows this server’s ledger history and next digests, not another server’s', async () => {
    await dispatchLine(h.services, '/subscribe time:09:00', A);
    await dispatchLine(h.services, '/subscribe time:07:00', B);
    const at = new Date('2026-03-04T00:00:00Z');
    await h.services.schedule.ledger.settle({ channel: 'discord:C-G-A', job: 'digest-daily', period: '2026-03-04' }, 'sent', at);
    await h.services.schedule.ledger.settle({ channel: 'discord:C-G-B', job: 'digest-daily', period: '2026-03-03' }, 'sent', at);
    const { text } = await a.get('/dashboard/posts');
    expect(text).toContain('2026-03-04');
    expect(text).not.toContain('2026-03-03');
    expect(text).not.toContain('C-G-B');
    expect(text).toMatch(/daily at 09:00 \(Asia\/Seoul\) digest<\/td><td data-label="Due">\w+day \d+ \w+ \d{4}, 09:00 \(Asia\/Seoul\)/);
    // The next anniversary reminder too (the knowledge base's anniversaries, e.g. the 1953 armistice).
    expect(text).toMatch(/reminder: [^<]+ \(\d+ years\)<\/td><td data-label="Due">\w+day \d+ \w+ \d{4}, 09:00 \(Asia\/Seoul\)/);
  });
});

describe('Review', () => {
  it('lists the unreviewed facts as /review does, and approves and rejects them through it', async () => {
    const sungKim = idOf(await learnFrom(h.services), 'Sung Kim');
    const page = await a.get('/dashboard/review');
    expect(page.text).toMatch(/Unreviewed facts \(\d+\)/);
    expect(page.text).toContain('Person: Sung Kim');
    const rejected = await a.post('/dashboard/review', { action: 'reject', id: sungKim });
    expect(rejected.status).toBe(200);
    expect(rejected.text).toContain('Rejected the person “Sung Kim”: it is gone and will not come back from its article.');
    expect(rejected.text).not.toContain('Person: Sung Kim');
    expect(await h.services.reviews.get(sungKim)).toMatchObject({ verdict: 'rejected', by: 'Admin of G-A' });
    const again = await a.post('/dashboard/review', { action: 'approve', id: sungKim });
    expect(again.status).toBe(422);
    expect(again.text).toContain('was already rejected by Admin of G-A');
  });

  it('corrects a fact through /review correct:, with its refusals for a field that does not fit or a bad date', async () => {
    const found = await learnFrom(h.services);
    const sungKim = idOf(found, 'Sung Kim');
    expect((await a.get('/dashboard/review')).text).toMatch(/<summary>Correct \d+<\/summary>/);
    const wrong = await a.post('/dashboard/review', { action: 'correct', id: sungKim, field: 'date', value: '2021-03-04' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('A person or organisation has no date to correct.');
    const badDate = await a.post('/dashboard/review', { action: 'correct', id: sungKim, field: 'date', value: 'soonish' });
    expect(badDate.status).toBe(422);
    expect(await h.services.reviews.get(sungKim)).toBeUndefined();
    const corrected = await a.post('/dashboard/review', { action: 'correct', id: sungKim, field: 'role', value: 'US Special Representative for North Korea' });
    expect(corrected.status).toBe(200);
    expect(corrected.text).toContain('Corrected the person “Sung Kim”');
    expect(await h.services.reviews.get(sungKim)).toMatchObject({ verdict: 'corrected', correction: { role: 'US Special Representative for North Korea' } });
    expect((await a.post('/dashboard/review', { action: 'correct', id: idOf(found, 'Stimson Center'), field: 'colour', value: 'red' })).status).toBe(400);
  });

  it('says when nothing waits, and refuses a decision on an unknown fact with /review’s message', async () => {
    expect((await a.get('/dashboard/review')).text).toContain('Nothing to review');
    const res = await a.post('/dashboard/review', { action: 'reject', id: 'x-nobody' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('No unreviewed fact has the id “x-nobody”.');
    expect((await a.post('/dashboard/review', { action: 'delete', id: 'x' })).status).toBe(400);
  });
});

/** The id the extractor gave the entity of that name. */
function idOf(found: IngestResult, name: string): string {
  return found.entities.find((e) => e.name === name)!.id;
}
