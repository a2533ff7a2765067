import { fork } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackDouble, formBody, slashCommandPayload } from '../test/support/slack-double.ts';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { buildServices } from '../src/main.ts';
import { startSlack } from '../src/platform/slack/app.ts';
import { figure, percentile, type Figure } from './figures.ts';

const root = join(import.meta.dirname, '..');
const BOT_TOKEN = 'xoxb-bench';
const SECRET = 'bench-signing-secret';

/**
 * 200 slash commands posted at once to the real Bolt in HTTP mode, signed
 * as Slack signs them, answered by the real services. The ack is the HTTP
 * response Slack waits for (3 s at most); the answer is the respond() post
 * to response_url that follows. The requests come from a separate process
 * (node:http, keep-alive connections, as Slack's senders keep theirs), so
 * the bot's event loop does only the bot's work.
 */
export async function run(count = 200): Promise<Figure[]> {
  const double = await SlackDouble.start({ bot: BOT_TOKEN });
  const config = readConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: double.apiUrl,
    PORT: '0',
    STORE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    DATA_DIR: join(root, 'data'),
  });
  const services = await buildServices(config, createLogger('silent'));
  const slack = await startSlack(services, { host: '127.0.0.1' });
  const sender = await startSender(slack.port!);
  let sequence = 0;
  try {
    // A mix of what people ask: the list, a search, one article.
    const asks = [
      { command: '/help', text: '' },
      { command: '/news', text: 'peace treaty' },
      { command: '/source', text: '004' },
    ];
    const burst = async (): Promise<{ acks: number[]; answers: number[] }> => {
      const ids = Array.from({ length: count }, () => `bench-${++sequence}`);
      const bodies = ids.map((id, i) => formBody(slashCommandPayload({ ...asks[i % asks.length]!, response_url: double.responseUrl(id) })));
      const sent = await sender.send(bodies);
      const bad = sent.find((s) => s.status !== 200);
      if (bad) throw new Error(`a slash command was answered ${bad.status}`);
      const answered = await Promise.all(ids.map((id) => double.waitForResponse(id, 10_000)));
      return {
        acks: sent.map((s) => s.ackMs),
        answers: answered.map((a, i) => performance.timeOrigin + a.at - sent[i]!.startedAt),
      };
    };
    // The first burst opens connections and warms the JIT; the second counts.
    await burst();
    const { acks, answers } = await burst();
    // For comparison: commands one at a time, as on a quiet workspace.
    const alone: number[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `bench-${++sequence}`;
      const [sent] = await sender.send([formBody(slashCommandPayload({ command: '/help', response_url: double.responseUrl(id) }))]);
      alone.push(sent!.ackMs);
      await double.waitForResponse(id, 10_000);
    }
    return [
      figure('Slack HTTP: one slash command at a time, ack p50', percentile(alone, 50), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, ack p50`, percentile(acks, 50), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, ack p99`, percentile(acks, 99), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, slowest ack`, Math.max(...acks), 'ms', 3000),
      figure(`Slack HTTP: ${count} slash commands at once, answer via response_url p99`, percentile(answers, 99), 'ms', 3000),
    ];
  } finally {
    sender.stop();
    await slack.stop();
    await services.close();
    await double.close();
  }
}

interface Sent {
  status: number;
  /** Epoch milliseconds (performance.timeOrigin + now) when the request was started. */
  startedAt: number;
  ackMs: number;
}

/**
 * The sending process: signs each body (`v0=HMAC_SHA256(secret, "v0:" + ts + ":" + body)`)
 * and POSTs them all at once to /slack/events.
 */
const SENDER_SOURCE = `
const { Agent, request } = require('node:http');
const { createHmac } = require('node:crypto');
const [port, secret] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
function post(body) {
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex'),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/slack/events', method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, startedAt: performance.timeOrigin + started, ackMs: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
process.on('message', async (bodies) => {
  try { process.send({ ok: true, sent: await Promise.all(bodies.map(post)) }); }
  catch (error) { process.send({ ok: false, error: String(error) }); }
});
process.on('disconnect', () => { agent.destroy(); process.exit(0); });
`;

async function startSender(port: number): Promise<{ send(bodies: string[]): Promise<Sent[]>; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'slack-bench-'));
  const script = join(dir, 'sender.cjs');
  writeFileSync(script, SENDER_SOURCE);
  const child = fork(script, [String(port), SECRET], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send(bodies) {
      return new Promise((resolve, reject) => {
        child.once('message', (message: { ok: boolean; sent?: Sent[]; error?: string }) =>
          message.ok ? resolve(message.sent!) : reject(new Error(message.error)),
        );
        child.send(bodies);
      });
    },
    stop() {
      child.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
