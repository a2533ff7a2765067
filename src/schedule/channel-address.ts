import type { CommandContext } from '../router/command.ts';

/**
 * The address scheduled posts go to for the channel a command came from:
 * `discord:<id>`, `slack:<id>`, or `console` for the terminal chat. For
 * `armistice ask` the id is already an address, checked by cliChannelAddress
 * (its default is `console`, the terminal it prints to).
 */
export function channelAddress(channel: CommandContext['channel']): string {
  if (channel.platform === 'console') return 'console';
  if (channel.platform === 'cli') return channel.id;
  return `${channel.platform}:${channel.id}`;
}

export type CliChannel = { ok: true; address: string } | { ok: false; message: string };

const HOW_TO_WRITE = 'write discord:<channel id>, slack:<channel id> or console:<name>';
const FORMS: Record<string, { pattern: RegExp; example: string }> = {
  discord: { pattern: /^\d{5,25}$/, example: 'discord:1234567890123456789' },
  slack: { pattern: /^[A-Z0-9]{3,30}$/, example: 'slack:C0123ABCD' },
  console: { pattern: /^[\w.-]{1,80}$/, example: 'console:seoul-room' },
};
/** A bare value a Discord or Slack channel id could be: which platform is meant cannot be guessed. */
const LOOKS_LIKE_AN_ID = /^(\d{5,25}|[CGD][A-Z0-9]{6,})$/;

/**
 * What `armistice ask --channel` names. Every distinct value is its own
 * channel, so two subscriptions made from the command line never overwrite
 * each other: a plain name (`seoul-room`) is the terminal channel
 * `console:seoul-room`; `discord:<id>`, `slack:<id>` and `console:<name>`
 * are taken as written. A bare id is refused: `123…` could be a Discord or a
 * Slack channel, and guessing wrong would subscribe a channel nobody meant.
 */
export function cliChannelAddress(text: string): CliChannel {
  const value = text.trim();
  if (value === '' || value === 'console') return { ok: true, address: 'console' };
  const colon = value.indexOf(':');
  if (colon === -1) {
    if (LOOKS_LIKE_AN_ID.test(value)) {
      return {
        ok: false,
        message: `--channel “${value}” could be a Discord or a Slack channel id: write discord:${value} or slack:${value} (or console:${value} for a terminal channel of that name).`,
      };
    }
    if (FORMS.console!.pattern.test(value)) return { ok: true, address: `console:${value}` };
    return { ok: false, message: `--channel “${value}” is not a channel name (letters, digits, - _ .): ${HOW_TO_WRITE}.` };
  }
  const platform = value.slice(0, colon);
  const id = value.slice(colon + 1);
  const form = FORMS[platform];
  if (!form) return { ok: false, message: `--channel “${value}”: “${platform}” is not a platform; ${HOW_TO_WRITE}.` };
  if (!form.pattern.test(id)) return { ok: false, message: `--channel “${value}” is not a ${platform} channel (for example ${form.example}).` };
  return { ok: true, address: value };
}
