import { onTestFinished } from 'vitest';
import { freePort, startBotProcess, type BotProcess } from './bot-process.ts';
import { SlackDouble, formBody, postSigned, slashCommandPayload } from './slack-double.ts';
import { rss, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

/**
 * Several real `armistice start` processes on one store, each on Slack in
 * HTTP mode on its own PORT (one Slack test double for all), asked slash
 * commands as a Slack user asks them: the answer is what the process posts
 * to the command's response_url.
 */

const BOT_TOKEN = 'xoxb-instances-test-token';
const SECRET = 'instances-test-signing-secret';
export const ADMIN = 'U0INSTADMIN';

export interface Instance {
  name: string;
  bot: BotProcess;
  /** The answer to `/command text` as plain text (title, fields, blocks), from user `asUser` (default a member). */
  ask(command: string, text?: string, asUser?: string): Promise<string>;
}

export interface InstanceGroup {
  double: SlackDouble;
  start(name: string, env: Record<string, string>): Promise<Instance>;
  /** Kills every instance of the group (SIGKILL) and closes the double. */
  close(): Promise<void>;
}

let asked = 0;

export async function instanceGroup(): Promise<InstanceGroup> {
  const double = await SlackDouble.start({ bot: BOT_TOKEN });
  const started: Instance[] = [];
  const group: InstanceGroup = {
    double,
    async start(name, env) {
      const port = await freePort();
      const bot = startBotProcess({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: double.apiUrl,
        ADMIN_USER_IDS: ADMIN,
        PORT: String(port),
        ...env,
      });
      // Health comes first: Slack's listener answers 503 until Slack is connected.
      await bot.waitForLog('slack: connected');
      const instance: Instance = {
        name,
        bot,
        async ask(command, text = '', asUser = 'U0MEMBER') {
          const id = `${name}-${++asked}`;
          const body = formBody(slashCommandPayload({ command, text, user_id: asUser, response_url: double.responseUrl(id) }));
          const ack = await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, body);
          if (ack.status !== 200) throw new Error(`${name} refused ${command} ${text}: ${ack.status} ${ack.text}`);
          const answer = await double.waitForResponse(id, 10_000);
          return JSON.stringify(answer.body);
        },
      };
      started.push(instance);
      return instance;
    },
    async close() {
      for (const instance of started) instance.bot.child.kill('SIGKILL');
      await Promise.all(started.map((i) => i.bot.exited));
      await double.close();
    },
  };
  // Called inside a test: its bots and double go when that test ends, passed or failed.
  onTestFinished(() => group.close());
  return group;
}

/**
 * Asks until the answer contains `expected`, for at most `withinMs`; returns
 * how long it took. Each try is a real command on the instance.
 */
export async function answersWithin(instance: Instance, command: string, text: string, expected: string, withinMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  for (;;) {
    last = await instance.ask(command, text);
    const took = performance.now() - started;
    if (last.includes(expected)) return took;
    if (took > withinMs) throw new Error(`${instance.name} did not answer ${command} ${text} with “${expected}” within ${withinMs} ms; last answer: ${last.slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Items of the loopback feed of these tests: each names something the others do not. */
export const WIRE_ITEMS = {
  quiet: { title: 'Korea talks: a quiet week', guid: 'quiet', date: 'Mon, 01 Mar 2021 08:00:00 GMT', description: 'Nothing moved on the Korean peninsula.' },
  envoy: {
    title: 'Seoul and Washington discuss an end-of-war declaration',
    guid: 'envoy',
    date: 'Fri, 05 Mar 2021 08:00:00 GMT',
    description:
      'South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration. The Stimson Center said in January that the talks could resume.',
  },
  sanctions: {
    title: 'Korea sanctions review',
    guid: 'sanctions',
    date: 'Fri, 05 Mar 2021 09:00:00 GMT',
    description: 'Lindsey Ford of the Brookings Institution said on Wednesday that sanctions on North Korea would stay.',
  },
  liaison: {
    title: 'Kaesong liaison office talks on the Korean peninsula',
    guid: 'liaison',
    date: 'Sat, 06 Mar 2021 09:00:00 GMT',
    description: 'North and South Korea discussed reopening the Kaesong liaison office, the unification ministry said.',
  },
} as const;

type WireItem = (typeof WIRE_ITEMS)[keyof typeof WIRE_ITEMS];

/** The "Peninsula Wire" feed on loopback, showing the quiet item until `publish` changes what it serves; closed after the test. */
export async function startWire(): Promise<{ server: LoopbackServer; publish(items: WireItem[]): void }> {
  let body = rss([WIRE_ITEMS.quiet], 'Peninsula Wire');
  const server = await startLoopbackServer({ '/wire.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body) });
  onTestFinished(() => server.close());
  return { server, publish: (items) => void (body = rss(items, 'Peninsula Wire')) };
}
