import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.ts';

/**
 * Bolt, the Web API client and the Socket Mode client log through this
 * adapter into the bot's pino logger, so their lines carry the same redaction
 * of secrets and go to the same place.
 */
export function boltLogger(log: Logger): BoltLogger {
  const write = (wanted: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const error = msg.find((m): m is Error => m instanceof Error);
    const text = msg.filter((m) => !(m instanceof Error)).map(String).join(' ');
    const level = RETOLD.test(text) ? 'debug' : wanted;
    if (!log.isLevelEnabled(level)) return;
    if (error) log[level]({ err: error }, text || error.message);
    else log[level](text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // The level is pino's; Bolt's setLevel calls are ignored on purpose.
    setLevel() {},
    getLevel() {
      if (log.isLevelEnabled('debug')) return LogLevel.DEBUG;
      if (log.isLevelEnabled('info')) return LogLevel.INFO;
      if (log.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName() {},
  };
}

/**
 * Lines about one try of a call whose outcome the bot logs itself, in one
 * line saying what it does next (supervise.ts, notifier.ts): at debug, so an
 * outage is one line per attempt, not four.
 */
const RETOLD = /^(http request failed|Failed to retrieve a new WSS URL)/;
