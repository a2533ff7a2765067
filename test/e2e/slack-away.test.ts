import { afterEach, describe, expect, it } from 'vitest';
import { createSlack, type SlackConnection } from '../../src/platform/slack/app.ts';
import { superviseSlack } from '../../src/platform/slack/supervise.ts';
import { PlatformStates, type PlatformState } from '../../src/ops/platform-state.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';
import { LogCapture, SlackDouble, slashCommandPayload } from '../support/slack-double.ts';

/**
 * The real Bolt in Socket Mode against the Slack double, supervised: Slack
 * asking to reconnect (before recycling a server) is followed; a bot token
 * revoked mid-run marks Slack refused and nothing more is sent to it.
 */

const BOT_TOKEN = 'xoxb-away-bot-token';
const APP_TOKEN = 'xapp-away-app-token';
let double: SlackDouble | undefined;
let services: Services | undefined;
let connection: SlackConnection | undefined;
let stop = new AbortController();

afterEach(async () => {
  stop.abort();
  stop = new AbortController();
  await connection?.stop();
  await services?.close();
  await double?.close();
  [double, services, connection] = [undefined, undefined, undefined];
});

function whenState(states: PlatformStates, state: PlatformState): Promise<string> {
  if (states.get('slack')?.state === state) return Promise.resolve(states.get('slack')!.reason);
  return new Promise((resolve) => {
    const off = states.onChange((name, status) => {
      if (name !== 'slack' || status.state !== state) return;
      off();
      resolve(status.reason);
    });
  });
}

async function connect(logs = new LogCapture()): Promise<{ states: PlatformStates; logs: LogCapture }> {
  double = await SlackDouble.start({ bot: BOT_TOKEN, app: APP_TOKEN });
  double.users.set('U0PERSON', { name: 'person' });
  const base = await makeTestServices({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: double.apiUrl });
  services = { ...base, log: logs.logger };
  const states = new PlatformStates(['slack']);
  connection = await superviseSlack(services, states, createSlack(services), { policy: { firstMs: 100, maxMs: 400 }, signal: stop.signal });
  await double.socketConnected();
  return { states, logs };
}

describe('Slack Socket Mode, supervised', () => {
  it('GIVEN Slack asks the bot to reconnect, or cuts the connection THEN it opens a new one (reconnecting meanwhile) and answers the next command there', async () => {
    const { states } = await connect();
    expect(states.get('slack')).toMatchObject({ state: 'connected', reason: 'socket mode' });
    const seen: string[] = [];
    states.onChange((_, status) => seen.push(status.state));

    double!.askToReconnect();
    await whenState(states, 'reconnecting');
    await whenState(states, 'connected');
    expect(seen).toEqual(['reconnecting', 'connected']);
    expect(double!.callsTo('apps.connections.open')).toHaveLength(2);
    expect(double!.openSockets).toBe(1);

    await double!.sendEnvelope('slash_commands', slashCommandPayload({ command: '/help', response_url: double!.responseUrl('after-refresh') }));
    expect(JSON.stringify((await double!.waitForResponse('after-refresh', 10_000)).body)).toContain('/timeline');

    // A connection cut without a word (a server gone): the same.
    double!.dropSockets();
    await whenState(states, 'reconnecting');
    await whenState(states, 'connected');
    expect(double!.callsTo('apps.connections.open')).toHaveLength(3);
    await double!.sendEnvelope('slash_commands', slashCommandPayload({ command: '/help', response_url: double!.responseUrl('after-drop') }));
    expect(JSON.stringify((await double!.waitForResponse('after-drop', 10_000)).body)).toContain('/timeline');
  });

  it('GIVEN the bot token is revoked mid-run THEN Slack is refused with how to fix it, the socket is closed, and no further post reaches Slack', async () => {
    const { states } = await connect();
    double!.setChannel('C0REVOKED', { kind: 'error', error: 'token_revoked' });
    const first = await services!.notifier.post('slack:C0REVOKED', { title: 'Reminder' });
    expect(first).toMatchObject({ ok: false, permanent: false });
    expect(await whenState(states, 'refused')).toMatch(/^Slack refused SLACK_BOT_TOKEN mid-run \(token_revoked\): .* copy the new Bot User OAuth Token/);
    const posts = double!.callsTo('chat.postMessage').length;

    const second = await services!.notifier.post('slack:C0OTHER', { title: 'Digest' });
    expect(second).toEqual({ ok: false, permanent: false, reason: 'Slack refused the bot token (token_revoked); nothing is sent to Slack until SLACK_BOT_TOKEN is fixed' });
    expect(double!.callsTo('chat.postMessage')).toHaveLength(posts);
    await expect.poll(() => double!.openSockets).toBe(0);
    expect(double!.callsTo('apps.connections.open')).toHaveLength(1);
    expect(states.get('slack')?.state).toBe('refused');
  });
});
