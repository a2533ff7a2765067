import { constants } from 'node:os';

/**
 * Graceful shutdown: steps registered at start-up (finish in-flight replies,
 * stop the poller and scheduler, release the lease, close the platforms,
 * close the store) run one after another, in the order added, on the first
 * SIGTERM or SIGINT. Then the process exits: 0 when every step finished, 1
 * when one failed or the overall time ran out. A second signal exits at once
 * (128 + the signal's number), for whoever is tired of waiting.
 */

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export type ShutdownStep = () => void | Promise<void>;

export interface ShutdownLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ShutdownOptions {
  /** Time for all steps together. Default 10 s (under the 30 s most supervisors wait before SIGKILL). */
  timeoutMs?: number;
  log?: ShutdownLog;
  /** Default process.exit; tests pass their own. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Adds a step, run after those added before it. */
  add(name: string, step: ShutdownStep): void;
  /** Runs the steps (once: later calls share the first run), then exits. Resolves with the exit code. */
  shutdown(reason?: string): Promise<number>;
  /** Handles SIGTERM and SIGINT as described above. Returns a function that stops listening. */
  listen(signals?: NodeJS.Signals[]): () => void;
  /** True once shutdown has begun: a place to stop accepting new work. */
  readonly stopping: boolean;
}

export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log;
  const steps: Array<{ name: string; step: ShutdownStep }> = [];
  let running: Promise<number> | undefined;

  const runSteps = async (): Promise<number> => {
    let failed = false;
    for (const { name, step } of steps) {
      const started = performance.now();
      try {
        await step();
        log?.info({ step: name, ms: Math.round(performance.now() - started) }, 'shutdown: step done');
      } catch (error) {
        failed = true;
        log?.error({ err: error, step: name }, 'shutdown: step failed (continuing with the next)');
      }
    }
    return failed ? 1 : 0;
  };

  const shutdown = (reason = 'requested'): Promise<number> => {
    running ??= (async () => {
      log?.info({ reason, steps: steps.map((s) => s.name) }, 'shutdown: started');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          log?.error({ timeoutMs }, 'shutdown: steps did not finish in time, exiting anyway');
          resolve(1);
        }, timeoutMs);
      });
      const code = await Promise.race([runSteps(), timedOut]);
      clearTimeout(timer);
      log?.info({ code }, 'shutdown: exiting');
      exit(code);
      return code;
    })();
    return running;
  };

  return {
    add(name, step) {
      steps.push({ name, step });
    },
    shutdown,
    listen(signals = ['SIGTERM', 'SIGINT']) {
      const onSignal = (signal: NodeJS.Signals) => {
        if (running) {
          log?.info({ signal }, 'shutdown: second signal, exiting now');
          exit(128 + (constants.signals[signal] ?? 0));
          return;
        }
        void shutdown(signal);
      };
      for (const signal of signals) process.on(signal, onSignal);
      return () => {
        for (const signal of signals) process.off(signal, onSignal);
      };
    },
    get stopping() {
      return running !== undefined;
    },
  };
}
