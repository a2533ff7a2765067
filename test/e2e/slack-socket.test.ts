import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type SlackConnection } from '../../src/platform/slack/app.ts';
import type { Services } from '../../src/services.ts';
import { LogCapture, blockActionsPayload, slashCommandPayload, type SlackDouble } from '../support/slack-double.ts';
import { APP_TOKEN, BOT_TOKEN, startSlackE2e, type SlackE2e } from '../support/slack-e2e.ts';

/**
 * The real Bolt in Socket Mode against the Slack double: the bot opens the
 * connection (apps.connections.open with the app token), the double sends
 * `hello`, then envelopes; the bot acks each envelope id and answers through
 * response_url.
 */

let e2e: SlackE2e;
let double: SlackDouble;
let services: Services;
let slack: SlackConnection;
const logs = new LogCapture();

beforeAll(async () => {
  e2e = await startSlackE2e({ mode: 'socket', setup: (base) => ({ ...base, log: logs.logger }) });
  ({ double, services, slack } = e2e);
});

afterAll(() => e2e?.stop());

const POMPEO_BLOCKS = [
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
  { type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by person: /news Pompeo' }] },
];

describe('Slack in Socket Mode', () => {
  it('GIVEN the app token THEN the bot opens the socket through SLACK_API_URL and checks its bot token', () => {
    expect(slack.mode).toBe('socket');
    expect(double.callsTo('apps.connections.open')).toMatchObject([{ token: APP_TOKEN }]);
    expect(double.callsTo('auth.test')).toMatchObject([{ token: BOT_TOKEN }]);
  });

  it('GIVEN a slash command envelope THEN it is acked by envelope id, then answered in Block Kit', async () => {
    const payload = slashCommandPayload({ command: '/news', text: 'Pompeo', response_url: double.responseUrl('socket-news') });
    const ack = await double.sendEnvelope('slash_commands', payload, { envelopeId: 'env-news' });
    expect(ack.envelope_id).toBe('env-news');
    const answer = await double.waitForResponse('socket-news');
    expect(ack.at).toBeLessThan(answer.at);
    expect(answer.body).toEqual({ response_type: 'in_channel', text: expect.stringContaining('== News: “Pompeo” =='), blocks: POMPEO_BLOCKS });
  });

  it('GIVEN the umbrella command THEN the same answer', async () => {
    const payload = slashCommandPayload({ command: '/armistice', text: 'news Pompeo', response_url: double.responseUrl('socket-umbrella') });
    await double.sendEnvelope('slash_commands', payload);
    expect((await double.waitForResponse('socket-umbrella')).body.blocks).toEqual(POMPEO_BLOCKS);
  });

  it('GIVEN Slack redelivers an envelope (retry_attempt 1) THEN it is acked again but answered once', async () => {
    const payload = slashCommandPayload({ command: '/help', response_url: double.responseUrl('socket-retry') });
    await double.sendEnvelope('slash_commands', payload, { envelopeId: 'env-first' });
    await double.waitForResponse('socket-retry');
    const ignored = logs.waitFor('slack: repeated delivery of a command ignored');
    const ack = await double.sendEnvelope('slash_commands', payload, { envelopeId: 'env-retry', retryAttempt: 1 });
    expect(ack.envelope_id).toBe('env-retry');
    await ignored;
    expect(double.responses.filter((r) => r.id === 'socket-retry')).toHaveLength(1);
  });

  it('GIVEN a paging button click envelope THEN the message is replaced by the page it names', async () => {
    for (let i = 1; i <= 6; i++) {
      services.corpus.add({ id: `feed:okapi${i}`, title: `Okapi sighting ${i}`, paragraphs: [`Okapi number ${i} seen.`], origin: 'feed' });
    }
    const payload = blockActionsPayload({ actionId: 'armistice_page_next', value: '/news okapi page:2', responseUrl: double.responseUrl('socket-page') });
    await double.sendEnvelope('interactive', payload);
    const page = await double.waitForResponse('socket-page');
    expect(page.body).toMatchObject({ replace_original: true, response_type: 'in_channel' });
    expect((page.body.blocks as unknown[]).slice(-3)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Page 2 of 2' }] },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'armistice_page_prev', text: { type: 'plain_text', text: '‹ Previous', emoji: true }, value: '/news okapi page:1' }],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by person: /news okapi page:2' }] },
    ]);
  });

  it('GIVEN a wrong bot token or app token THEN start-up fails saying which token and where to find the right one', async () => {
    const wrongBot = { ...services, config: { ...services.config, SLACK_BOT_TOKEN: 'xoxb-wrong' } };
    await expect(startSlack(wrongBot)).rejects.toThrow(/Slack refused SLACK_BOT_TOKEN \(auth.test: invalid_auth\)/);
    const wrongApp = { ...services, config: { ...services.config, SLACK_APP_TOKEN: 'xapp-wrong' } };
    await expect(startSlack(wrongApp)).rejects.toThrow(/Slack refused the Socket Mode connection \(invalid_auth\)/);
  });
});
