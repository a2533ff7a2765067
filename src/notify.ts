import type { Reply } from './reply/reply.ts';
import { recordPost } from './ops/metrics.ts';

/**
 * Posting without being asked: digests, reminders, feed-health notices.
 * Channels are addressed platform-qualified: `discord:<channelId>`,
 * `slack:<channelId>`, `console`. Each platform implements a Notifier; the
 * hub routes a post to the right one.
 */
export type PostResult =
  | { ok: true; messageId?: string }
  /**
   * `permanent`: the bot can no longer post there (deleted channel, removed
   * from it, permission lost): the subscription is paused, not retried.
   */
  | { ok: false; permanent: boolean; reason: string };

export interface Notifier {
  /** The prefix of the channel addresses this notifier serves: `discord`, `slack`, `console`. */
  readonly platform: string;
  post(channelId: string, reply: Reply): Promise<PostResult>;
}

/** Splits `discord:123` into its platform and the platform's own channel id. */
export function parseChannelAddress(address: string): { platform: string; channelId: string } {
  const colon = address.indexOf(':');
  if (colon === -1) return { platform: address, channelId: address };
  return { platform: address.slice(0, colon), channelId: address.slice(colon + 1) };
}

export class NotifierHub {
  private readonly notifiers = new Map<string, Notifier>();

  register(notifier: Notifier): void {
    this.notifiers.set(notifier.platform, notifier);
  }

  has(platform: string): boolean {
    return this.notifiers.has(platform);
  }

  async post(address: string, reply: Reply): Promise<PostResult> {
    const { platform, channelId } = parseChannelAddress(address);
    const notifier = this.notifiers.get(platform);
    if (!notifier) return { ok: false, permanent: false, reason: `no ${platform} connection in this process` };
    const result = await notifier.post(channelId, reply);
    recordPost(platform, result.ok ? 'ok' : result.permanent ? 'failed_permanently' : 'failed');
    return result;
  }
}
