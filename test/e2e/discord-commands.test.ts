import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordDouble, discordEnv, PERMISSIONS, type SentInteraction } from '../support/discord-double.ts';
import { makeTestServices } from '../support/services.ts';
import { startDiscord, type DiscordConnection } from '../../src/platform/discord/client.ts';
import type { Services } from '../../src/services.ts';

/**
 * The bot's own commands through INTERACTION_CREATE on the real discord.js,
 * with the real services and data, at a fixed time (2026-07-20, a week
 * before Armistice Day).
 */

const NOW = new Date('2026-07-20T00:00:00Z');
const ADMIN = { id: '900000000000000020', username: 'admin', permissions: PERMISSIONS.admin };
const EPHEMERAL = 64;

let double: DiscordDouble;
let services: Services;
let bot: DiscordConnection;

beforeEach(async () => {
  double = await DiscordDouble.start({ heartbeatMs: 500 });
  services = await makeTestServices(discordEnv(double));
  bot = await startDiscord(services, { clock: () => NOW });
});

afterEach(async () => {
  await bot?.stop();
  await services?.close();
  await double?.close();
});

async function answerOf(sent: SentInteraction) {
  return (await double.waitForCallback(sent)).body;
}

const noMentions = { parse: [] };

describe('Discord: /whois', () => {
  it('GIVEN a known person WHEN asked THEN the embed has kind, roles, aliases, relations and quoted sources', async () => {
    const body = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Pompeo' } }));
    expect(body.data.embeds).toEqual([
      {
        title: 'Mike Pompeo',
        description: 'US secretary of state who in 2018 worked to follow up on the Singapore agreement and prepared his fourth visit to North Korea.',
        color: 0x3b6ea5,
        fields: [
          { name: 'Kind', value: 'Person', inline: true },
          { name: 'Roles', value: 'US Secretary of State' },
          { name: 'Also known as', value: 'Michael Pompeo, Mike R. Pompeo' },
          { name: 'Related', value: 'Donald Trump, United States Department of State, North Korea' },
          {
            name: 'Sources',
            value:
              '[1] Pyongyang Wants U.S. to Declare End of Korean War — 2018-08\n> “State Secretary Mike Pompeo, was preparing for his fourth visit to the North”\n' +
              '[2] Pyongyang Wants U.S. to Declare End of Korean War — 2018-08\n> “Pompeo said Thursday during a Cabinet meeting at the White House”',
          },
        ],
      },
    ]);
    expect(body.data.allowed_mentions).toEqual(noMentions);
  });

  it('GIVEN a partial name WHEN typing THEN autocomplete offers names from the knowledge base', async () => {
    const body = await answerOf(double.chatInput({ name: 'whois', options: { name: 'Moo' }, focused: 'name' }));
    expect(body).toEqual({ type: 8, data: { choices: [{ name: 'Moon Jae-in', value: 'Moon Jae-in' }] } });
  });
});

describe('Discord: /timeline', () => {
  it('GIVEN events from 2018 WHEN asked THEN page 1 of 4 is an embed with paging buttons, and Next shows page 2', async () => {
    const body = await answerOf(double.chatInput({ name: 'timeline', options: { from: '2018' } }));
    const [embed] = body.data.embeds;
    expect(embed.title).toBe('Timeline from 2018');
    expect(embed.description.startsWith(
      '**8 March 2018 — Trump accepts Kim Jong-un\'s invitation to a summit, breaking with decades of US policy.** [1]\nDonald Trump, Kim Jong-un, Bloomberg\n\n',
    )).toBe(true);
    expect(embed.footer).toEqual({ text: '26 events · dates as precise as the sources allow · Page 1 of 4' });
    expect(body.data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Previous', custom_id: 'pg:0:/timeline from:2018', disabled: true },
          { type: 2, style: 2, label: 'Next', custom_id: 'pg:2:/timeline from:2018', disabled: false },
        ],
      },
    ]);

    const next = await answerOf(double.button('pg:2:/timeline from:2018', body.data));
    expect(next.type).toBe(7);
    expect(next.data.embeds[0].footer).toEqual({ text: '26 events · dates as precise as the sources allow · Page 2 of 4' });
    expect(next.data.embeds[0].description).not.toBe(embed.description);
  });
});

describe('Discord: /anniversaries', () => {
  it('GIVEN a week before 27 July WHEN asked for the next 30 days THEN Armistice Day is listed with its sources', async () => {
    const body = await answerOf(double.chatInput({ name: 'anniversaries', options: { within: 30 } }));
    expect(body.data.embeds).toEqual([
      {
        title: 'Anniversaries in the next 30 days',
        description:
          '**27 July 2026 — 73rd anniversary: Signing of the Korean Armistice Agreement \\(27 July 1953\\)** [1][2][3][4]\n' +
          'in 7 days · United Nations Command · North Korea · China · United States · Korean Peninsula\n' +
          'The Korean Armistice Agreement halts the fighting; no peace treaty follows and the war never formally ends.',
        color: 0x3b6ea5,
        fields: [
          {
            name: 'Sources',
            value:
              '[1] Pyongyang Wants U.S. to Declare End of Korean War — 2018-08\n' +
              '[2] Report: North Korea May Seek Peace Treaty to Formally End Korean War — 2018-03\n' +
              '[3] Citizen groups in Korea and the US campaign for a peace treaty to end the Korean War — 2020\n' +
              '[4] South Korea’s Moon Asks for US Support to Formally End Korean War — 2020-10-09',
          },
        ],
        footer: { text: 'Dates in Asia/Seoul. February 29 anniversaries fall on March 1 in common years.' },
      },
    ]);
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
