import { createShutdown } from '../../src/ops/shutdown.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { runTick } from '../../src/schedule/run-tick.ts';
import { Schedule } from '../../src/schedule/schedule.ts';
import { createLease, runAsLeader } from '../../src/store/lease.ts';
import { openStore } from '../../src/store/open.ts';
import { recordingLog } from './schedule-harness.ts';
import { seenAs, TICK_MS, WEEK_END, WEEK_START, weekEvents } from './schedule-week.ts';

/**
 * One bot instance for the scheduler fault tests: it contends for the
 * scheduler lease and, while leading, runs the simulated week's ticks one
 * after another, continuing from the last tick recorded in the store (where
 * the previous leader stopped). Its notifier "delivers" by printing, then
 * waits `postDelayMs` for the platform's confirmation. JSON lines on stdout:
 *   {"event":"elected"|"demoted","token":..}
 *   {"event":"delivered","seen":"<channel>\n<text>","tick":"<ISO>","token":3}   token: the lease's, if leading
 *   {"event":"week-done"}
 * SIGTERM: finish the tick in progress, release the lease, close the store, exit 0.
 *
 * Arguments: <storeUrl> <keyPrefix> <holderId> <ttlMs> <postDelayMs>
 */
const [storeUrl, keyPrefix, holderId, ttl, postDelay] = process.argv.slice(2);
const say = (event: Record<string, unknown>) => console.log(JSON.stringify({ ...event, at: Date.now() }));

const store = await openStore(storeUrl!, { keyPrefix });
const schedule = new Schedule(store, weekEvents);
let currentTick: string | undefined;
const notifier = {
  async post(channel: string, reply: Reply) {
    say({ event: 'delivered', seen: seenAs(channel, reply), tick: currentTick, token: leadership.token });
    await new Promise((resolve) => setTimeout(resolve, Number(postDelay)));
    return { ok: true as const };
  },
};
const services = { schedule, notifier, log: recordingLog() };

let stopping = false;
let ticking: Promise<void> | undefined;
async function tickThroughTheWeek(): Promise<void> {
  while (!stopping && leadership.isLeader()) {
    const last = (await schedule.state.get('clock'))?.lastTickAt;
    const next = last ? Date.parse(last) + TICK_MS : WEEK_START;
    if (next >= WEEK_END) return say({ event: 'week-done' });
    currentTick = new Date(next).toISOString();
    await runTick(services, new Date(next));
  }
}

const ttlMs = Number(ttl);
const leadership = runAsLeader({
  lease: createLease(store, 'scheduler', holderId, ttlMs),
  renewEveryMs: Math.floor(ttlMs / 5),
  retryEveryMs: Math.floor(ttlMs / 6),
  onElected: (token) => {
    say({ event: 'elected', token });
    ticking ??= tickThroughTheWeek()
      .catch((error: unknown) => say({ event: 'tick-failed', error: String(error) }))
      .finally(() => (ticking = undefined));
  },
  onDemoted: (reason, token) => say({ event: 'demoted', token, reason }),
});

const shutdown = createShutdown({ timeoutMs: 5000 });
shutdown.add('stop the scheduler (the tick in progress finishes)', async () => {
  stopping = true;
  await ticking;
});
shutdown.add('stop leading and release the lease', () => leadership.stop());
shutdown.add('close store', () => store.close());
shutdown.listen();
