import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A private redis-server on 127.0.0.1:`port` (no persistence, like the
 * machine's), resolved once it accepts connections: for tests that stop,
 * restart or flush Redis, which they must never do to the shared one.
 */
export async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never leave a server behind, even if this test process ends abruptly.
  process.once('exit', () => server.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (status) => reject(new Error(`redis-server exited with ${status}: ${output}`)));
  });
  return server;
}

export async function stopRedis(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGKILL');
  await exited;
}
