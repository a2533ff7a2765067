import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';
import { SlackDouble, formBody, postSigned, slashCommandPayload } from '../support/slack-double.ts';

/**
 * `armistice start` as a process when a platform is away: health first
 * (/healthz and /readyz answer before any platform connects), one log line
 * per attempt while a platform is out of reach, connected without a restart
 * when it appears; a refused token is one clear line and exit 1 when it was
 * the only platform, or that platform `refused` while the other answers.
 */

const scratch = mkdtempSync(join(tmpdir(), 'armistice-process-away-'));
const FAST_RETRY = { PLATFORM_RETRY_FIRST_SECONDS: '0.2', PLATFORM_RETRY_MAX_SECONDS: '2' };
const BOT_TOKEN = 'xoxb-away-test-token';
const APP_TOKEN = 'xapp-away-test-token';
const SECRET = 'away-test-signing-secret';
let bot: BotProcess | undefined;
let discord: DiscordDouble | undefined;
let slack: SlackDouble | undefined;

afterEach(async () => {
  bot?.child.kill('SIGKILL');
  await bot?.exited;
  await discord?.close();
  await slack?.close();
  [bot, discord, slack] = [undefined, undefined, undefined];
});

let stores = 0;
function storeUrl(): string {
  return `sqlite://${join(scratch, `bot-${++stores}.sqlite`)}`;
}

async function readyz(port: number): Promise<{ status: number; body: { checks: Array<Record<string, unknown>> } }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Array<Record<string, unknown>> } };
}

/** The n-th "cannot reach … next try in" line: with a 0.2 s first wait doubling to 2 s, the 7th comes about 8 s after start. */
function nthAttempt(bot: BotProcess, platform: string, n: number) {
  return bot.waitForLine(`about attempt ${n} to reach ${platform}`, (l) => l.platform === platform && l.attempt === n && String(l.msg).includes('next try in'), 30_000);
}

function noStack(bot: BotProcess): void {
  expect(bot.lines.filter((l) => /^\s+at /.test(String(l.msg)) || JSON.stringify(l).includes('"stack"'))).toEqual([]);
}

describe('Discord appears after the bot', () => {
  it('GIVEN Discord and Slack unreachable at start THEN /readyz says connecting with the reasons; WHEN Discord appears ~8 s later THEN it connects without a restart and answers while Slack is still away', async () => {
    const port = await freePort();
    const discordPort = await freePort();
    const slackPort = await freePort();
    bot = startBotProcess({
      DISCORD_TOKEN: 'test-token.not-a-secret',
      DISCORD_APPLICATION_ID: '900000000000000002',
      DISCORD_API_URL: `http://127.0.0.1:${discordPort}/api`,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      STORE_URL: storeUrl(),
      PORT: String(port),
      ...FAST_RETRY,
    });
    const first = await nthAttempt(bot, 'discord', 1);
    expect(first.msg).toMatch(new RegExp(`^cannot reach Discord at http://127\\.0\\.0\\.1:${discordPort}/api: connection refused; next try in 0\\.2 s$`));
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok\n');
    const before = await readyz(port);
    expect(before.status).toBe(503);
    expect(before.body.checks[1]).toMatchObject({ name: 'discord', ok: false, state: 'connecting', detail: `cannot reach Discord at http://127.0.0.1:${discordPort}/api: connection refused` });
    // The poller and the scheduler do not wait for Discord.
    await bot.waitForLog('lease: elected leader');

    const seventh = await nthAttempt(bot, 'discord', 7);
    expect(seventh.delayMs).toBeLessThanOrEqual(2000);
    discord = await DiscordDouble.start({ port: discordPort });
    await discord.whenReady();
    await bot.waitForLog('connected to Discord');
    const after = await readyz(port);
    expect(after.status).toBe(503);
    expect(after.body.checks.slice(1)).toMatchObject([
      { name: 'discord', ok: true, state: 'connected', detail: 'gateway connected' },
      { name: 'slack', ok: false, state: 'connecting', detail: `cannot reach Slack at http://127.0.0.1:${slackPort}/api/: connection refused` },
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/readyz?platform=discord`)).status).toBe(200);

    const help = discord.chatInput({ name: 'help' });
    expect((await discord.waitForCallback(help, 10_000)).body.type).toBe(4);
    noStack(bot);
  });
});

describe('a refused token', () => {
  it('GIVEN only Discord, refusing the token THEN one clear line and exit 1, no stack, and Discord was asked once', async () => {
    discord = await DiscordDouble.start({ token: 'the-right-token' });
    bot = startBotProcess({ ...discordEnv(discord), DISCORD_TOKEN: 'a-wrong-token', STORE_URL: storeUrl(), PORT: String(await freePort()), ...FAST_RETRY });
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    const refusals = bot.lines.filter((l) => String(l.msg).includes('Discord refused DISCORD_TOKEN'));
    expect(refusals.map((l) => l.msg)).toContain(
      'Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token from the Developer Portal (your application → Bot → Reset Token) into DISCORD_TOKEN, then restart.',
    );
    expect(discord.requests.map((r) => r.path)).toEqual(['/api/v10/gateway/bot']);
    noStack(bot);
  });

  it('GIVEN Discord refusing and Slack (HTTP) fine THEN Discord is refused on /readyz while Slack keeps answering', async () => {
    discord = await DiscordDouble.start({ token: 'the-right-token' });
    slack = await SlackDouble.start({ bot: BOT_TOKEN });
    const port = await freePort();
    bot = startBotProcess({
      ...discordEnv(discord),
      DISCORD_TOKEN: 'a-wrong-token',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      STORE_URL: storeUrl(),
      PORT: String(port),
      ...FAST_RETRY,
    });
    await bot.waitForLog('Discord refused DISCORD_TOKEN');
    await bot.waitForLog('slack: connected');
    const ready = await readyz(port);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.slice(1)).toMatchObject([
      { name: 'discord', ok: false, state: 'refused', detail: expect.stringMatching(/^Discord refused DISCORD_TOKEN \(401 Unauthorized\)/) },
      { name: 'slack', ok: true, state: 'connected', detail: 'http mode' },
    ]);
    // A load balancer in front of Slack's HTTP mode probes Slack's readiness only.
    expect((await fetch(`http://127.0.0.1:${port}/readyz?platform=slack`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz?platform=discord`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/readyz?platform=teams`)).status).toBe(404);
    const body = formBody(slashCommandPayload({ command: '/help', response_url: slack.responseUrl('away-help') }));
    expect((await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, body)).status).toBe(200);
    expect(JSON.stringify((await slack.waitForResponse('away-help', 10_000)).body)).toContain('/timeline');
    expect(discord.requests).toHaveLength(1);
    expect(bot.child.exitCode).toBeNull();
  });

  it('GIVEN only Slack, refusing the bot token THEN one clear line and exit 1', async () => {
    slack = await SlackDouble.start({ bot: BOT_TOKEN });
    bot = startBotProcess({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, STORE_URL: storeUrl(), PORT: String(await freePort()), ...FAST_RETRY });
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(bot.lines.map((l) => l.msg)).toContain(
      "Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth); copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page, then restart.",
    );
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    noStack(bot);
  });
});

describe('Slack appears after the bot', () => {
  it('GIVEN Slack (HTTP mode) unreachable at start THEN "cannot reach Slack", not "refused", and 503 on /slack/events; WHEN it appears THEN connected and answering', async () => {
    const port = await freePort();
    const slackPort = await freePort();
    bot = startBotProcess({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`, STORE_URL: storeUrl(), PORT: String(port), ...FAST_RETRY });
    const first = await nthAttempt(bot, 'slack', 1);
    expect(first.msg).toBe(`cannot reach Slack at http://127.0.0.1:${slackPort}/api/: connection refused; next try in 0.2 s`);
    expect(bot.lines.filter((l) => String(l.msg).includes('refused SLACK'))).toEqual([]);
    expect((await readyz(port)).body.checks[1]).toMatchObject({ name: 'slack', ok: false, state: 'connecting' });
    const body = formBody(slashCommandPayload({ command: '/help', response_url: `http://127.0.0.1:${slackPort}/respond/late-help` }));
    expect((await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, body)).status).toBe(503);

    await nthAttempt(bot, 'slack', 4);
    slack = await SlackDouble.start({ bot: BOT_TOKEN }, { port: slackPort });
    await bot.waitForLog('slack: connected');
    expect((await readyz(port)).status).toBe(200);
    expect((await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, body)).status).toBe(200);
    expect(JSON.stringify((await slack.waitForResponse('late-help', 10_000)).body)).toContain('/timeline');
  });

  it('GIVEN Slack (Socket Mode) unreachable at start WHEN it appears THEN it connects; WHEN the socket drops THEN it reconnects (reconnecting meanwhile) and answers the next command', async () => {
    const port = await freePort();
    const slackPort = await freePort();
    bot = startBotProcess({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`, STORE_URL: storeUrl(), PORT: String(port), ...FAST_RETRY });
    await nthAttempt(bot, 'slack', 3);
    expect((await readyz(port)).status).toBe(503);
    slack = await SlackDouble.start({ bot: BOT_TOKEN, app: APP_TOKEN }, { port: slackPort });
    await bot.waitForLog('slack: connected');
    await slack.socketConnected();
    expect((await readyz(port)).body.checks[1]).toMatchObject({ name: 'slack', ok: true, state: 'connected' });

    // Slack goes away for a moment: the socket drops and the API refuses connections.
    await slack.close();
    await bot.waitForLog('the Socket Mode connection closed; reconnecting');
    expect((await readyz(port)).body.checks[1]).toMatchObject({ name: 'slack', ok: false, state: 'reconnecting' });
    await bot.waitForLine('about a failed reconnection', (l) => l.platform === 'slack' && String(l.msg).startsWith('cannot reach Slack at'), 10_000);
    slack = await SlackDouble.start({ bot: BOT_TOKEN, app: APP_TOKEN }, { port: slackPort });
    slack.users.set('U0PERSON', { name: 'person' });
    await bot.waitForLog('Socket Mode connection open again');
    await slack.socketConnected();
    expect((await readyz(port)).status).toBe(200);

    const payload = slashCommandPayload({ command: '/help', response_url: slack.responseUrl('socket-again') });
    await slack.sendEnvelope('slash_commands', payload);
    expect(JSON.stringify((await slack.waitForResponse('socket-again', 10_000)).body)).toContain('/timeline');
    noStack(bot);
  });
});

process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
