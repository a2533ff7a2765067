import pino from 'pino';
import { SECRET_SETTINGS } from './config.ts';
import { printAbovePrompt } from './ops/above-prompt.ts';

export type Logger = pino.Logger;

/**
 * Logs go to stderr as JSON lines so the console chat on stdout stays clean
 * (and above its prompt, see ops/above-prompt.ts). Known secret fields are
 * redacted wherever they appear.
 */
export function createLogger(level: string, stream: NodeJS.WritableStream = process.stderr): Logger {
  const destination = { write: (line: string) => printAbovePrompt(() => stream.write(line)) };
  const secretPaths = SECRET_SETTINGS.flatMap((name) => [name, `*.${name}`]);
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [...secretPaths, 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream,
  );
}
