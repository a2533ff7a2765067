import type { CommandContext } from '../router/command.ts';

/**
 * The address scheduled posts go to for the channel a command came from:
 * `discord:<id>`, `slack:<id>`, or `console` for the terminal chat (and for
 * `armistice ask`, whose default channel is the terminal it prints to).
 */
export function channelAddress(channel: CommandContext['channel']): string {
  if (channel.platform === 'console') return 'console';
  if (channel.platform === 'cli') return channel.id.includes(':') ? channel.id : 'console';
  return `${channel.platform}:${channel.id}`;
}
