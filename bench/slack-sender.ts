import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Slack's side of the Slack HTTP benchmarks, in a process of its own so the
 * bot's event loop does only the bot's work: signs each body
 * (`v0=HMAC_SHA256(secret, "v0:" + ts + ":" + body)`) and POSTs them all at
 * once to /slack/events on keep-alive connections, as Slack's senders keep theirs.
 */
export interface Sent {
  status: number;
  /** Epoch milliseconds (performance.timeOrigin + now) when the request was started. */
  startedAt: number;
  ackMs: number;
}

export interface Sender {
  send(bodies: string[]): Promise<Sent[]>;
  stop(): void;
}

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

export async function startSender(port: number, signingSecret: string): Promise<Sender> {
  const dir = mkdtempSync(join(tmpdir(), 'slack-bench-'));
  const script = join(dir, 'sender.cjs');
  writeFileSync(script, SENDER_SOURCE);
  const child = fork(script, [String(port), signingSecret], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
