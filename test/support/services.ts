import { join } from 'node:path';
import { readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import type { Services } from '../../src/services.ts';

/**
 * The bot's real services (real corpus from data/, real SQLite in memory),
 * built by the same composition root as production. Pass settings as
 * environment variables, e.g. { DEFAULT_TIMEZONE: 'Europe/London' }.
 */
export async function makeTestServices(env: Record<string, string> = {}): Promise<Services> {
  const config = readConfig({
    STORE_URL: 'sqlite::memory:',
    LOG_LEVEL: 'silent',
    DATA_DIR: join(import.meta.dirname, '..', '..', 'data'),
    ...env,
  });
  return buildServices(config, createLogger(config.LOG_LEVEL));
}
