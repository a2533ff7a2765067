import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { once } from 'node:events';
import { DiscordDouble, discordEnv, type SentInteraction } from '../test/support/discord-double.ts';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { buildServices } from '../src/main.ts';
import { startDiscord } from '../src/platform/discord/client.ts';
import { figure, percentile, type Figure } from './figures.ts';
import { tsWorkerUrl } from './ts-worker.ts';

const root = join(import.meta.dirname, '..');

/**
 * 200 slash commands dispatched at once on the gateway of the Discord test
 * double, answered by the real discord.js client and the real services:
 * the time from the double sending INTERACTION_CREATE to it receiving the
 * interaction callback (what Discord's 3-second window measures).
 *
 * The double runs in a worker thread, as Discord runs elsewhere: the bot's
 * thread carries only the bot's work. The first burst (new HTTP
 * connections, a cold JIT) is not counted; the second is.
 */
export async function run(count = 200): Promise<Figure[]> {
  const worker = new Worker(tsWorkerUrl(import.meta.url), { workerData: { role: 'discord-double', count } });
  try {
    const [env] = (await once(worker, 'message')) as [Record<string, string>];
    const config = readConfig({ ...env, STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', DATA_DIR: join(root, 'data') });
    const services = await buildServices(config, createLogger('silent'));
    const bot = await startDiscord(services);
    try {
      const burst = async (): Promise<number[]> => {
        worker.postMessage('burst');
        const [samples] = (await once(worker, 'message')) as [number[]];
        return samples;
      };
      await burst();
      const samples = await burst();
      return [
        figure(`Discord: ${count} interactions at once, dispatch to callback p50`, percentile(samples, 50), 'ms', 250),
        figure(`Discord: ${count} interactions at once, dispatch to callback p99`, percentile(samples, 99), 'ms', 250),
        figure(`Discord: ${count} interactions at once, slowest`, Math.max(...samples), 'ms', 3000),
      ];
    } finally {
      await bot.stop();
      await services.close();
    }
  } finally {
    await worker.terminate();
  }
}

/** The worker's side: the double, bursts on request, latencies back. */
async function serveDouble(count: number): Promise<void> {
  const double = await DiscordDouble.start({ heartbeatMs: 5000 });
  // A mix of what people ask: the list, a search, one article.
  const asks: Array<{ name: string; options?: Record<string, string> }> = [
    { name: 'help' },
    { name: 'news', options: { query: 'peace treaty' } },
    { name: 'source', options: { id: '004' } },
  ];
  parentPort!.on('message', async () => {
    const sent: SentInteraction[] = [];
    for (let i = 0; i < count; i++) sent.push(double.chatInput(asks[i % asks.length]!));
    const callbacks = await Promise.all(sent.map((s) => double.waitForCallback(s, 10_000)));
    parentPort!.postMessage(callbacks.map((callback, i) => callback.at - sent[i]!.sentAt));
  });
  parentPort!.postMessage(discordEnv(double));
}

if (!isMainThread && workerData?.role === 'discord-double') {
  await serveDouble(workerData.count);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await run());
}
