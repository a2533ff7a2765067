import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allCommands } from '../../commands/index.ts';
import { MANIFEST_LIMITS, renderManifestYaml, slackManifest } from '../../src/platform/slack/manifest.ts';

const manifestFile = join(import.meta.dirname, '..', '..', 'slack-app-manifest.yaml');

describe('Slack app manifest', () => {
  it('GIVEN the command declarations WHEN compared with slack-app-manifest.yaml THEN they match (regenerate with write-manifest.ts)', () => {
    const committed = readFileSync(manifestFile, 'utf8');
    expect(
      committed,
      'slack-app-manifest.yaml is out of date: run `node bin/run-ts.mjs src/platform/slack/write-manifest.ts`',
    ).toBe(renderManifestYaml(allCommands));
  });

  it('offers every command as its own slash command and all of them under /armistice', () => {
    const manifest = parse(readFileSync(manifestFile, 'utf8'));
    const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(commands).toEqual([...allCommands.map((c) => `/${c.name}`), '/armistice']);
    expect(commands.length).toBeLessThanOrEqual(MANIFEST_LIMITS.commands);
    for (const command of manifest.features.slash_commands) {
      expect(command.command.length).toBeLessThanOrEqual(MANIFEST_LIMITS.commandName);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(MANIFEST_LIMITS.description);
      expect((command.usage_hint ?? '').length).toBeLessThanOrEqual(MANIFEST_LIMITS.usageHint);
      expect(command.should_escape).toBe(false);
    }
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('asks only for the scopes the bot uses, with Socket Mode and interactivity on', () => {
    const manifest = parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'chat:write.public', 'users:read', 'files:write']);
    expect(manifest.settings).toEqual({
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    });
  });

  it('GIVEN a request URL WHEN generated for HTTP mode THEN every command and interactivity point at it and Socket Mode is off', () => {
    const url = 'https://bot.example.org/slack/events';
    const manifest = slackManifest(allCommands, { requestUrl: url });
    expect(manifest.features.slash_commands.every((c) => 'url' in c && c.url === url)).toBe(true);
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true, request_url: url }, socket_mode_enabled: false });
  });
});
