import { createShutdown } from '../../src/ops/shutdown.ts';
import { InFlight } from '../../src/ops/in-flight.ts';

/**
 * A process with the shutdown coordinator listening for signals, for
 * ops-shutdown.test.ts. It prints "ready" once listening, then one line per
 * step as it runs. Argument: "hang" makes the second step never finish.
 */
const mode = process.argv[2] ?? 'normal';
const replies = new InFlight();
const shutdown = createShutdown({ timeoutMs: 5000 });
shutdown.add('finish in-flight replies', async () => {
  console.log(`draining ${replies.size} reply`);
  await replies.idle();
  console.log('replies drained');
});
shutdown.add('stop scheduler', () => (mode === 'hang' ? new Promise<void>(() => console.log('stop scheduler hangs')) : void console.log('scheduler stopped')));
shutdown.add('release lease', () => void console.log('lease released'));
shutdown.add('close store', () => void console.log('store closed'));
shutdown.listen();

// A reply still being written when the signal arrives: it finishes shortly after.
void replies.run(
  () =>
    new Promise<void>((resolve) => {
      const finish = () => setTimeout(() => (console.log('reply sent'), resolve()), 100);
      process.once('SIGTERM', finish).once('SIGINT', finish);
    }),
);
// Something keeps the process alive, as a connected bot would.
setInterval(() => undefined, 1000);
console.log('ready');
