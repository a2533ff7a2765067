import { describe, expect, it } from 'vitest';
import { freePort } from '../support/bot-process.ts';
import { processRun } from '../support/process-run.ts';
import { expectHealthyThenCleanStop } from '../support/ops-checks.ts';
import { SlackDouble, formBody, postSigned, slashCommandPayload } from '../support/slack-double.ts';

/**
 * The real `armistice start` process on Slack in HTTP mode (the test double
 * for the Web API and response_url) with a SQLite file: Slack's signed
 * requests and the ops endpoints arrive on the one PORT; on SIGTERM the
 * scheduler lease is released and the process exits 0.
 */

const BOT_TOKEN = 'xoxb-process-test-token';
const SECRET = 'process-test-signing-secret';
const run = processRun('armistice-process-slack-');

describe('armistice start on Slack (HTTP mode), as a process', () => {
  it('serves /slack/events and /healthz on one port, answers a signed command, and on SIGTERM releases the lease and exits 0', async () => {
    const double = run.own(await SlackDouble.start({ bot: BOT_TOKEN }));
    const port = await freePort();
    const storeUrl = run.storeUrl('bot.sqlite');
    const bot = run.start({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: double.apiUrl, STORE_URL: storeUrl, PORT: String(port) });
    // Health first: the bot runs before Slack is connected; it connects in the background.
    await bot.waitForLog('slack: connected');
    // The token was checked with Slack at start-up.
    expect(double.callsTo('auth.test').map((c) => c.token)).toContain(BOT_TOKEN);

    const base = `http://127.0.0.1:${port}`;
    const body = formBody(slashCommandPayload({ command: '/help', response_url: double.responseUrl('process-help') }));
    const ack = await postSigned(`${base}/slack/events`, SECRET, body);
    expect(ack).toMatchObject({ status: 200, text: '' });
    const answer = await double.waitForResponse('process-help', 10_000);
    expect(JSON.stringify(answer.body.blocks)).toContain('/timeline');
    // A request Slack did not sign is refused on the same port.
    expect((await postSigned(`${base}/slack/events`, SECRET, body, { signWith: 'not-the-secret' })).status).toBe(401);

    await expectHealthyThenCleanStop(bot, base, storeUrl, { name: 'slack', ok: true, state: 'connected', detail: 'http mode' });
  });
});
