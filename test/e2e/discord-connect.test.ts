import { afterEach, describe, expect, it } from 'vitest';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';
import { makeTestServices } from '../support/services.ts';
import { startDiscord } from '../../src/platform/discord/client.ts';
import type { Services } from '../../src/services.ts';

let double: DiscordDouble | undefined;
let services: Services | undefined;

afterEach(async () => {
  await services?.close();
  await double?.close();
});

describe('Discord: connecting fails with a reason', () => {
  it('GIVEN a token Discord does not accept WHEN starting THEN startDiscord rejects saying the token is invalid', async () => {
    double = await DiscordDouble.start({ token: 'the-right-token' });
    services = await makeTestServices({ ...discordEnv(double), DISCORD_TOKEN: 'a-wrong-token' });
    await expect(startDiscord(services)).rejects.toThrow(/invalid token/i);
    expect(double.requests.map((r) => r.path)).toEqual(['/api/v10/gateway/bot']);
  });

  // discord.js keeps retrying an unreachable gateway even after destroy();
  // the CLI exits after a failed start, so the retries end with the process.
  it('GIVEN an unreachable gateway WHEN starting THEN startDiscord gives up with the URL it tried', async () => {
    double = await DiscordDouble.start({ gatewayUrl: 'ws://127.0.0.1:1/gateway' });
    services = await makeTestServices(discordEnv(double));
    await expect(startDiscord(services, { connectTimeoutMs: 300 })).rejects.toThrow(
      `could not connect to the Discord gateway within 0.3 s (DISCORD_API_URL=${double.apiUrl})`,
    );
  });
});
