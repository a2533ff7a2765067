import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function problemsOf(env: Record<string, string>): string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('GIVEN no environment THEN the defaults run a console bot on SQLite in Asia/Seoul', () => {
    const config = readConfig({});
    expect(config.STORE_URL).toBe('sqlite://var/armistice.sqlite');
    expect(config.DEFAULT_TIMEZONE).toBe('Asia/Seoul');
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.FEED_ALLOWED_HOSTS).toEqual([]);
    expect(config.FEED_MAX_BYTES).toBe(5 * 1024 * 1024);
  });

  it('GIVEN a bad value THEN the message names the variable, the problem and a good example', () => {
    const [problem] = problemsOf({ DEFAULT_TIMEZONE: 'Mars/Olympus' });
    expect(problem).toContain('DEFAULT_TIMEZONE');
    expect(problem).toContain('time zone');
    expect(problem).toContain('DEFAULT_TIMEZONE=Asia/Seoul');
  });

  it('GIVEN several bad values THEN each is reported', () => {
    const problems = problemsOf({ PORT: 'eighty', STORE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'STORE_URL', 'LOG_LEVEL']);
  });

  it('GIVEN a Discord token without application id THEN start-up says what is missing', () => {
    expect(problemsOf({ DISCORD_TOKEN: 'x' })[0]).toContain('DISCORD_APPLICATION_ID');
  });

  it('GIVEN half a Slack setup THEN start-up says which tokens go together', () => {
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1' })[0]).toContain('SLACK_BOT_TOKEN');
  });

  it('GIVEN Discord shard settings THEN both or neither, and the id is one of the count', () => {
    const sharded = readConfig({ DISCORD_SHARD_ID: '1', DISCORD_SHARD_COUNT: '2' });
    expect([sharded.DISCORD_SHARD_ID, sharded.DISCORD_SHARD_COUNT]).toEqual([1, 2]);
    const single = readConfig({ DISCORD_SHARD_ID: '', DISCORD_SHARD_COUNT: '' });
    expect([single.DISCORD_SHARD_ID, single.DISCORD_SHARD_COUNT]).toEqual([undefined, undefined]);
    expect(problemsOf({ DISCORD_SHARD_ID: '0' })[0]).toContain('DISCORD_SHARD_ID and DISCORD_SHARD_COUNT go together');
    expect(problemsOf({ DISCORD_SHARD_COUNT: '2' })[0]).toContain('go together');
    expect(problemsOf({ DISCORD_SHARD_ID: '2', DISCORD_SHARD_COUNT: '2' })[0]).toContain('shards are numbered 0 to 1');
    expect(problemsOf({ DISCORD_SHARD_ID: '-1', DISCORD_SHARD_COUNT: '2' })[0]).toMatch(/^DISCORD_SHARD_ID .*DISCORD_SHARD_ID=0/);
    expect(problemsOf({ DISCORD_SHARD_ID: '0', DISCORD_SHARD_COUNT: '0' })[0]).toMatch(/^DISCORD_SHARD_COUNT /);
  });

  it('GIVEN FEED_ALLOWED_HOSTS THEN it is a list of host:port, and junk is refused', () => {
    expect(readConfig({ FEED_ALLOWED_HOSTS: '127.0.0.1:8080, Feeds.Local:443' }).FEED_ALLOWED_HOSTS).toEqual([
      '127.0.0.1:8080',
      'feeds.local:443',
    ]);
    expect(problemsOf({ FEED_ALLOWED_HOSTS: 'localhost' })[0]).toContain('host:port');
  });

  it('every setting the schema knows is explained in .env.example', () => {
    const example = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'config.ts'), 'utf8');
    const known = [...source.matchAll(/^ {2}([A-Z][A-Z_]+):/gm)].map((m) => m[1]);
    expect(known.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual([...new Set(known)].sort());
  });

  it('every setting the schema knows has a row in the README settings table', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'config.ts'), 'utf8');
    const known = [...new Set([...source.matchAll(/^ {2}([A-Z][A-Z_]+):/gm)].map((m) => m[1]))];
    expect(rows.sort()).toEqual(known.sort());
  });
});
