import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { DiscordDouble, discordEnv } from '../support/discord-double.ts';
import { commandsToJSON, deployCommands, deployCommandsCli } from '../../src/platform/discord/registration.ts';
import { readConfig } from '../../src/config.ts';
import { allCommands } from '../../commands/index.ts';

let double: DiscordDouble;

beforeEach(async () => {
  double = await DiscordDouble.start();
});

afterEach(async () => {
  await double.close();
});

const writes = () => double.requests.filter((r) => r.method === 'PUT');

describe('Discord: deploy-commands', () => {
  it('GIVEN nothing registered WHEN deployed twice THEN the first deploy writes every command and the second writes nothing', async () => {
    const config = readConfig(discordEnv(double));
    expect(await deployCommands(config)).toEqual({ scope: 'global', changed: true, count: allCommands.length });
    expect(writes()).toHaveLength(1);
    expect(writes()[0]!.path).toBe(`/api/v10/applications/${double.applicationId}/commands`);
    expect(writes()[0]!.body).toEqual(commandsToJSON(allCommands));

    expect(await deployCommands(config)).toEqual({ scope: 'global', changed: false, count: allCommands.length });
    expect(writes()).toHaveLength(1);
    const reads = double.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/commands'));
    expect(reads.map((r) => r.query.get('with_localizations'))).toEqual(['true', 'true']);
  });

  it('GIVEN the /help declaration WHEN deployed THEN its JSON has the Korean localisation and its option', async () => {
    await deployCommands(readConfig(discordEnv(double)));
    const help = (writes()[0]!.body as Array<{ name: string }>).find((c) => c.name === 'help');
    expect(help).toEqual({
      name: 'help',
      description: 'List the commands, or explain one',
      type: 1,
      options: [{ type: 3, name: 'command', description: 'A command to explain', max_length: 40 }],
      name_localizations: { ko: '도움말' },
      description_localizations: { ko: '명령어 목록과 사용법' },
    });
  });

  it('GIVEN a declaration that changed WHEN deployed THEN it writes again', async () => {
    const config = readConfig(discordEnv(double));
    await deployCommands(config, { commands: allCommands.slice(0, 1) });
    await deployCommands(config);
    expect(writes()).toHaveLength(2);
  });

  it('GIVEN `deploy-commands --guild ID` WHEN run THEN it registers in that server and says so', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const env = discordEnv(double);
    expect(await deployCommandsCli(['--guild', double.guildId], { stdout, stderr, env })).toBe(0);
    expect(await deployCommandsCli([], { stdout, stderr, env: { ...env, DISCORD_GUILD_ID: double.guildId } })).toBe(0);
    expect(String(stdout.read())).toBe(
      `Registered ${allCommands.length} commands for server ${double.guildId}.\n` +
        `The ${allCommands.length} commands registered for server ${double.guildId} are up to date; nothing written.\n`,
    );
    expect(writes().map((r) => r.path)).toEqual([`/api/v10/applications/${double.applicationId}/guilds/${double.guildId}/commands`]);
  });

  it('GIVEN a bad --guild value WHEN run THEN it is a usage error (exit 2) and nothing is sent', async () => {
    const stderr = new PassThrough();
    expect(await deployCommandsCli(['--guild', 'general'], { stdout: new PassThrough(), stderr, env: discordEnv(double) })).toBe(2);
    expect(String(stderr.read())).toContain('--guild takes a numeric server id');
    expect(double.requests).toHaveLength(0);
  });
});
