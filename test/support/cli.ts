import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const projectRoot = join(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI test starts from: nothing of this shell but PATH and HOME, the store in memory. */
const CLI_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' };

/**
 * Runs the real `armistice` command in a child process, as a user would.
 * The store is in memory unless the test says otherwise.
 */
export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  return runNode([join(projectRoot, 'bin', 'armistice.mjs'), ...args], { cwd: options.cwd, stdin: options.stdin, env: { ...CLI_ENV, ...options.env } });
}

/** Runs `node <argv…>` in a child process with exactly `env` (default: the CLI tests' own) and collects what it prints. */
export function runNode(argv: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: options.cwd ?? projectRoot, env: options.env ?? CLI_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
