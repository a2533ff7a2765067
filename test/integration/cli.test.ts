import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('the armistice command line', () => {
  it('GIVEN lines piped to `start` THEN each is answered in order and the bot exits at end of input', async () => {
    const run = await runCli(['start'], { stdin: '/help\n/help help\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('== armistice-bot commands ==');
    expect(run.stdout.indexOf('== armistice-bot commands ==')).toBeLessThan(run.stdout.indexOf('== /help =='));
    // stdout is the chat: logs go to stderr only.
    expect(run.stdout).not.toMatch(/"level":/);
  });

  it('GIVEN a bad line in the console THEN the user sees why and the next line is still answered', async () => {
    const run = await runCli(['start'], { stdin: `/weather\n/timeline from:banana\n${'x'.repeat(10_000)}\n/help\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('There is no command /weather.');
    expect(run.stdout).toContain('too long');
    expect(run.stdout).toContain('== armistice-bot commands ==');
  });

  it('GIVEN `ask` THEN it prints the reply as a user sees it, and the Reply model with --json', async () => {
    const text = await runCli(['ask', '/help']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('/help');
    const json = await runCli(['ask', '/help', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ title: 'armistice-bot commands' });
  });

  it('GIVEN `ask` with a user error THEN the error is the answer and the exit code is 0', async () => {
    const run = await runCli(['ask', '/nonsense', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorCode: 'UNKNOWN_COMMAND', ephemeral: true });
  });

  it('GIVEN misuse of the command line THEN usage goes to stderr with exit code 2', async () => {
    for (const args of [['ask'], ['ask', '/help', '--loud'], ['frobnicate'], ['ask', 'a', 'b']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage: armistice');
    }
  });

  it('GIVEN a bad setting THEN start-up stops with the variable, the problem and an example', async () => {
    const run = await runCli(['start'], { env: { DEFAULT_TIMEZONE: 'Mars/Olympus' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DEFAULT_TIMEZONE');
    expect(run.stderr).toContain('DEFAULT_TIMEZONE=Asia/Seoul');
    expect(run.stderr).not.toContain('    at '); // no stack trace
  });
});
