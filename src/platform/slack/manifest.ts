import { stringify } from 'yaml';
import type { CommandSpec } from '../../router/command.ts';
import { usageLine } from '../../router/usage.ts';
import { UMBRELLA_COMMAND } from './handlers.ts';

/**
 * The Slack app manifest, generated from the command declarations so the
 * slash commands Slack shows can never drift from the ones the bot answers.
 * slack-app-manifest.yaml at the repository root is this output (Socket
 * Mode); test/unit/slack-manifest.test.ts fails when it is out of date.
 * Regenerate: node bin/run-ts.mjs src/platform/slack/write-manifest.ts
 */
export interface ManifestOptions {
  /**
   * HTTP mode: the public URL of /slack/events. Without it the manifest
   * enables Socket Mode, which needs no public URL.
   */
  requestUrl?: string;
}

export const BOT_DISPLAY_NAME = 'armistice';

/**
 * commands: slash commands; chat:write: answers, digests and reminders;
 * chat:write.public: post digests to public channels without being invited
 * (a channel subscribed with /subscribe keeps working even if nobody invited
 * the bot; private channels still need an /invite); users:read: tell
 * workspace admins and owners apart for admin commands; files:write: upload
 * pictures (/timeline picture:true) with files.getUploadURLExternal and
 * files.completeUploadExternal.
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'users:read', 'files:write'] as const;

/** Slack's manifest limits (as documented in @slack/web-api's manifest types). */
export const MANIFEST_LIMITS = { commands: 50, commandName: 32, description: 2000, usageHint: 1000 } as const;

export function slackManifest(commands: readonly CommandSpec[], options: ManifestOptions = {}) {
  const url = options.requestUrl ? { url: options.requestUrl } : {};
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'armistice-bot',
      description: 'Cited answers about the Korean peace process, news digests and anniversary reminders.',
      background_color: '#1f3a5f',
    },
    features: {
      bot_user: { display_name: BOT_DISPLAY_NAME, always_online: true },
      slash_commands: [
        ...commands.map((c) => ({
          command: `/${c.name}`,
          ...url,
          description: clip(`${c.description}${c.admin ? ' (admins)' : ''}`, MANIFEST_LIMITS.description),
          ...usageHint(c),
          should_escape: false,
        })),
        {
          command: `/${UMBRELLA_COMMAND}`,
          ...url,
          description: 'Every armistice-bot command in one, for workspaces where a name is taken',
          usage_hint: clip(`<${commands.map((c) => c.name).join('|')}> ...`, MANIFEST_LIMITS.usageHint),
          should_escape: false,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      interactivity: { is_enabled: true, ...(options.requestUrl ? { request_url: options.requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !options.requestUrl,
      token_rotation_enabled: false,
    },
  };
}

export function renderManifestYaml(commands: readonly CommandSpec[], options: ManifestOptions = {}): string {
  const header = [
    '# Slack app manifest for armistice-bot: paste it at https://api.slack.com/apps → Create New App → From a manifest.',
    '# Generated from commands/ by src/platform/slack/manifest.ts; do not edit by hand. Regenerate with',
    '#   node bin/run-ts.mjs src/platform/slack/write-manifest.ts',
    options.requestUrl
      ? '# HTTP mode: Slack posts commands and button clicks to the request URL below.'
      : '# Socket Mode (no public URL). For HTTP mode: write-manifest.ts --request-url https://<host>/slack/events',
  ].join('\n');
  return `${header}\n${stringify(slackManifest(commands, options), { lineWidth: 0 })}`;
}

/** `/timeline [from:<date>] [to:<date>]` → `[from:<date>] [to:<date>]`; none for a command without options. */
function usageHint(command: CommandSpec): { usage_hint?: string } {
  const hint = usageLine(command).slice(command.name.length + 1).trim();
  return hint ? { usage_hint: clip(hint, MANIFEST_LIMITS.usageHint) } : {};
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
