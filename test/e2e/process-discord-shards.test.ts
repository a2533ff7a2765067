import { describe, expect, it } from 'vitest';
import { freePort } from '../support/bot-process.ts';
import { processRun } from '../support/process-run.ts';
import { DiscordDouble, discordEnv, shardOf } from '../support/discord-double.ts';

/**
 * Discord sharding as an operator runs it: two `armistice start` processes
 * with DISCORD_SHARD_ID 0 and 1 of DISCORD_SHARD_COUNT 2, sharing one store.
 * Each identifies as its own shard, receives only its guild's events, and
 * answers that guild's commands; DMs go to shard 0. Each process's /metrics
 * shows what it answered.
 */

const run = processRun('armistice-process-shards-');

async function metricsOf(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

/** `armistice_commands_total` for one command, 0 when absent. */
function answered(metrics: string, command: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`armistice_commands_total{command="${command}",result="ok"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('two Discord shards, one process each', () => {
  it('each identifies as its shard, gets its own guild, and answers that guild’s commands', { timeout: 60_000 }, async () => {
    // Two guilds one apart in the timestamp bits: one on each of two shards.
    const first = '900000000000000003';
    const second = String(BigInt(first) + (1n << 22n));
    const double = run.own(await DiscordDouble.start({ guildId: first, extraGuildIds: [second], recommendedShards: 2 }));
    const guildOfShard = [first, second].sort((a, b) => shardOf(a, 2) - shardOf(b, 2));
    expect(guildOfShard.map((g) => shardOf(g, 2))).toEqual([0, 1]);

    const storeUrl = run.storeUrl('shared.sqlite');
    const ports = [await freePort(), await freePort()];
    const bots = [0, 1].map((shard) =>
      run.start({
        ...discordEnv(double),
        STORE_URL: storeUrl,
        PORT: String(ports[shard]),
        DISCORD_SHARD_ID: String(shard),
        DISCORD_SHARD_COUNT: '2',
      }),
    );
    await Promise.all([double.whenReady(0), double.whenReady(1)]);
    const connected = await Promise.all(bots.map((b) => b.waitForLog('connected to Discord')));
    await Promise.all(bots.map((b) => b.waitForLog('armistice-bot is running')));

    expect(double.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each process holds only the guild of its shard.
    expect(connected.map((line) => [line.shards, line.shardCount, line.guilds])).toEqual([
      [[0], 2, 1],
      [[1], 2, 1],
    ]);

    const onShard0 = double.chatInput({ name: 'help', guildId: guildOfShard[0] });
    const onShard1 = double.chatInput({ name: 'anniversaries', guildId: guildOfShard[1] });
    const inDm = double.chatInput({ name: 'help', user: { id: '900000000000000011', username: 'dm-reader' } });
    for (const sent of [onShard0, onShard1, inDm]) expect((await double.waitForCallback(sent, 10_000)).method).toBe('POST');

    // Who answered what: shard 0 its guild's /help and the DM, shard 1 its guild's /anniversaries.
    const [metrics0, metrics1] = (await Promise.all(ports.map(metricsOf))) as [string, string];
    expect([answered(metrics0, '/help'), answered(metrics0, '/anniversaries')]).toEqual([2, 0]);
    expect([answered(metrics1, '/help'), answered(metrics1, '/anniversaries')]).toEqual([0, 1]);
    // Each interaction was answered once.
    expect([onShard0, onShard1, inDm].map((s) => double!.requestsFor(s).filter((r) => r.path.endsWith('/callback')).length)).toEqual([1, 1, 1]);

    // The two share the store: one of them runs the poller and the scheduler.
    const leading = await Promise.all(ports.map(async (port) => /^armistice_lease_holder 1$/m.test(await metricsOf(port))));
    expect(leading.filter(Boolean)).toHaveLength(1);

    for (const bot of bots) bot.child.kill('SIGTERM');
    expect(await Promise.all(bots.map((b) => b.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});
