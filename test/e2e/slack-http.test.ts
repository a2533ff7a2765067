import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../src/platform/slack/app.ts';
import type { Services } from '../../src/services.ts';
import { defineCommand } from '../../src/router/command.ts';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { renderSlackMessage } from '../../src/platform/slack/render.ts';
import { startHealthServer } from '../../src/ops/health-server.ts';
import { SECRET, startSlackE2e, type SlackE2e } from '../support/slack-e2e.ts';
import {
  type SlackDouble,
  blockActionsPayload,
  formBody,
  postSigned,
  slashCommandPayload,
  LogCapture,
  type ResponseUrlPost,
} from '../support/slack-double.ts';

/**
 * The real Bolt in HTTP mode against the Slack double: Slack's signed form
 * posts in, respond() posts out to response_url.
 */

// Commands only this test declares: an admin command and one that fails.
const purge = defineCommand({ name: 'purge', description: 'Admin-only probe', admin: true, run: () => ({ title: 'Purged' }) });
const boom = defineCommand({
  name: 'boom',
  description: 'Fails unexpectedly',
  run: () => {
    throw new Error('kaboom');
  },
});

let e2e: SlackE2e;
let double: SlackDouble;
let services: Services;
let eventsUrl: string;
const logs = new LogCapture();
let sequence = 0;

beforeAll(async () => {
  e2e = await startSlackE2e({
    env: { ADMIN_USER_IDS: 'U0LISTED' },
    setup: (base) => ({ ...base, log: logs.logger, commands: [...base.commands, purge, boom] }),
  });
  ({ double, services, eventsUrl } = e2e);
});

afterAll(() => e2e?.stop());

/** Sends a slash command as Slack would and returns what the bot posted to its response_url. */
async function slash(command: string, text: string, fields: { user_id?: string; user_name?: string } = {}): Promise<ResponseUrlPost> {
  const id = `r${++sequence}`;
  const response = await postSigned(eventsUrl, SECRET, formBody(slashCommandPayload({ command, text, response_url: double.responseUrl(id), ...fields })));
  expect(response.status).toBe(200);
  return double.waitForResponse(id);
}

async function click(value: string, actionId = 'armistice_page_next'): Promise<ResponseUrlPost> {
  const id = `r${++sequence}`;
  const payload = blockActionsPayload({ actionId, value, responseUrl: double.responseUrl(id) });
  const response = await postSigned(eventsUrl, SECRET, formBody({ payload: JSON.stringify(payload) }));
  expect(response.status).toBe(200);
  return double.waitForResponse(id);
}

const asker = (line: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text: `Asked by person: ${line}` }] });

describe('Slack over HTTP: requests', () => {
  it('GIVEN a correctly signed slash command THEN Bolt acks with an empty 200 at once and answers through response_url', async () => {
    const id = 'ack-check';
    const response = await postSigned(eventsUrl, SECRET, formBody(slashCommandPayload({ command: '/help', response_url: double.responseUrl(id) })));
    expect(response).toMatchObject({ status: 200, text: '' });
    expect(response.ms).toBeLessThan(3000);
    await double.waitForResponse(id);
  });

  it('GIVEN a bad signature THEN 401 and nothing is answered', async () => {
    const body = formBody(slashCommandPayload({ command: '/help', response_url: double.responseUrl('bad-sig') }));
    const response = await postSigned(eventsUrl, SECRET, body, { signWith: 'not-the-secret' });
    expect(response.status).toBe(401);
  });

  it('GIVEN a timestamp older than five minutes THEN 401 even with a valid signature', async () => {
    const body = formBody(slashCommandPayload({ command: '/help', response_url: double.responseUrl('stale') }));
    const response = await postSigned(eventsUrl, SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(response.status).toBe(401);
    // A later, valid request is answered, and the two refused ones never were.
    await slash('/help', '');
    expect(double.responses.filter((r) => r.id === 'bad-sig' || r.id === 'stale')).toEqual([]);
  });

  it('GIVEN Slack retries a command (X-Slack-Retry-Num: 1) THEN it is acked but answered once', async () => {
    const body = formBody(slashCommandPayload({ command: '/news', text: 'Pompeo', response_url: double.responseUrl('retried') }));
    expect((await postSigned(eventsUrl, SECRET, body)).status).toBe(200);
    await double.waitForResponse('retried');
    const ignored = logs.waitFor('slack: repeated delivery of a command ignored');
    expect((await postSigned(eventsUrl, SECRET, body, { retryNum: 1 })).status).toBe(200);
    await ignored;
    expect(double.responses.filter((r) => r.id === 'retried')).toHaveLength(1);
  });
});

describe('Slack over HTTP: the server', () => {
  it('GIVEN a response_url that no longer works THEN the failure is logged and the bot keeps answering', async () => {
    const logged = logs.waitFor('slack: could not deliver the answer');
    const body = formBody(slashCommandPayload({ command: '/help', response_url: `${double.url}/expired-response-url` }));
    expect((await postSigned(eventsUrl, SECRET, body)).status).toBe(200);
    expect((await logged).line).toBe('/help');
    expect((await slash('/help', '')).body.response_type).toBe('in_channel');
  });

  it('GIVEN listen:false THEN the ops server on PORT mounts Slack beside /healthz: signed commands answered, bad signatures 401', async () => {
    const mounted = await startSlack(services, { listen: false });
    const ops = await startHealthServer({ port: 0, host: '127.0.0.1', checks: [], extraHandler: mounted.requestListener });
    try {
      expect(mounted.port).toBeUndefined();
      const base = `http://127.0.0.1:${ops.port}`;
      expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
      const body = formBody(slashCommandPayload({ command: '/news', text: 'Pompeo', response_url: double.responseUrl('mounted') }));
      expect((await postSigned(`${base}/slack/events`, SECRET, body)).status).toBe(200);
      expect((await double.waitForResponse('mounted')).body.response_type).toBe('in_channel');
      expect((await postSigned(`${base}/slack/events`, SECRET, body, { signWith: 'wrong' })).status).toBe(401);
      expect((await fetch(`${base}/elsewhere`, { method: 'POST' })).status).toBe(404);
    } finally {
      await ops.close();
      await mounted.stop();
    }
  });

  it('GIVEN extra routes (health, metrics) THEN they are served on the same port as /slack/events', async () => {
    const other = await startSlack(services, {
      host: '127.0.0.1',
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
    });
    try {
      const response = await fetch(`http://127.0.0.1:${other.port}/healthz`);
      expect([response.status, await response.text()]).toEqual([200, 'ok']);
    } finally {
      await other.stop();
    }
  });
});

describe('Slack over HTTP: commands answered in Block Kit', () => {
  it('/help lists every command, posted in the channel with who asked', async () => {
    const answer = await slash('/help', '');
    expect(answer.body).toEqual({
      response_type: 'in_channel',
      text: expect.stringContaining('== armistice-bot commands =='),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'armistice-bot commands', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Answers about the Korean peace process, from the 1953 armistice to today, each with its sources.' } },
        ...services.commands.map((c) => ({
          type: 'section',
          text: { type: 'mrkdwn', text: `*/${c.name}${c.admin ? ' (admins)' : ''}*\n${c.description}` },
        })),
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Type /help &lt;command&gt; for its options and examples.' }] },
        asker('/help'),
      ],
    });
  });

  it('/news Pompeo: the hit, its source, the footer', async () => {
    const answer = await slash('/news', 'Pompeo');
    expect(answer.body).toEqual({
      response_type: 'in_channel',
      text:
        '== News: “Pompeo” ==\n\n• Pyongyang Wants U.S. to Declare End of Korean War\n  2018-08 · 001_a52e17232520a38c\n  …Korean War, amid announcements that State Secretary Mike Pompeo, was preparing for his fourth visit to the North, The New York Times reported. Pompeo has been struggling to follow up on the agreement…\n  source: 001_a52e17232520a38c\n\nSources:\n  [001_a52e17232520a38c] Pyongyang Wants U.S. to Declare End of Korean War (2018-08)\n\n1 article match · /source &lt;id&gt; shows one',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'News: “Pompeo”', emoji: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Pyongyang Wants U.S. to Declare End of Korean War*\n2018-08 · 001_a52e17232520a38c\n…Korean War, amid announcements that State Secretary Mike Pompeo, was preparing for his fourth visit to the North, The New York Times reported. Pompeo has been struggling to follow up on the agreement…\nSource: 001_a52e17232520a38c',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '[001_a52e17232520a38c] Pyongyang Wants U.S. to Declare End of Korean War (2018-08)' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '1 article match · /source &lt;id&gt; shows one' }] },
        asker('/news Pompeo'),
      ],
    });
  });

  it('/source 004: the article as header, opening, labelled fields and its citation', async () => {
    const answer = await slash('/source', '004');
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('== South Korean leader calls for closer ties with North Korea ==') });
    expect(answer.body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'South Korean leader calls for closer ties with North Korea', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            'UNITED NATIONS (AP) — South Korean President Moon Jae-in on Tuesday called for deeper engagement with rival North Korea in return for progress on nuclear disarmament.\n\nMoon, who has long pushed for closer ties between the Koreas, also told leaders gathered at the U.N. General Assembly in New York that his nation “will guarantee the security of North Korea. I hope North Korea will do the same for South Korea.”\n\nDespite a string of summits between Moon and North Korean leader Kim Jong Un, and between U.S. President Donald Trump and Kim, there is a lingering standoff over how to get the North to abandon its nuclear and missile program.',
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Outlet*\nThe Associated Press' },
          { type: 'mrkdwn', text: '*Published*\n24 September 2019 (2019-09-24), inferred from the events it reports' },
          {
            type: 'mrkdwn',
            text: '*How the date was found*\nThe dateline "UNITED NATIONS (AP)" and Moon\'s speech to the U.N. General Assembly "on Tuesday", the day after Trump spoke "Monday" at the United Nations, after Trump stepped into North Korea "in June" (June 2019), give the opening week of the 2019 General Assembly debate: Tuesday 24 September 2019. The copyright notice at the foot of the page gives 2021: that is when the archived page was served (a notice on it warns the article may be outdated), not the year the story was written.',
          },
          { type: 'mrkdwn', text: '*Origin*\nseed corpus (data/corpus)' },
          { type: 'mrkdwn', text: '*URL*\nnot known' },
          { type: 'mrkdwn', text: '*Id*\n004_e776972307e5fca4' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '[004_e776972307e5fca4] South Korean leader calls for closer ties with North Korea (The Associated Press, 2019-09-24)' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '12 paragraphs, 432 words' }] },
      asker('/source 004'),
    ]);
  });

  it('GIVEN a user error THEN only the asker sees it, as a warning with the way out', async () => {
    const answer = await slash('/source', 'zzz');
    expect(answer.body).toEqual({
      response_type: 'ephemeral',
      text: '⚠ No article has the id “zzz”.\n\nArticle ids: 000_546d1457a8590048, 001_a52e17232520a38c, 002_6b42de142ce55b91, 003_d3d20f4a58c752ab, 004_e776972307e5fca4\n\nType /news to find an article and its id.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *No article has the id “zzz”.*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Article ids: 000_546d1457a8590048, 001_a52e17232520a38c, 002_6b42de142ce55b91, 003_d3d20f4a58c752ab, 004_e776972307e5fca4\n\nType /news to find an article and its id.',
          },
        },
      ],
    });
  });

  it('GIVEN /armistice <command> THEN it answers exactly as the command itself; a bare /armistice is /help', async () => {
    const direct = await slash('/news', 'Pompeo');
    const umbrella = await slash('/armistice', 'news Pompeo');
    expect(umbrella.body).toEqual(direct.body);
    const withSlash = await slash('/armistice', '/news Pompeo');
    expect(withSlash.body).toEqual(direct.body);
    const bare = await slash('/armistice', '');
    expect(bare.body).toEqual((await slash('/help', '')).body);
    const unknown = await slash('/armistice', 'nonsense');
    expect(unknown.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('There is no command /nonsense.') });
  });

  it('GIVEN a command that fails unexpectedly THEN a short apology, only to the asker, and the error logged', async () => {
    const logged = logs.waitFor('command failed');
    const answer = await slash('/boom', '');
    expect(answer.body).toEqual({
      response_type: 'ephemeral',
      text: '⚠ Sorry — something went wrong while answering /boom.\n\nIt has been logged. Please try again in a moment.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *Sorry — something went wrong while answering /boom.*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'It has been logged. Please try again in a moment.' } },
      ],
    });
    expect((await logged).err).toMatchObject({ message: 'kaboom' });
  });
});

describe('Slack over HTTP: the other commands', () => {
  it('/timeline from:2018-04 to:2018-04: each event with its sources', async () => {
    const answer = await slash('/timeline', 'from:2018-04 to:2018-04');
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('== Timeline of April 2018 ==') });
    expect(answer.body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Timeline of April 2018', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*27 April 2018 — Moon Jae-in and Kim Jong-un meet at Panmunjom and sign the Panmunjom Declaration.*\nMoon Jae-in, Kim Jong-un, Panmunjom, Korean Demilitarized Zone\nSource: 002_6b42de142ce55b91, 003_d3d20f4a58c752ab',
        },
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '[002_6b42de142ce55b91] Report: North Korea May Seek Peace Treaty to Formally End Korean War (2018-03)' },
          { type: 'mrkdwn', text: '[003_d3d20f4a58c752ab] Citizen groups in Korea and the US campaign for a peace treaty to end the Korean War (2020)' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '1 event · dates as precise as the sources allow' }] },
      { type: 'actions', elements: [{ type: 'button', action_id: 'armistice_picture', text: { type: 'plain_text', text: 'Show as picture', emoji: true }, value: '/timeline from:2018-04 to:2018-04 picture:true' }] },
      asker('/timeline from:2018-04 to:2018-04'),
    ]);
  });

  it('/whois Pompeo: who it is, as fields, with quoted sources', async () => {
    const answer = await slash('/whois', 'Pompeo');
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('== Mike Pompeo ==') });
    expect(answer.body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Mike Pompeo', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'US secretary of state who in 2018 worked to follow up on the Singapore agreement and prepared his fourth visit to North Korea.' },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Kind*\nPerson' },
          { type: 'mrkdwn', text: '*Roles*\nUS Secretary of State' },
          { type: 'mrkdwn', text: '*Also known as*\nMichael Pompeo, Mike R. Pompeo' },
          { type: 'mrkdwn', text: '*Related*\nDonald Trump, United States Department of State, North Korea' },
        ],
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: '[001_a52e17232520a38c] Pyongyang Wants U.S. to Declare End of Korean War (2018-08) — “State Secretary Mike Pompeo, was preparing for his fourth visit to the North”' },
          { type: 'mrkdwn', text: '[001_a52e17232520a38c] Pyongyang Wants U.S. to Declare End of Korean War (2018-08) — “Pompeo said Thursday during a Cabinet meeting at the White House”' },
        ],
      },
      asker('/whois Pompeo'),
    ]);
  });

  it('/ask a question in words: the dated event and the sentence it rests on, cited, in the channel', async () => {
    const answer = await slash('/ask', 'when did Trump and Kim meet at the DMZ?');
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining('== when did Trump and Kim meet at the DMZ? ==') });
    const blocks = answer.body.blocks as Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'when did Trump and Kim meet at the DMZ?', emoji: true } });
    expect(blocks[1]!.text!.text).toMatch(/^\*30 June 2019 — Trump meets Kim at the DMZ/);
    expect(blocks[1]!.text!.text).toContain('“And in June he was the first to step into North Korean territory.” … “Moon said Trump’s walk with Kim into North Korea');
    expect(blocks[1]!.text!.text).toContain('” — The Associated Press · 2019-09-24 · 004_e776972307e5fca4');
    const contexts = blocks.filter((b) => b.type === 'context').flatMap((b) => b.elements!.map((e) => e.text));
    expect(contexts).toContain('[004_e776972307e5fca4] South Korean leader calls for closer ties with North Korea (The Associated Press, 2019-09-24)');
    expect(blocks.at(-1)).toEqual(asker('/ask when did Trump and Kim meet at the DMZ?'));
  });

  it('/whois of someone unknown: an ephemeral hint', async () => {
    const answer = await slash('/whois', 'Nobody Atall');
    expect(answer.body).toEqual({
      response_type: 'ephemeral',
      text: '⚠ I have nobody and nothing called “Nobody Atall” in the articles.\n\nTry a full name or a surname (/whois Moon Jae-in, /whois Pompeo), an organisation (/whois Quincy Institute) or a Korean spelling (/whois 문재인).',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *I have nobody and nothing called “Nobody Atall” in the articles.*' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'Try a full name or a surname (/whois Moon Jae-in, /whois Pompeo), an organisation (/whois Quincy Institute) or a Korean spelling (/whois 문재인).' },
        },
      ],
    });
  });

  it('/anniversaries: what the command answers today, rendered block for block', async () => {
    const answer = await slash('/anniversaries', 'within:366');
    const caller = { user: { id: 'U0PERSON', isAdmin: false }, channel: { id: 'C0GENERAL', platform: 'slack' as const } };
    const expected = renderSlackMessage(await dispatchLine(services, '/anniversaries within:366', caller));
    expect(answer.body).toEqual({ response_type: 'in_channel', text: expected.text, blocks: [...expected.blocks, asker('/anniversaries within:366')] });
    expect(expected.blocks[0]).toMatchObject({ type: 'header' });
  });

  it('/feeds list: the suggested feeds, each with the line that adds it', async () => {
    const answer = await slash('/feeds', 'list');
    const blocks = answer.body.blocks as unknown[];
    expect(answer.body.response_type).toBe('in_channel');
    expect(blocks.slice(0, 3)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'No feeds yet', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Suggested Korea news feeds (data/feeds.yaml). An admin can add one with /feeds add:' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Yonhap News (English)*\nhttps://en.yna.co.kr/RSS/news.xml\n/feeds add url:https://en.yna.co.kr/RSS/news.xml name:"Yonhap News (English)" — South Korea\'s national news agency; every story, filtered to Korea and the peace process.',
        },
      },
    ]);
    expect(blocks.at(-1)).toEqual(asker('/feeds list'));
  });

  it('/feeds status is for admins: refused to a member, answered to an admin', async () => {
    const refused = await slash('/feeds', 'status', { user_id: 'U0PERSON' });
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only admins can use /feeds status.') });
    const answered = await slash('/feeds', 'status', { user_id: 'U0ADMIN', user_name: 'admin' });
    expect(answered.body).toEqual({
      response_type: 'ephemeral',
      text: '== No feeds yet ==\n\nAdd one with /feeds add url:https://...',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'No feeds yet', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Add one with /feeds add url:https://...' } },
      ],
    });
  });

  it('/dashboard: an admin gets, only to them, a one-time link for this workspace; a member is refused', async () => {
    const refused = await slash('/dashboard', '', { user_id: 'U0PERSON' });
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only admins can use /dashboard.') });
    const answered = await slash('/dashboard', '', { user_id: 'U0ADMIN', user_name: 'admin' });
    expect(answered.body).toMatchObject({ response_type: 'ephemeral' });
    const link = /<(http:\/\/localhost:0\/dashboard\/sign-in\?t=[A-Za-z0-9_.-]+)\|Open the dashboard>/.exec(JSON.stringify(answered.body))?.[1];
    expect(link).toBeDefined();
    const checked = await services.dashboard.links.check(new URL(link!).searchParams.get('t')!);
    expect(checked).toMatchObject({ ok: true, grant: { scope: 'slack:T0DOUBLE', channel: { id: 'C0GENERAL', platform: 'slack' }, user: { id: 'U0ADMIN' } } });
  });

  it('/subscribe, /subscriptions, /unsubscribe: the channel the command came from is the one subscribed', async () => {
    const refused = await slash('/subscribe', '', { user_id: 'U0PERSON' });
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only admins can use /subscribe.') });

    const subscribed = await slash('/subscribe', 'time:08:30', { user_id: 'U0ADMIN', user_name: 'admin' });
    expect(subscribed.body).toMatchObject({ response_type: 'in_channel' });
    expect((subscribed.body.blocks as unknown[]).slice(0, 2)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'This channel is subscribed', emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Digest*\ndaily at 08:30 (Asia/Seoul)' },
          { type: 'mrkdwn', text: '*Reminders*\non anniversaries at 08:30 (Asia/Seoul)' },
          { type: 'mrkdwn', text: '*About*\nevery new article' },
          { type: 'mrkdwn', text: expect.stringMatching(/^\*Next digest\*\n.+, 08:30 \(Asia\/Seoul\)$/) },
        ],
      },
    ]);
    expect(await services.schedule.subscriptions.get('slack:C0GENERAL')).toMatchObject({ channel: 'slack:C0GENERAL', time: '08:30' });

    const shown = await slash('/subscriptions', '');
    expect((shown.body.blocks as unknown[])[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'This channel’s subscription', emoji: true } });

    const stopped = await slash('/unsubscribe', '', { user_id: 'U0ADMIN', user_name: 'admin' });
    expect(stopped.body).toEqual({
      response_type: 'in_channel',
      text: '== Unsubscribed ==\n\nNo more digests or reminders will be posted in this channel. /subscribe starts them again.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Unsubscribed', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'No more digests or reminders will be posted in this channel. /subscribe starts them again.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by admin: /unsubscribe' }] },
      ],
    });
    expect(await services.schedule.subscriptions.get('slack:C0GENERAL')).toBeUndefined();
  });
});

describe('Slack over HTTP: paging buttons', () => {
  beforeAll(() => {
    for (let i = 1; i <= 7; i++) {
      services.corpus.add({ id: `feed:zebra${i}`, title: `Zebra crossing report ${i}`, paragraphs: [`Zebra crossing number ${i} opened.`], origin: 'feed' });
    }
  });

  it('GIVEN a long answer THEN page 1 carries a Next button whose value is the command line of page 2', async () => {
    const answer = await slash('/news', 'zebra');
    const blocks = answer.body.blocks as unknown[];
    expect(blocks.slice(-3)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Page 1 of 2' }] },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'armistice_page_next', text: { type: 'plain_text', text: 'Next ›', emoji: true }, value: '/news zebra page:2' }],
      },
      asker('/news zebra'),
    ]);
  });

  it('GIVEN a click on Next THEN the message is replaced by page 2, with a Previous button', async () => {
    const page2 = await click('/news zebra page:2');
    expect(page2.body).toMatchObject({ replace_original: true, response_type: 'in_channel' });
    const blocks = page2.body.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'News: “zebra”', emoji: true } });
    expect(blocks.filter((b) => b.type === 'section').map((b) => b.text!.text.split('\n')[0])).toHaveLength(2);
    expect(blocks.slice(-3)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Page 2 of 2' }] },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'armistice_page_prev', text: { type: 'plain_text', text: '‹ Previous', emoji: true }, value: '/news zebra page:1' }],
      },
      asker('/news zebra page:2'),
    ]);
  });

  it('GIVEN a button for a page that no longer exists THEN the clicker is told the results changed, and the message stays', async () => {
    const stale = await click('/news zebra page:9');
    expect(stale.body).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: '⚠ There are only 2 pages of results.\n\nThe results changed since this message was posted.\n\nTry /news zebra page:2',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *There are only 2 pages of results.*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'The results changed since this message was posted.\n\nTry /news zebra page:2' } },
      ],
    });
  });

  it('GIVEN a button value it cannot read THEN it says the button no longer works', async () => {
    const expired = await click('something from an older version');
    expect(expired.body).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: '⚠ This button no longer works.\n\nRun the command again to get fresh results.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *This button no longer works.*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Run the command again to get fresh results.' } },
      ],
    });
  });
});

describe('Slack over HTTP: admin commands', () => {
  it('GIVEN a member who is not an admin THEN a clear refusal, only to them', async () => {
    const answer = await slash('/purge', '', { user_id: 'U0PERSON' });
    expect(answer.body).toEqual({
      response_type: 'ephemeral',
      text: '⚠ Only admins can use /purge.\n\nAsk a workspace admin or owner (or a user listed in ADMIN_USER_IDS) to run it.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *Only admins can use /purge.*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Ask a workspace admin or owner (or a user listed in ADMIN_USER_IDS) to run it.' } },
      ],
    });
  });

  it('GIVEN a workspace admin or owner per users.info THEN the command runs', async () => {
    for (const [user_id, user_name] of [['U0ADMIN', 'admin'], ['U0OWNER', 'owner']] as const) {
      const answer = await slash('/purge', '', { user_id, user_name });
      expect(answer.body.blocks).toEqual([
        { type: 'header', text: { type: 'plain_text', text: 'Purged', emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Asked by ${user_name}: /purge` }] },
      ]);
    }
    expect(double.callsTo('users.info').map((c) => c.args.user)).toEqual(expect.arrayContaining(['U0ADMIN', 'U0OWNER']));
  });

  it('GIVEN a user listed in ADMIN_USER_IDS THEN the command runs without asking Slack', async () => {
    const answer = await slash('/armistice', 'purge', { user_id: 'U0LISTED', user_name: 'listed' });
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: '== Purged ==' });
    expect(double.callsTo('users.info').filter((c) => c.args.user === 'U0LISTED')).toEqual([]);
  });
});
