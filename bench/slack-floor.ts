import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SlackDouble, formBody, slashCommandPayload } from '../test/support/slack-double.ts';
import { startSender } from './slack-sender.ts';

/**
 * The floor under bench/slack.ts: the same burst of signed slash commands
 * against Bolt alone — its HTTPReceiver (body parsing, signature check,
 * processEvent) with one listener that only acks. No bot on Bolt acks a
 * burst faster than this on the same machine.
 *
 * It runs in a fresh process with the same warm-up as the bot (one burst,
 * then the counted one): measured in the bot's process, either would have
 * the other's bursts as extra JIT warm-up, which on this machine is worth
 * tens of milliseconds of p99.
 */
const root = join(import.meta.dirname, '..');
const BOT_TOKEN = 'xoxb-bench-floor';
const SECRET = 'bench-floor-signing-secret';

/** Ack milliseconds of the counted burst, measured in a child process. */
export function measureFloorInFreshProcess(count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join(root, 'bench', 'slack-floor.ts'), String(count)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as number[]);
      } catch {
        reject(new Error(`the floor measurement exited ${code} without figures`));
      }
    });
  });
}

async function measureFloor(count: number): Promise<number[]> {
  const double = await SlackDouble.start({ bot: BOT_TOKEN });
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
  const app = new App({ token: BOT_TOKEN, receiver, clientOptions: { slackApiUrl: double.apiUrl }, convoStore: false, deferInitialization: true, logLevel: LogLevel.ERROR });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const sender = await startSender((server.address() as AddressInfo).port, SECRET);
  // The mix bench/slack.ts sends, so the bodies are alike.
  const asks = [
    { command: '/help', text: '' },
    { command: '/news', text: 'peace treaty' },
    { command: '/source', text: '004' },
  ];
  const bodies = () => Array.from({ length: count }, (_, i) => formBody(slashCommandPayload({ ...asks[i % asks.length]!, response_url: double.responseUrl() })));
  try {
    await sender.send(bodies());
    const sent = await sender.send(bodies());
    const bad = sent.find((s) => s.status !== 200);
    if (bad) throw new Error(`Bolt answered a slash command ${bad.status}`);
    return sent.map((s) => s.ackMs);
  } finally {
    sender.stop();
    await app.stop();
    await double.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await measureFloor(Number(process.argv[2] ?? 200)))}\n`);
  process.exit(0);
}
