import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { PEACE_PROCESS_ITEMS } from '../fixtures/feeds/peace-process-2021-2023.ts';
import { rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';
import { makeTestServices } from '../support/services.ts';

// The real composition root and router; a feed of 2021–2023 reports served on
// 127.0.0.1 and added with /feeds add. What the feed carries when it is added
// (its baseline) is mined like any later item: /whois knows the people it
// names, with their full names and the roles the articles give them.

const admin: Caller = { user: { id: 'U-admin', isAdmin: true }, channel: { id: 'slack:C-news', platform: 'slack' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'slack:C-news', platform: 'slack' } };

let server: LoopbackServer;
let services: Services;
const ask = (line: string, caller = member) => dispatchLine(services, line, caller);

beforeEach(async () => {
  server = await startLoopbackServer({ '/peace.xml': serve(rss(PEACE_PROCESS_ITEMS, 'Korea peace news — all sources')) });
  services = await makeTestServices({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000' });
  const added = await ask(`/feeds add url:${server.url('/peace.xml')}`, admin);
  expect(added.errorCode).toBeUndefined();
});

afterEach(async () => {
  await services.close();
  await server.close();
});

describe('GIVEN a feed of 2021–2023 articles added with /feeds add', () => {
  it('THEN /whois Yoon finds Yoon Suk Yeol with the role the article gives him, marked unreviewed and cited', async () => {
    const reply = await ask('/whois Yoon');
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('Yoon Suk Yeol');
    const text = renderPlainText(reply);
    expect(text).toContain('South Korean president (27 July 2023)');
    expect(text).toContain('extracted, unreviewed');
    expect(reply.sources?.[0]?.quote).toContain('South Korean President Yoon Suk Yeol attended a ceremony');
  });

  it('THEN /whois Chung gives Chung Eui-yong, South Korean foreign minister, one entry from two articles', async () => {
    const reply = await ask('/whois Chung');
    expect(reply.title).toBe('Chung Eui-yong');
    const text = renderPlainText(reply);
    // "Foreign Minister Chung Eui-yong" (May) and "Chung Eui-yong, South Korea's foreign minister" (September): one role, both dates.
    expect(text).toContain('South Korean foreign minister (21 May 2021 – 22 September 2021)');
    expect(reply.sources?.map((s) => s.articleId)).toHaveLength(2);
    // "Chung" and "the minister" were not made into entries of their own.
    expect(services.knowledge.entities().filter((e) => e.status === 'extracted').map((e) => e.name)).not.toContain('Chung');
  });

  it('THEN a spelling variant links to the curated entry, and a curated person shows the newer role beside the record', async () => {
    // "Kim Yo-jong" is the curated Kim Yo Jong, not a second entry.
    expect(services.knowledge.entities().filter((e) => /kim yo/i.test(e.name)).map((e) => e.status)).toEqual(['curated']);
    const biden = await ask('/whois Joe Biden');
    const text = renderPlainText(biden);
    expect(text).toContain('US presidential candidate (Democrat)');
    expect(text).toContain('Roles in newer articles (extracted, unreviewed)');
    expect(text).toContain('US president (21 May 2021)');
  });

  it('THEN dated events are there with their sources: past weekdays before the article, offsets from the event they follow', async () => {
    const reply = await ask('/timeline from:2021-05 to:2021-09');
    const titles = reply.items?.map((i) => i.title) ?? [];
    // Published Friday 21 May 2021: "on Thursday" is 20 May.
    expect(titles.some((t) => t.startsWith('20 May 2021 — Foreign Minister Chung Eui-yong met'))).toBe(true);
    // Published Saturday 25 September: "on Friday" is 24 September.
    expect(titles.some((t) => t.startsWith('24 September 2021 — Kim Yo-jong'))).toBe(true);
    expect(reply.items?.every((i) => i.note === 'extracted, unreviewed' || i.note === undefined)).toBe(true);
  });

  it('THEN the feed\'s title is not shown as an outlet; an item naming its outlet keeps it', async () => {
    const news = await ask('/news armistice anniversary Busan');
    expect(renderPlainText(news)).not.toContain('Korea peace news');
    const kim = await ask('/news admirable idea');
    expect(kim.sources?.[0]).toMatchObject({ title: 'Kim Yo-jong calls end-of-war idea admirable', outlet: 'Reuters' });
  });
});
