import { z } from 'zod';

/**
 * The only reader of the environment. `readConfig(env)` takes the
 * environment as an argument so tests pass their own.
 */

const timeZone = z.string().refine(isTimeZone, { message: 'is not a known IANA time zone' });

const hostPortList = z
  .string()
  .transform((s) => s.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
  .refine((list) => list.every((e) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(e)), {
    message: 'must be a comma-separated list of host:port entries',
  });

const httpUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' });

const optionalSecret = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const schema = z.object({
  DISCORD_TOKEN: optionalSecret,
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, 'must be the numeric application id').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'must be a numeric guild id').optional(),
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  // Sharding: this process runs shard DISCORD_SHARD_ID of DISCORD_SHARD_COUNT (both or neither; checked below).
  DISCORD_SHARD_ID: z.coerce.number().int().min(0).optional(),
  DISCORD_SHARD_COUNT: z.coerce.number().int().min(1).max(10_000).optional(),
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  ADMIN_USER_IDS: z
    .string()
    .prefault('')
    .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean)),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  STORE_URL: z
    .string()
    .default('sqlite://var/armistice.sqlite')
    .refine((u) => /^(sqlite:\/\/.+|sqlite::memory:|redis:\/\/.+|rediss:\/\/.+)$/.test(u), {
      message: 'must start with sqlite:// or redis://',
    }),
  DATA_DIR: z.string().min(1).default('data'),
  DEFAULT_TIMEZONE: timeZone.default('Asia/Seoul'),
  FEED_ALLOWED_HOSTS: hostPortList.prefault(''),
  FEED_POLL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  FEED_MAX_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  FEED_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  // The web dashboard (src/dashboard): the address its sign-in links point at, and the key signing them.
  PUBLIC_URL: httpUrl.transform((u) => u.replace(/\/+$/, '')).optional(),
  DASHBOARD_SECRET: optionalSecret.refine((s) => s === undefined || s.length >= 32, { message: 'must be at least 32 characters' }),
  STORE_KEY_PREFIX: z.string().min(1).default('armistice'),
  CHANGE_LOG_MAX_ENTRIES: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // A platform out of reach is tried again after this many seconds, doubling up to the maximum.
  PLATFORM_RETRY_FIRST_SECONDS: z.coerce.number().min(0.05).max(3600).default(1),
  PLATFORM_RETRY_MAX_SECONDS: z.coerce.number().min(0.05).max(86_400).default(300),
});

export type Config = z.infer<typeof schema>;

/** Examples of good values, quoted in error messages. */
const EXAMPLES: Record<string, string> = {
  DISCORD_APPLICATION_ID: '1234567890123456789',
  DISCORD_GUILD_ID: '1234567890123456789',
  DISCORD_API_URL: 'https://discord.com/api',
  DISCORD_SHARD_ID: '0',
  DISCORD_SHARD_COUNT: '2',
  SLACK_API_URL: 'https://slack.com/api/',
  PORT: '3000',
  STORE_URL: 'sqlite://var/armistice.sqlite or redis://127.0.0.1:6379',
  DATA_DIR: 'data',
  DEFAULT_TIMEZONE: 'Asia/Seoul',
  FEED_ALLOWED_HOSTS: '127.0.0.1:8080,feeds.internal:443',
  FEED_POLL_MINUTES: '10',
  FEED_MAX_BYTES: '5242880',
  FEED_TIMEOUT_MS: '15000',
  STORE_KEY_PREFIX: 'armistice',
  CHANGE_LOG_MAX_ENTRIES: '10000',
  LOG_LEVEL: 'info',
  PLATFORM_RETRY_FIRST_SECONDS: '1',
  PLATFORM_RETRY_MAX_SECONDS: '300',
  PUBLIC_URL: 'https://armistice.example.org',
  DASHBOARD_SECRET: 'the output of `openssl rand -hex 32`',
  ADMIN_USER_IDS: 'U012ABCDEF,U034GHIJKL',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set": .env files often carry `NAME=`.
  const cleaned = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const example = EXAMPLES[name];
      return `${name} ${issue.message}${example ? ` (for example ${name}=${example})` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const config = result.data;
  const slackPartial = Boolean(config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET) !== Boolean(config.SLACK_BOT_TOKEN);
  if (slackPartial) {
    throw new ConfigError([
      'SLACK_BOT_TOKEN and one of SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) go together (for example SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-...)',
    ]);
  }
  if (config.DISCORD_TOKEN && !config.DISCORD_APPLICATION_ID) {
    throw new ConfigError([
      `DISCORD_APPLICATION_ID is required with DISCORD_TOKEN (for example DISCORD_APPLICATION_ID=${EXAMPLES.DISCORD_APPLICATION_ID})`,
    ]);
  }
  const shardProblem = shardingProblem(config);
  if (shardProblem) throw new ConfigError([shardProblem]);
  return config;
}

/** DISCORD_SHARD_ID and DISCORD_SHARD_COUNT go together, and the id is one of the count's shards. */
function shardingProblem(config: Pick<Config, 'DISCORD_SHARD_ID' | 'DISCORD_SHARD_COUNT'>): string | undefined {
  const id = config.DISCORD_SHARD_ID;
  const count = config.DISCORD_SHARD_COUNT;
  if ((id === undefined) !== (count === undefined)) {
    return 'DISCORD_SHARD_ID and DISCORD_SHARD_COUNT go together: set both to run one shard per process, or neither to run a single shard (for example DISCORD_SHARD_ID=0 DISCORD_SHARD_COUNT=2)';
  }
  if (id !== undefined && count !== undefined && id >= count) {
    return `DISCORD_SHARD_ID must be below DISCORD_SHARD_COUNT: shards are numbered 0 to ${count - 1} (for example DISCORD_SHARD_ID=${count - 1} DISCORD_SHARD_COUNT=${count})`;
  }
  return undefined;
}

/** The names of the settings that hold secrets: never logged. */
export const SECRET_SETTINGS = ['DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DASHBOARD_SECRET'] as const;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}
