import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { webApi } from '@slack/bolt';
import { beforeAll, describe, expect, it } from 'vitest';
import { debugDetails, failureLine } from '../../src/cli-failure.ts';
import { StoreError } from '../../src/store/store.ts';

/** The one line an operator reads, for real errors of the kinds a subcommand meets. */

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

let closedPort: number;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});

describe('failureLine', () => {
  it('GIVEN fetch to a closed loopback port (undici, the cause carries the address) THEN it names the address and the reason', async () => {
    const error = await caught(() => fetch(`http://127.0.0.1:${closedPort}/`));
    expect(failureLine('deploy-commands', error)).toBe(
      `armistice deploy-commands: cannot reach 127.0.0.1:${closedPort}: connection refused — check DISCORD_API_URL (if set), the proxy and that Discord is reachable from this machine.`,
    );
  });

  it('GIVEN a Slack Web API request error wrapped with a message of our own THEN the network cause wins over the wrapper', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: `http://127.0.0.1:${closedPort}/api/`, retryConfig: { retries: 0 } });
    const slack = await caught(() => client.auth.test());
    const wrapped = new Error('Slack refused SLACK_BOT_TOKEN (auth.test)', { cause: slack });
    expect(failureLine('start', wrapped)).toMatch(new RegExp(`^armistice start: cannot reach 127\\.0\\.0\\.1:${closedPort}: connection refused — check DISCORD_API_URL / SLACK_API_URL`));
  });

  it('GIVEN a missing file THEN the path and what is wrong with it', async () => {
    const error = await caught(() => readFileSync('/nonexistent-armistice/data.yaml'));
    expect(failureLine('check-data', error)).toBe(
      'armistice check-data: /nonexistent-armistice/data.yaml: does not exist (open) — check DATA_DIR and STORE_URL, and the permissions of the files and folders they name.',
    );
  });

  it('GIVEN a store error THEN its message, with STORE_URL as the fix', () => {
    const line = failureLine('ask', new StoreError('Could not list feeds in the redis store at redis://127.0.0.1:1: Redis at redis://127.0.0.1:1 is not reachable (reconnecting in the background)'));
    expect(line).toBe(
      'armistice ask: Could not list feeds in the redis store at redis://127.0.0.1:1: Redis at redis://127.0.0.1:1 is not reachable — check STORE_URL and that Redis runs and accepts connections there.',
    );
  });

  it('GIVEN a message written for operators (plain Error) THEN it stands as it is; a TypeError is called a bug; always one line', () => {
    expect(failureLine('start', new Error('PORT 80 is in use:\nchoose another'))).toBe('armistice start: PORT 80 is in use: choose another (details with LOG_LEVEL=debug)');
    const bug = failureLine('tick', new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(bug).toMatch(/^armistice tick: TypeError: Cannot read properties .* \(this looks like a bug: run again with LOG_LEVEL=debug/);
    expect(failureLine('poll', 'a string was thrown')).toBe('armistice poll: a string was thrown (details with LOG_LEVEL=debug)');
  });

  it('GIVEN a Slack request error (its axios cause holds the request with the token) THEN the debug details carry the stacks, never the token', async () => {
    const client = new webApi.WebClient('xoxb-never-logged', { slackApiUrl: `http://127.0.0.1:${closedPort}/api/`, retryConfig: { retries: 0 } });
    const slack = await caught(() => client.auth.test());
    // The raw error does hold it (so serialising it whole would leak it)...
    expect(JSON.stringify((slack as { original?: { config?: unknown } }).original?.config ?? {})).toContain('xoxb-never-logged');
    const details = debugDetails(new Error('Slack could not be reached', { cause: slack }));
    expect(JSON.stringify(details)).not.toContain('xoxb-never-logged');
    expect(details.stack).toMatch(/^Error: Slack could not be reached\n\s+at [\s\S]*caused by: Error: A request error occurred/);
  });

  it('GIVEN the health port is taken THEN it says so and names PORT', async () => {
    const first = createServer();
    await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
    const { port } = first.address() as { port: number };
    const second = createServer();
    const error = await new Promise<unknown>((resolve) => second.once('error', resolve).listen(port, '127.0.0.1'));
    await new Promise((resolve) => first.close(resolve));
    expect(failureLine('start', error)).toBe(
      `armistice start: cannot listen on port ${port}: another process already uses it — set PORT to a free port (above 1023 unless the bot may bind privileged ports), or stop the other process.`,
    );
  });
});
