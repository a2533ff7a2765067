import { join } from 'node:path';
import { SlackDouble, formBody, slashCommandPayload } from '../test/support/slack-double.ts';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { buildServices } from '../src/main.ts';
import { startSlack } from '../src/platform/slack/app.ts';
import { figure, percentile, type Figure } from './figures.ts';
import { measureFloorInFreshProcess } from './slack-floor.ts';
import { startSender } from './slack-sender.ts';

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
  const sender = await startSender(slack.port!, SECRET);
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
    // The same burst against Bolt alone, in a fresh process of its own,
    // after the bot's is done (see slack-floor.ts).
    const floor = await measureFloorInFreshProcess(count);
    return [
      figure('Slack HTTP: one slash command at a time, ack p50', percentile(alone, 50), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, ack p50`, percentile(acks, 50), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, ack p99`, percentile(acks, 99), 'ms', 100),
      figure(`Slack HTTP: ${count} slash commands at once, slowest ack`, Math.max(...acks), 'ms', 3000),
      figure(`Slack HTTP: ${count} slash commands at once, answer via response_url p99`, percentile(answers, 99), 'ms', 3000),
      figure(`Slack HTTP floor, Bolt's HTTPReceiver with a listener that only acks: ${count} at once, ack p99`, percentile(floor, 99), 'ms', 100),
    ];
  } finally {
    sender.stop();
    await slack.stop();
    await services.close();
    await double.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
