import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';
import { decodePng } from '../support/png-pixels.ts';
import { mixedMonth } from '../support/feed-history-month.ts';
import { rss, serve, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

/** /feeds status feed:<name> picture:true through the real router and services, the feed served on 127.0.0.1. */

const admin: Caller = { user: { id: 'U-admin', name: 'Ada', isAdmin: true }, channel: { id: 'slack:C-news', platform: 'slack' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'slack:C-news', platform: 'slack' } };
const FEED = rss([{ title: 'Kaesong industrial zone talks resume', guid: 'k1', date: 'Mon, 04 Mar 2024 08:00:00 GMT', description: 'Negotiators met in Kaesong.' }], 'Peninsula Wire');

let server: LoopbackServer;
let services: Services;
const ask = (line: string, caller = admin) => dispatchLine(services, line, caller);

beforeEach(async () => {
  server = await startLoopbackServer({ '/wire.xml': serve(FEED) });
  services = await makeTestServices({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000' });
  expect((await ask(`/feeds add url:${server.url('/wire.xml')}`)).errorCode).toBeUndefined();
});

afterEach(async () => {
  await services.close();
  await server.close();
});

async function giveHistory(history: ReturnType<typeof mixedMonth> | undefined) {
  const feed = (await services.feeds.find('Peninsula Wire'))!;
  const { history: _old, ...rest } = feed;
  await services.feeds.registry.save(history ? { ...rest, history } : rest);
}

describe('/feeds status picture:true', () => {
  it('GIVEN a feed with a month of history THEN the status text stays and a 720-px chart of its last 30 days comes with it', async () => {
    await giveHistory(mixedMonth(new Date()));
    const reply = await ask('/feeds status feed:"Peninsula Wire" picture:true');
    expect(reply.errorCode).toBeUndefined();
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('Feed “Peninsula Wire”');
    expect(reply.text).toEqual(['healthy']);
    expect(reply.fields?.map((f) => f.name)).toContain('Last fetch');
    expect(decodePng(reply.image!.bytes).width).toBe(720);
    expect(reply.image!.alt).toMatch(/^Picture: health of feed “Peninsula Wire”, last 30 days \(UTC\): 4092 fetches \(ok 98, not modified 3679, failed: unreachable 144/);
  });

  it('GIVEN a feed just added THEN its one fetch is charted; without picture:true there is no image', async () => {
    expect((await ask('/feeds status feed:"Peninsula Wire"')).image).toBeUndefined();
    const reply = await ask('/feeds status feed:"Peninsula Wire" picture:true');
    expect(reply.image!.alt).toMatch(/1 fetch \(ok 1\), 0 new items\.$/);
  });

  it('GIVEN a feed with no recorded history THEN a clear message and no image', async () => {
    await giveHistory(undefined);
    const reply = await ask('/feeds status feed:"Peninsula Wire" picture:true');
    expect(reply.image).toBeUndefined();
    expect(reply.text).toEqual(['healthy', 'No picture was drawn: no fetch of this feed is recorded in the last 30 days yet. Its chart starts with the next poll.']);
  });

  it('GIVEN picture:true without a feed THEN every feed is listed as usual and the answer says how to ask for one picture', async () => {
    const reply = await ask('/feeds status picture:true');
    expect(reply.image).toBeUndefined();
    expect(reply.items?.map((i) => i.title)).toEqual(['Peninsula Wire']);
    expect(renderPlainText(reply)).toContain('No picture was drawn: a picture shows one feed. Name it: /feeds status feed:"Peninsula Wire" picture:true');
  });

  it('GIVEN a member, or a picture value that is not yes or no THEN refused with a reason and no picture', async () => {
    expect(await ask('/feeds status feed:"Peninsula Wire" picture:true', member)).toMatchObject({ errorCode: 'NOT_ADMIN', ephemeral: true });
    const bad = await ask('/feeds status feed:"Peninsula Wire" picture:maybe');
    expect(bad.errorCode).toBeDefined();
    expect(bad.image).toBeUndefined();
    expect(renderPlainText(bad)).toContain('picture');
  });
});
