import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type DiscordDouble, type SentInteraction } from '../support/discord-double.ts';
import { startDiscordE2e, type DiscordE2e } from '../support/discord-e2e.ts';
import type { Services } from '../../src/services.ts';
import { dispatchStructured } from '../../src/router/dispatch.ts';
import { renderReply } from '../../src/platform/discord/render.ts';

/**
 * The bot's own commands through INTERACTION_CREATE on the real discord.js,
 * with the real services and data, at a fixed time (2026-07-20, a week
 * before Armistice Day).
 */

const NOW = new Date('2026-07-20T00:00:00Z');
const ADMIN = { id: '900000000000000020', username: 'admin', permissions: PERMISSIONS.admin };
const EPHEMERAL = 64;

let e2e: DiscordE2e;
let double: DiscordDouble;
let services: Services;

beforeEach(async () => {
  e2e = await startDiscordE2e({ connect: { clock: () => NOW } });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

async function answerOf(sent: SentInteraction) {
  return (await double.waitForCallback(sent)).body;
}

/** What the reply to this invocation renders to, asked directly of the router at the same time. */
async function rendered(invocation: { name: string; options: Record<string, string | number> }) {
  const caller = { user: { id: 'x', isAdmin: false }, channel: { id: double.channelId, platform: 'discord' as const, guildId: double.guildId } };
  return renderReply(await dispatchStructured(services, invocation, caller, NOW))[0]!.embeds;
}

const noMentions = { parse: [] };

describe('Discord: /whois', () => {
  it('GIVEN a known person WHEN asked THEN the embed has kind, roles, aliases, relations and quoted sources', async () => {
    const body = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Pompeo' } }));
    // The knowledge base is edited as the project goes: the exact JSON is what the reply renders to,
    // and its stable parts are spelled out.
    expect(body.data.embeds).toEqual(await rendered({ name: 'whois', options: { name: 'Pompeo' } }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Mike Pompeo');
    expect(embed.fields[0]).toEqual({ name: 'Kind', value: 'Person', inline: true });
    expect(embed.fields.at(-1).name).toBe('Sources');
    expect(embed.fields.at(-1).value).toMatch(/^\[1\] Pyongyang Wants U\.S\. to Declare End of Korean War — 2018-08\n> “.*Pompeo.*”/);
    expect(body.data.allowed_mentions).toEqual(noMentions);
  });

  it('GIVEN a partial name WHEN typing THEN autocomplete offers names from the knowledge base', async () => {
    const body = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Moo' }, focused: 'name' }));
    expect(body.type).toBe(8);
    expect(body.data.choices).toContainEqual({ name: 'Moon Jae-in', value: 'Moon Jae-in' });
  });
});

describe('Discord: /ask', () => {
  it('GIVEN a question in words WHEN asked THEN the embed quotes the sentence that answers it, with its source', async () => {
    const options = { question: 'what is the Korea Peace Appeal?' };
    const body = await answerOf(double.chatInput({ name: 'ask', options }));
    expect(body.data.embeds).toEqual(await rendered({ name: 'ask', options }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Korea Peace Appeal');
    // Quotation marks inside a quoted sentence are single ones, as in print.
    expect(embed.description).toContain('as they launched an international ‘Korea Peace Appeal’ to collect 100 million signatures favoring a treaty by 2023.');
    expect(embed.description).toContain('2020 · 003\\_d3d20f4a58c752ab');
    expect(embed.fields.at(-1).name).toBe('Sources');
    expect(embed.fields.at(-1).value).toMatch(/^\[1\] Citizen groups in Korea and the US campaign for a peace treaty/);
    expect(body.data.allowed_mentions).toEqual(noMentions);
    expect(body.data.flags ?? 0).toBe(0); // an answer for the channel, not only the asker
  });
});

describe('Discord: /timeline', () => {
  it('GIVEN events from 2018 WHEN asked THEN page 1 is an embed with paging buttons, and Next shows page 2', async () => {
    const body = await answerOf(double.chatInput({ name: 'timeline', options: { from: '2018' } }));
    expect(body.data.embeds).toEqual(await rendered({ name: 'timeline', options: { from: '2018' } }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Timeline from 2018');
    expect(embed.description).toMatch(/^\*\*\d{1,2} March 2018 — /);
    const footer = /^(\d+) events · dates as precise as the sources allow · Page 1 of (\d+)$/.exec(embed.footer.text);
    expect(footer).not.toBeNull();
    expect(body.data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Previous', custom_id: 'pg:0:/timeline from:2018', disabled: true },
          { type: 2, style: 2, label: 'Next', custom_id: 'pg:2:/timeline from:2018', disabled: false },
          { type: 2, style: 2, label: 'Show as picture', custom_id: 'pic:/timeline from:2018 picture:true', disabled: false },
        ],
      },
    ]);

    const next = await answerOf(double.button('pg:2:/timeline from:2018', body.data));
    expect(next.type).toBe(7);
    expect(next.data.embeds[0].footer).toEqual({ text: `${footer![1]} events · dates as precise as the sources allow · Page 2 of ${footer![2]}` });
    expect(next.data.embeds[0].description).not.toBe(embed.description);
  });
});

describe('Discord: /anniversaries', () => {
  it('GIVEN a week before 27 July WHEN asked for the next 30 days THEN Armistice Day is listed with its sources', async () => {
    const body = await answerOf(double.chatInput({ name: 'anniversaries', options: { within: 30 } }));
    expect(body.data.embeds).toEqual(await rendered({ name: 'anniversaries', options: { within: 30 } }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Anniversaries in the next 30 days');
    expect(embed.description).toMatch(
      /^\*\*27 July 2026 — 73rd anniversary: Signing of the Korean Armistice Agreement \\\(27 July 1953\\\)\*\* \[1\](\[\d\])*\nin 7 days · /,
    );
    expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['Sources']);
    expect(embed.footer).toEqual({ text: 'Dates in Asia/Seoul. February 29 anniversaries fall on March 1 in common years.' });
  });
});

describe('Discord: /subscribe, /subscriptions, /unsubscribe', () => {
  it('GIVEN an admin in a server channel WHEN subscribing THEN this channel is stored by its Discord address, and /subscriptions shows it', async () => {
    const subscribed = await answerOf(double.chatInput({ name: 'subscribe', options: { digest: 'weekly', time: '08:30' }, user: ADMIN }));
    const settings = [
      { name: 'Digest', value: 'weekly, Mondays at 08:30 \\(Asia/Seoul\\)', inline: true },
      { name: 'Reminders', value: 'on anniversaries at 08:30 \\(Asia/Seoul\\)', inline: true },
      { name: 'About', value: 'every new article', inline: true },
      { name: 'Next digest', value: 'Monday 27 July 2026, 08:30 \\(Asia/Seoul\\)' },
    ];
    expect(subscribed.data.embeds).toEqual([
      {
        title: 'This channel is subscribed',
        color: 0x3b6ea5,
        fields: settings,
        footer: { text: 'Change any setting with /subscribe, stop with /unsubscribe, see all with /subscriptions.' },
      },
    ]);
    const stored = await services.schedule.subscriptions.get(`discord:${double.channelId}`);
    expect(stored).toMatchObject({ channel: `discord:${double.channelId}`, guildId: double.guildId, digest: 'weekly', time: '08:30' });

    const listed = await answerOf(double.chatInput({ name: 'subscriptions' }));
    expect(listed.data.embeds).toEqual([{ title: 'This channel’s subscription', color: 0x3b6ea5, fields: settings }]);

    const removed = await answerOf(double.chatInput({ name: 'unsubscribe', user: ADMIN }));
    expect(removed.data.flags).toBeUndefined();
    expect(await services.schedule.subscriptions.get(`discord:${double.channelId}`)).toBeUndefined();
  });

  it('GIVEN a member without Manage Server WHEN subscribing THEN nothing is stored and the refusal is ephemeral', async () => {
    const body = await answerOf(double.chatInput({ name: 'subscribe' }));
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('Only admins can use /subscribe.');
    expect(await services.schedule.subscriptions.all()).toEqual([]);
  });
});

describe('Discord: /dashboard', () => {
  it('GIVEN an admin WHEN asking for the dashboard THEN an ephemeral link for this server only; a member is refused', async () => {
    services.dashboard.baseUrl = 'https://dash.example.org';
    const refused = await answerOf(double.chatInput({ name: 'dashboard' }));
    expect(refused.data).toMatchObject({ flags: EPHEMERAL, embeds: [{ title: 'Only admins can use /dashboard.' }] });
    const body = await answerOf(double.chatInput({ name: 'dashboard', user: ADMIN }));
    expect(body.data.flags).toBe(EPHEMERAL);
    const link = /\[Open the dashboard\]\((https:\/\/dash\.example\.org\/dashboard\/sign-in\?t=[A-Za-z0-9_.-]+)\)/.exec(JSON.stringify(body.data.embeds))?.[1];
    expect(link).toBeDefined();
    const checked = await services.dashboard.links.check(new URL(link!).searchParams.get('t')!);
    expect(checked).toMatchObject({ ok: true, grant: { scope: `discord:${double.guildId}`, channel: { id: double.channelId, platform: 'discord' }, user: { id: ADMIN.id } } });
  });
});

describe('Discord: /feeds', () => {
  it('GIVEN no feeds WHEN anyone lists them THEN the suggestions show, with URLs as text (never links)', async () => {
    const body = await answerOf(double.chatInput({ name: 'feeds', subcommand: 'list' }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('No feeds yet');
    expect(embed.description).toContain('**38 North**\nhttps\\://www.38north.org/feed/\n');
  });

  it('GIVEN a member WHEN adding a feed THEN the admin-only subcommand is refused ephemerally', async () => {
    const body = await answerOf(double.chatInput({ name: 'feeds', subcommand: 'add', options: { url: 'https://www.38north.org/feed/' } }));
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('Only admins can use /feeds add.');
  });
});
