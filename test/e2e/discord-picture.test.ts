import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type DiscordDouble } from '../support/discord-double.ts';
import { startDiscordE2e, type DiscordE2e } from '../support/discord-e2e.ts';
import { mixedMonth } from '../support/feed-history-month.ts';
import { decodePng } from '../support/png-pixels.ts';
import type { Services } from '../../src/services.ts';

/** /timeline and /feeds status picture:true through the real discord.js: the PNG travels as a multipart attachment. */

const NOW = new Date('2026-07-20T00:00:00Z');
let e2e: DiscordE2e;
let double: DiscordDouble;
let services: Services;

beforeEach(async () => {
  e2e = await startDiscordE2e({ connect: { clock: () => NOW } });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

describe('Discord: /timeline picture:true', () => {
  it('GIVEN picture:true WHEN asked THEN the message carries the PNG, shown as the embed image, with the text timeline still in the embed', async () => {
    const sent = double.chatInput({ name: 'timeline', options: { from: '2018', to: '2018', picture: true } });
    const request = await double.waitForRequest((r) => (r.files?.length ?? 0) > 0 && r.path.includes(sent.token), 15_000);
    const body = request.body.data ?? request.body;
    const [embed] = body.embeds;
    expect(embed.title).toBe('Timeline of 2018');
    expect(embed.description).toMatch(/^\*\*8 March 2018 — /);
    expect(embed.image).toEqual({ url: 'attachment://timeline-from-2018-to-2018.png' });
    expect(body.attachments).toEqual([expect.objectContaining({ id: '0', description: expect.stringMatching(/^Picture: Timeline of 2018: 9 events/) })]);
    const [file] = request.files!;
    expect(file!.name).toBe('timeline-from-2018-to-2018.png');
    expect(decodePng(file!.bytes).width).toBe(1200);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN picture:true for a period without events THEN a clear message and no file', async () => {
    const sent = double.chatInput({ name: 'timeline', options: { from: '1960', to: '1960', picture: true } });
    const callback = await double.waitForCallback(sent, 15_000);
    expect(callback.files ?? []).toEqual([]);
    const answer = callback.body.data.embeds?.[0] ?? (await double.waitForRequest((r) => r.path.includes(sent.token) && r.method === 'PATCH', 15_000)).body.embeds[0];
    expect(answer.title).toBe('No events of 1960');
    expect(answer.description).toContain('No picture was drawn: there is nothing in this selection to show.');
    expect(answer.image).toBeUndefined();
  });

  it('GIVEN a timeline answer WHEN "Show as picture" is pressed THEN a new message carries the picture and the original keeps its buttons', async () => {
    const first = await double.waitForCallback(double.chatInput({ name: 'timeline', options: { about: 'Bolton' } }), 15_000);
    const row = first.body.data.components[0].components;
    expect(row.at(-1)).toEqual({ type: 2, style: 2, label: 'Show as picture', custom_id: 'pic:/timeline about:Bolton picture:true', disabled: false });
    const click = double.button('pic:/timeline about:Bolton picture:true', first.body.data);
    const request = await double.waitForRequest((r) => (r.files?.length ?? 0) > 0 && r.path.includes(click.token), 15_000);
    const body = request.body.data ?? request.body;
    // A new message (type 4 when answered at once), not an update of the one clicked.
    if (request.body.type !== undefined) expect(request.body.type).toBe(4);
    expect(body.embeds[0].title).toMatch(/^Timeline about “Bolton”/);
    expect(body.embeds[0].image).toEqual({ url: 'attachment://timeline-about-Bolton.png' });
    // The picture's own message offers no button to draw it again.
    expect(body.components ?? []).toEqual([]);
    expect(decodePng(request.files![0]!.bytes).width).toBe(1200);
  });

  it('GIVEN a forged picture button that names another command THEN it runs nothing and says the button no longer works', async () => {
    const first = await double.waitForCallback(double.chatInput({ name: 'timeline', options: { about: 'Bolton' } }), 15_000);
    const click = double.button('pic:/feeds remove feed:x picture:true', first.body.data);
    const answer = await double.waitForCallback(click, 15_000);
    expect(answer.body.data.flags).toBe(64);
    expect(answer.body.data.embeds[0].title).toBe('This button no longer does anything.');
  });

  it('GIVEN a picture slower than the defer deadline THEN the deferred reply is edited with the attachment (multipart PATCH)', async () => {
    await e2e.restart({ clock: () => NOW, deferAfterMs: 0 });
    const sent = double.chatInput({ name: 'timeline', options: { from: '2019', to: '2019', picture: true } });
    const edit = await double.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(sent.token) && (r.files?.length ?? 0) > 0, 15_000);
    expect(double.requestsFor(sent)[0]!.body.type).toBe(5);
    expect(edit.body.embeds[0].image).toEqual({ url: 'attachment://timeline-from-2019-to-2019.png' });
    expect(edit.body.embeds[0].title).toBe('Timeline of 2019');
    expect(decodePng(edit.files![0]!.bytes).width).toBe(1200);
  });

  it('GIVEN an admin asks /feeds status feed:<name> picture:true THEN the ephemeral answer carries the 30-day chart as the embed image, the status fields still in the embed', async () => {
    await services.feeds.registry.save({
      id: 'ab12cd34ef',
      url: 'https://wire.example/rss',
      name: 'Peninsula Wire',
      about: [],
      addedBy: 'U1',
      addedInChannel: 'discord:1',
      addedAt: '2026-06-01T00:00:00Z',
      enabled: true,
      consecutiveFailures: 0,
      lastSuccessAt: '2026-07-19T23:50:00Z',
      history: mixedMonth(NOW),
    });
    const admin = { id: '900000000000000011', username: 'ada', permissions: PERMISSIONS.admin };
    const sent = double.chatInput({ name: 'feeds', subcommand: 'status', options: { feed: 'Peninsula Wire', picture: true }, user: admin });
    const request = await double.waitForRequest((r) => (r.files?.length ?? 0) > 0 && r.path.includes(sent.token), 15_000);
    const body = request.body.data ?? request.body;
    expect(body.flags).toBe(64);
    const [embed] = body.embeds;
    expect(embed.title).toBe('Feed “Peninsula Wire”');
    expect(embed.fields.map((f: { name: string }) => f.name)).toContain('Consecutive failures');
    expect(embed.image).toEqual({ url: 'attachment://feed-ab12cd34ef-30-days.png' });
    expect(body.attachments).toEqual([expect.objectContaining({ id: '0', description: expect.stringMatching(/^Picture: health of feed “Peninsula Wire”, last 30 days \(UTC\)/) })]);
    const png = decodePng(request.files![0]!.bytes);
    expect(png.width).toBe(720);
    expect(png.pixel(0, 0)).toEqual([0xfa, 0xfa, 0xf7]);
  });
});
