import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS, type DiscordDouble, type SentInteraction } from '../support/discord-double.ts';
import { startDiscordE2e, type DiscordE2e } from '../support/discord-e2e.ts';
import { defineCommand } from '../../src/router/command.ts';
import { userError } from '../../src/reply/reply.ts';
import type { Services } from '../../src/services.ts';
import { escapeMarkdown } from '../../src/platform/discord/escape.ts';
import { createLogger } from '../../src/log.ts';
import { Writable } from 'node:stream';

/**
 * The real discord.js against the Discord double: each interaction goes in
 * as INTERACTION_CREATE on the gateway and the test reads the exact JSON the
 * bot sent back over REST.
 */

const EPHEMERAL = 64;
const ADMIN = { id: '900000000000000020', username: 'admin', permissions: PERMISSIONS.admin };
const MEMBER = { id: '900000000000000021', username: 'member', permissions: PERMISSIONS.member };
const DM_USER = { id: '900000000000000022', username: 'dm-user' };

/** A test-only command whose answer the test releases, to exercise deferral without sleeping. */
let release: (reply: 'answer' | 'user-error') => void = () => {};
const slow = defineCommand({
  name: 'slow',
  description: 'Answers when the test says so',
  run: () =>
    new Promise((resolve) => {
      release = (kind) => resolve(kind === 'answer' ? { title: 'Finally' } : userError('TOO_LATE', 'Nothing found.', []));
    }),
});
const adminOnly = defineCommand({ name: 'purge', description: 'An admin command', admin: true, run: () => ({ title: 'Purged' }) });
const broken = defineCommand({
  name: 'broken',
  description: 'Fails',
  run: () => {
    throw new Error('boom');
  },
});

let e2e: DiscordE2e;
let double: DiscordDouble;
let services: Services;

/** The real services with the test commands, and seven feed articles (three pages of /news with the seeds). */
function withTestData(base: Services): Services {
  const services = { ...base, commands: [...base.commands, slow, adminOnly, broken] };
  for (let i = 1; i <= 7; i++) {
    services.corpus.add({
      id: `feed:z${i}`,
      title: `Zebra talks round ${i}`,
      outlet: 'Test Wire',
      url: `https://news.example/z${i}`,
      published: { year: 2026, month: 1, day: i },
      paragraphs: [`Delegates met for round ${i}.`],
      origin: 'feed',
      feedId: 'f1',
      ingestedAt: '2026-01-08T00:00:00Z',
    });
  }
  return services;
}

beforeEach(async () => {
  e2e = await startDiscordE2e({ setup: withTestData, connect: { deferAfterMs: 300 } });
  ({ double, services } = e2e);
});

afterEach(() => e2e?.stop());

/** The callback body of an interaction answered at once. */
async function answerOf(sent: SentInteraction) {
  return (await double.waitForCallback(sent)).body;
}

describe('Discord: connecting', () => {
  it('GIVEN the bot starts THEN it identifies with the Guilds intent only (no privileged intents)', () => {
    expect(double.identifies).toHaveLength(1);
    expect(double.identifies[0].intents).toBe(1);
  });
});

describe('Discord: slash commands answer with embeds', () => {
  it('GIVEN /help WHEN invoked THEN the list includes the test commands, admin ones marked', async () => {
    const body = await answerOf(double.chatInput({ name: 'help' }));
    expect(body.data.embeds[0].description).toContain('**/slow**\nAnswers when the test says so\n\n**/purge \\(admins\\)**\nAn admin command');
  });

  it('GIVEN /help WHEN invoked THEN the answer is the exact embed, public, pinging nobody', async () => {
    expect(await answerOf(double.chatInput({ name: 'help', user: MEMBER }))).toEqual({
      type: 4,
      data: {
        tts: false,
        enforce_nonce: false,
        embeds: [
          {
            title: 'armistice-bot commands',
            // One bold line per registered command (others land in parallel), escaped: `(admins)` → `\(admins\)`.
            description: [
              'Answers about the Korean peace process, from the 1953 armistice to today, each with its sources.',
              ...services.commands.map((c) => `**/${c.name}${c.admin ? ' \\(admins\\)' : ''}**\n${escapeMarkdown(c.description)}`),
            ].join('\n\n'),
            color: 0x3b6ea5,
            footer: { text: 'Type /help <command> for its options and examples.' },
          },
        ],
        allowed_mentions: { parse: [] },
      },
    });
  });

  it('GIVEN /source with a feed article id WHEN invoked THEN fields, the source link and the outlet/date footer are exact', async () => {
    const body = await answerOf(double.chatInput({ name: 'source', options: { id: 'feed:z3' } }));
    expect(body.data.embeds).toEqual([
      {
        title: 'Zebra talks round 3',
        url: 'https://news.example/z3',
        description: 'Delegates met for round 3.',
        color: 0x3b6ea5,
        fields: [
          { name: 'Outlet', value: 'Test Wire', inline: true },
          { name: 'Published', value: '3 January 2026 \\(2026-01-03\\)', inline: true },
          { name: 'Origin', value: 'feed f1, ingested 2026-01-08T00:00:00Z', inline: true },
          // Plain fields carry no links: the URL shows as text; the link is in Sources.
          { name: 'URL', value: 'https\\://news.example/z3', inline: true },
          { name: 'Id', value: 'feed:z3', inline: true },
          { name: 'Sources', value: '[1] [Zebra talks round 3](https://news.example/z3) — Test Wire, 2026-01-03' },
        ],
        footer: { text: 'Test Wire, 2026-01-03 · 1 paragraph, 5 words' },
      },
    ]);
    expect(body.data.flags).toBeUndefined();
  });

  it('GIVEN /news with three pages of articles WHEN invoked THEN page 1 is an embed with Previous (off) and Next buttons', async () => {
    const body = await answerOf(double.chatInput({ name: 'news' }));
    expect(body.data.embeds).toEqual([newsPage([7, 6, 5, 4, 3], 'Page 1 of 3')]);
    expect(body.data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Previous', custom_id: 'pg:0:/news', disabled: true },
          { type: 2, style: 2, label: 'Next', custom_id: 'pg:2:/news', disabled: false },
        ],
      },
    ]);
  });

  it('GIVEN an unknown article id WHEN invoked THEN the user error is ephemeral', async () => {
    const body = await answerOf(double.chatInput({ name: 'source', options: { id: 'zzz-none' } }));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].color).toBe(0xc9a227);
  });

  it('GIVEN a command that throws WHEN invoked THEN the user gets a short ephemeral apology, no stack', async () => {
    const body = await answerOf(double.chatInput({ name: 'broken' }));
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('Sorry — something went wrong while answering /broken.');
    expect(JSON.stringify(body)).not.toContain('boom');
  });
});

describe('Discord: failures on Discord’s side', () => {
  it('GIVEN Discord refuses the answer WHEN replying THEN the error is logged and the user gets a short ephemeral apology', async () => {
    const logged: string[] = [];
    services.log = createLogger('error', new Writable({ write: (chunk, _e, done) => (logged.push(String(chunk)), done()) }));
    double.failNext((r) => r.path.endsWith('/callback'), 400, { code: 50035, message: 'Invalid Form Body' });
    const sent = double.chatInput({ name: 'help' });
    const apology = await double.waitForRequest((r) => r.path.endsWith(`/${sent.token}/callback`) && r.body.data.flags === EPHEMERAL);
    expect(apology.body.data.embeds).toEqual([
      { title: 'Sorry — something went wrong.', description: 'It has been logged. Please try again in a moment.', color: 0xb03a2e },
    ]);
    expect(double.requestsFor(sent)).toHaveLength(2);
    expect(logged.map((line) => JSON.parse(line).msg)).toEqual(['Discord interaction failed']);
  });
});

describe('Discord: admin commands', () => {
  it('GIVEN a member without Manage Server WHEN running an admin command THEN it is refused ephemerally', async () => {
    const body = await answerOf(double.chatInput({ name: 'purge', user: MEMBER }));
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('Only admins can use /purge.');
  });

  it('GIVEN a member with Manage Server WHEN running an admin command THEN it runs', async () => {
    const body = await answerOf(double.chatInput({ name: 'purge', user: ADMIN }));
    expect(body.data.embeds[0].title).toBe('Purged');
    expect(body.data.flags).toBeUndefined();
  });

  it('GIVEN a direct message WHEN running an admin command THEN it is refused with a DM-specific message', async () => {
    const body = await answerOf(double.chatInput({ name: 'purge', user: DM_USER }));
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('/purge works only in a server channel, not in direct messages.');
  });
});

describe('Discord: autocomplete', () => {
  it('GIVEN a partial article id WHEN the user types THEN up to 25 matching choices come back', async () => {
    const body = await answerOf(double.chatInput({ name: 'source', options: { id: 'feed:z' }, focused: 'id' }));
    expect(body.type).toBe(8);
    expect(body.data.choices.length).toBeGreaterThan(0);
    expect(body.data.choices.length).toBeLessThanOrEqual(25);
    for (const choice of body.data.choices) {
      expect(choice.name).toBe(choice.value);
      expect(choice.value).toMatch(/^feed:z/);
    }
  });
});

describe('Discord: paging buttons', () => {
  it('GIVEN page 1 of /news WHEN Next is pressed, even after a restart THEN the message becomes page 2', async () => {
    const first = await answerOf(double.chatInput({ name: 'news' }));
    await e2e.restart();
    const press = double.button('pg:2:/news', { embeds: first.data.embeds, components: first.data.components });
    const body = await answerOf(press);
    expect(body.type).toBe(7);
    expect(body.data.embeds).toEqual([newsPage([2, 1], 'Page 2 of 3', ['2020-10-09', '2020', '2019-09-24'])]);
    expect(body.data.components[0].components.map((b: { custom_id: string; disabled: boolean }) => [b.custom_id, b.disabled])).toEqual([
      ['pg:1:/news', false],
      ['pg:3:/news', false],
    ]);
  });

  it('GIVEN a button for a page that no longer exists WHEN pressed THEN the presser is told so, ephemerally', async () => {
    const body = await answerOf(double.button('pg:9:/news', {}));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.embeds[0].title).toBe('There are only 3 pages of results.');
  });
});

describe('Discord: deferral', () => {
  it('GIVEN a command slower than the defer window WHEN it answers THEN the reply was deferred, then edited', async () => {
    const sent = double.chatInput({ name: 'slow' });
    expect((await double.waitForCallback(sent)).body).toEqual({ type: 5, data: { flags: 0 } });
    release('answer');
    const edit = await double.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${sent.token}/messages/@original`));
    expect(edit.body).toEqual({ tts: false, enforce_nonce: false, embeds: [{ title: 'Finally', color: 0x3b6ea5 }], allowed_mentions: { parse: [] } });
  });

  it('GIVEN a slow command ending in a user error THEN the public placeholder is replaced by an ephemeral follow-up', async () => {
    const sent = double.chatInput({ name: 'slow' });
    await double.waitForCallback(sent);
    release('user-error');
    const followUp = await double.waitForRequest((r) => r.method === 'POST' && r.path === `/api/v10/webhooks/${double.applicationId}/${sent.token}`);
    expect(followUp.body.flags).toBe(EPHEMERAL);
    expect(followUp.body.embeds[0].title).toBe('Nothing found.');
    expect(double.requestsFor(sent).map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([
      `POST ${sent.token}/callback`,
      'DELETE messages/@original',
      `POST ${double.applicationId}/${sent.token}`,
    ]);
  });
});

describe('Discord: stopping (SIGTERM)', () => {
  it('GIVEN a reply in flight WHEN stop() is called THEN the reply is finished before the gateway closes', async () => {
    const sent = double.chatInput({ name: 'slow' });
    await double.waitForCallback(sent);
    let stopped = false;
    const stopping = e2e.bot.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release('answer');
    await stopping;
    expect(double.requestsFor(sent).map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });
});

/** The /news "latest" embed for the test articles `rounds`, then the seed articles dated `seedDates`. */
function newsPage(rounds: number[], pageLabel: string, seedDates: string[] = []) {
  const items = rounds.map(
    (n, i) => `**Zebra talks round ${n}** [${i + 1}]\nTest Wire · 2026-01-0${n} · feed:z${n}\nDelegates met for round ${n}.`,
  );
  const sources = rounds.map((n, i) => `[${i + 1}] [Zebra talks round ${n}](https://news.example/z${n}) — Test Wire, 2026-01-0${n}`);
  const embed = {
    title: 'Latest articles',
    description: expect.stringContaining(items.join('\n\n')),
    color: 0x3b6ea5,
    fields: [{ name: 'Sources', value: expect.stringContaining(sources.join('\n')) }],
    footer: { text: `12 articles in all · /news <words> searches them · ${pageLabel}` },
  };
  if (seedDates.length === 0) {
    embed.description = items.join('\n\n');
    embed.fields = [{ name: 'Sources', value: sources.join('\n') }];
  }
  return embed;
}
