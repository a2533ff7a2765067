import { DiscordAPIError, HTTPError, Routes, type REST } from 'discord.js';
import type { Notifier, PostResult } from '../../notify.ts';
import type { Reply } from '../../reply/reply.ts';
import type { Logger } from '../../log.ts';
import { renderReply } from './render.ts';

/**
 * Posts digests and reminders to Discord channels (text and announcement
 * channels and threads all take `POST /channels/:id/messages`). Rendering
 * escapes the text and turns mentions off, so a feed item titled
 * "@everyone" pings nobody.
 *
 * 403/404 mean the bot can no longer post there: the result is permanent
 * and the scheduler pauses the subscription, because repeated invalid
 * requests count toward Discord's ban threshold. 429s never reach here:
 * discord.js's REST queue waits them out (the client logs the waits).
 */
export function createDiscordNotifier(rest: REST, log: Logger): Notifier {
  return {
    platform: 'discord',
    async post(channelId: string, reply: Reply): Promise<PostResult> {
      if (!/^\d{5,25}$/.test(channelId)) {
        return { ok: false, permanent: true, reason: `“${channelId}” is not a Discord channel id` };
      }
      // A channel post is public and has no buttons to press later.
      const messages = renderReply({ ...reply, ephemeral: false, paging: undefined });
      let firstId: string | undefined;
      try {
        for (const body of messages) {
          const sent = (await rest.post(Routes.channelMessages(channelId), { body })) as { id?: string };
          firstId ??= sent.id;
        }
        return { ok: true, ...(firstId ? { messageId: firstId } : {}) };
      } catch (error) {
        return failure(channelId, error, log);
      }
    },
  };
}

function failure(channelId: string, error: unknown, log: Logger): PostResult {
  if (error instanceof DiscordAPIError) {
    const permanent = error.status === 403 || error.status === 404;
    const reason = `Discord answered ${error.status} ${error.message} (code ${error.code})${
      permanent ? (error.status === 403 ? ': the bot may not post in that channel' : ': the channel no longer exists') : ''
    }`;
    log.warn({ channel: channelId, status: error.status, code: error.code, permanent }, 'Discord post refused');
    return { ok: false, permanent, reason };
  }
  if (error instanceof HTTPError) {
    log.warn({ channel: channelId, status: error.status }, 'Discord post failed');
    return { ok: false, permanent: false, reason: `Discord answered ${error.status} ${error.message}` };
  }
  log.warn({ channel: channelId, err: error }, 'Discord post failed');
  return { ok: false, permanent: false, reason: `could not reach Discord: ${(error as Error).message}` };
}
