import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** Spawns test/support/lease-contender.ts processes and follows what they print. */

const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface ContenderEvent {
  /** 'elected', 'work', 'demoted', 'store' (lease-contender.ts); 'delivered', 'week-done' (schedule-instance.ts). */
  event: string;
  token?: number;
  reason?: string;
  ok?: boolean;
  seen?: string;
  tick?: string;
  at: number;
  /** Which contender printed it. */
  who: string;
}

export interface Contender {
  who: string;
  child: ChildProcess;
  events: ContenderEvent[];
  /** Resolves with the first event (from now on, or already seen when `past`) matching `test`. */
  next(test: (e: ContenderEvent) => boolean, options?: { past?: boolean; timeoutMs?: number }): Promise<ContenderEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

export interface LeaseSettings {
  storeUrl: string;
  keyPrefix: string;
  leaseName: string;
  ttlMs: number;
  renewEveryMs: number;
  retryEveryMs: number;
}

const running = new Set<ChildProcess>();
// Never leave a contender behind, even if the test process ends abruptly.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startContender(who: string, settings: LeaseSettings, storeUrl = settings.storeUrl): Contender {
  const args = [storeUrl, settings.keyPrefix, settings.leaseName, who, settings.ttlMs, settings.renewEveryMs, settings.retryEveryMs];
  return startWatched(who, 'lease-contender.ts', args.map(String));
}

/** Runs test/support/<script> as a separate process and follows the JSON lines it prints. */
export function startWatched(who: string, script: string, args: string[]): Contender {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', join('test', 'support', script), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  const events: ContenderEvent[] = [];
  const watchers = new Set<(e: ContenderEvent) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = { ...(JSON.parse(line) as Omit<ContenderEvent, 'who'>), who };
    events.push(event);
    for (const watch of watchers) watch(event);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    // 'close': the process has exited and everything it printed has been read.
    child.once('close', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  return {
    who,
    child,
    events,
    exited,
    kill: (signal) => void child.kill(signal),
    next(test, { past = false, timeoutMs = 10_000 } = {}) {
      const seen = past ? events.find(test) : undefined;
      if (seen) return Promise.resolve(seen);
      return new Promise((resolveEvent, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`${who}: no matching event within ${timeoutMs} ms; saw ${JSON.stringify(events.filter((e) => e.event !== 'work'))}`));
        }, timeoutMs);
        const watch = (event: ContenderEvent) => {
          if (!test(event)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolveEvent(event);
        };
        watchers.add(watch);
        void exited.then(() => {
          if (!watchers.delete(watch)) return;
          clearTimeout(timer);
          reject(new Error(`${who} exited while waiting; saw ${JSON.stringify(events.filter((e) => e.event !== 'work'))}`));
        });
      });
    },
  };
}

/** A tenure as the logs show it: from election to the last unit of work (or post) done under that token. */
export interface Tenure {
  who: string;
  token: number;
  from: number;
  to: number;
}

export function tenures(contenders: Contender[]): Tenure[] {
  const byToken = new Map<number, Tenure>();
  for (const { who, events } of contenders) {
    for (const e of events) {
      if (!['elected', 'work', 'delivered'].includes(e.event) || e.token === undefined) continue;
      const tenure = byToken.get(e.token);
      if (tenure && tenure.who !== who) throw new Error(`token ${e.token} used by both ${tenure.who} and ${who}`);
      if (!tenure) byToken.set(e.token, { who, token: e.token, from: e.at, to: e.at });
      else {
        tenure.from = Math.min(tenure.from, e.at);
        tenure.to = Math.max(tenure.to, e.at);
      }
    }
  }
  return [...byToken.values()].sort((a, b) => a.token - b.token);
}

/** Pairs of tenures that overlap in time (there must be none); also true when a later token's tenure starts before an earlier one's. */
export function overlaps(list: Tenure[]): Array<[Tenure, Tenure]> {
  const found: Array<[Tenure, Tenure]> = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (list[j]!.from <= list[i]!.to) found.push([list[i]!, list[j]!]);
    }
  }
  return found;
}
