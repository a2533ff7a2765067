import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { learnFrom } from '../support/review-facts.ts';
import { adminOf, dashboardLink, startDashboard, type DashboardHarness } from '../support/dashboard.ts';
import { rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

// The dashboard in real headless Chromium (Debian's package, driven by
// playwright-core; .ci/run installs it), against the real services and a
// feed served on loopback. Screenshots land in var/screenshots/.

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', 'var', 'screenshots');
const FEED = rss(
  [
    { title: 'Kaesong industrial zone talks resume', guid: 'k1', date: 'Mon, 04 Mar 2024 08:00:00 GMT' },
    { title: 'Panmunjom talks on the peace treaty', guid: 'p1', date: 'Tue, 05 Mar 2024 08:00:00 GMT' },
  ],
  'Peninsula Wire',
);

let feeds: LoopbackServer;
let h: DashboardHarness;
let browser: Browser;
const admin = adminOf('G-A', 'C-news');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  mkdirSync(SHOTS, { recursive: true });
  feeds = await startLoopbackServer({ '/wire.xml': serve(FEED) });
  h = await startDashboard({ FEED_ALLOWED_HOSTS: feeds.hostPort, FEED_TIMEOUT_MS: '5000' });
  // Root in a container: Chromium's sandbox needs namespaces it may not get.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await feeds?.close();
});

describe('the dashboard in Chromium', () => {
  it('signs in through /dashboard’s link, adds a loopback feed, and changes a subscription that /subscriptions then shows', async () => {
    await dispatchLine(h.services, '/subscribe digest:daily time:09:00', admin);
    const link = await dashboardLink(h.services, admin);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard/feeds');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Feeds');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'armistice_dashboard', httpOnly: true, sameSite: 'Strict' });

    await page.getByLabel('Feed address (http or https)').fill(feeds.url('/wire.xml'));
    await page.getByLabel('Topic words, comma-separated (optional)').fill('kaesong, panmunjom');
    await page.getByRole('button', { name: 'Add feed' }).click();
    await page.getByRole('status').getByText('Added feed “Peninsula Wire”').waitFor();
    const row = page.getByRole('row', { name: /Peninsula Wire/ });
    await expect.poll(() => row.getByRole('cell').nth(1).textContent()).toBe('healthy');
    await page.screenshot({ path: join(SHOTS, 'feeds-desktop.png'), fullPage: true });

    // The feed's own page: disable it, and the list says so.
    await row.getByRole('link', { name: 'Manage Peninsula Wire' }).click();
    await page.getByRole('button', { name: 'Disable Peninsula Wire' }).click();
    await page.getByRole('status').getByText('Disabled feed “Peninsula Wire”').waitFor();
    await page.screenshot({ path: join(SHOTS, 'feed-page-desktop.png'), fullPage: true });
    await page.getByRole('link', { name: '← All feeds' }).click();
    expect(await page.getByRole('row', { name: /Peninsula Wire/ }).getByRole('cell').nth(1).textContent()).toBe('disabled');

    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByLabel('Time of day (24-hour HH:MM)').fill('18:45');
    await page.getByLabel('Time zone (Area/City)').fill('Europe/London');
    await page.getByRole('button', { name: 'Save discord:C-news' }).click();
    await page.getByRole('status').getByText('discord:C-news: Subscription updated').waitFor();
    await page.screenshot({ path: join(SHOTS, 'subscriptions-desktop.png'), fullPage: true });

    const inChat = renderPlainText(await dispatchLine(h.services, '/subscriptions', admin));
    expect(inChat).toContain('daily at 18:45 (Europe/London)');

    // A refused value is explained in the page and stays in the form.
    await page.getByLabel('Time of day (24-hour HH:MM)').fill('7pm');
    await page.getByRole('button', { name: 'Save discord:C-news' }).click();
    await page.getByRole('alert').getByText('“7pm” is not a time of day: use 24-hour HH:MM.').waitFor();
    expect(await page.getByLabel('Time of day (24-hour HH:MM)').inputValue()).toBe('7pm');
    expect(renderPlainText(await dispatchLine(h.services, '/subscriptions', admin))).toContain('daily at 18:45');

    await page.getByRole('link', { name: 'Posts' }).click();
    await page.getByRole('heading', { name: 'Next posts due' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'posts-desktop.png'), fullPage: true });

    // Review: a fact learnt from an article, rejected with its button.
    const sungKim = (await learnFrom(h.services)).entities.find((e) => e.name === 'Sung Kim')!.id;
    await page.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: /Person: Sung Kim/ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'review-desktop.png'), fullPage: true });
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Person: Sung Kim/ }) });
    await item.getByRole('button', { name: /^Reject \d+$/ }).click();
    await page.getByRole('status').getByText('Rejected the person “Sung Kim”').waitFor();
    expect(await h.services.reviews.get(sungKim)).toMatchObject({ verdict: 'rejected' });
    await context.close();
  }, 60_000);

  it('reads well on a phone', async () => {
    const link = await dashboardLink(h.services, admin);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/dashboard/feeds');
    // Nothing wider than the screen: no sideways scrolling to read a feed.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'feeds-phone.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('shows a clear page and gives no session for a forged link', async () => {
    const link = await dashboardLink(h.services, admin);
    const cut = link.lastIndexOf('.') + 1;
    const forged = `${link.slice(0, cut)}${link[cut] === 'A' ? 'B' : 'A'}${link.slice(cut + 1)}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(forged);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link is not valid');
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await context.cookies()).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'forged-link.png'), fullPage: true });
    const feedsPage = await page.goto(link.replace(/sign-in\?.*$/, 'feeds'));
    expect(feedsPage?.status()).toBe(401);
    await context.close();
  }, 60_000);
});
