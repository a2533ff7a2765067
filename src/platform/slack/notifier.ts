import { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Notifier, PostResult } from '../../notify.ts';
import type { Reply } from '../../reply/reply.ts';
import { renderSlackMessage } from './render.ts';

/**
 * Digests and reminders on Slack: chat.postMessage with Block Kit and the
 * text fallback. Posts to one channel go out one at a time, about one per
 * second (Slack's posting limit per channel); other channels are not held up.
 * The Web API client must be made with `rejectRateLimitedCalls: true`: a
 * `ratelimited` answer comes back here and is waited out a bounded number
 * of times, so one throttled channel cannot stall a digest round.
 */
export interface SlackNotifierOptions {
  /** Least time between two posts to the same channel. */
  minIntervalMs?: number;
  /** The longest Retry-After still waited out; longer ones fail the post (to be retried later). */
  maxRetryAfterMs?: number;
  /** How many times one post may wait out a rate limit. */
  maxRateLimitWaits?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

type PostMessage = Pick<webApi.WebClient['chat'], 'postMessage'>;

/** Slack errors meaning the bot cannot post in that channel until someone acts. */
export const PERMANENT_POST_ERRORS: Readonly<Record<string, string>> = {
  not_in_channel: 'not_in_channel: the bot is not a member of this channel; invite it (/invite @armistice), then subscribe again',
  channel_not_found: 'channel_not_found: the channel was deleted or the bot cannot see it',
  is_archived: 'is_archived: the channel is archived',
};

/** Slack's answers meaning the token will not work until someone changes it (revoked, deactivated, wrong). */
export const TOKEN_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'user_removed_from_team',
  'team_disabled',
  'missing_scope',
  'not_allowed_token_type',
]);

export class SlackNotifier implements Notifier {
  readonly platform = 'slack';
  /** Set when Slack refused the bot token: from then on nothing is sent (repeating it would not help). */
  private refusedWith: string | undefined;
  private readonly refusedListeners: Array<(code: string) => void> = [];
  private readonly lanes = new Map<string, Promise<unknown>>();
  private readonly lastPostAt = new Map<string, number>();
  private readonly minIntervalMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxRateLimitWaits: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly chat: PostMessage,
    private readonly log: Logger,
    options: SlackNotifierOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.maxRateLimitWaits = options.maxRateLimitWaits ?? 2;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => performance.now());
  }

  post(channelId: string, reply: Reply): Promise<PostResult> {
    const previous = this.lanes.get(channelId) ?? Promise.resolve();
    const result = previous.then(() => this.paced(channelId, reply));
    const tail = result.catch(() => undefined);
    this.lanes.set(channelId, tail);
    void tail.then(() => {
      if (this.lanes.get(channelId) === tail) this.lanes.delete(channelId);
    });
    return result;
  }

  private async paced(channelId: string, reply: Reply): Promise<PostResult> {
    const last = this.lastPostAt.get(channelId);
    const wait = last === undefined ? 0 : last + this.minIntervalMs - this.now();
    if (wait > 0) await this.sleep(wait);
    try {
      return await this.send(channelId, reply);
    } finally {
      this.lastPostAt.set(channelId, this.now());
    }
  }

  /** Calls `listener` once, when Slack first refuses the token mid-run. */
  whenRefused(listener: (code: string) => void): void {
    this.refusedListeners.push(listener);
  }

  private async send(channelId: string, reply: Reply): Promise<PostResult> {
    // Not permanent: the post stays owed, and goes out after a restart with a good token (while its window is open).
    const refusal = (code: string): PostResult => ({ ok: false, permanent: false, reason: `Slack refused the bot token (${code}); nothing is sent to Slack until SLACK_BOT_TOKEN is fixed` });
    if (this.refusedWith) return refusal(this.refusedWith);
    const message = renderSlackMessage(reply);
    for (let waits = 0; ; waits++) {
      try {
        const result = await this.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
        return { ok: true, messageId: result.ts };
      } catch (error) {
        const retryAfterMs = rateLimitDelayMs(error);
        if (retryAfterMs !== undefined) {
          if (waits < this.maxRateLimitWaits && retryAfterMs <= this.maxRetryAfterMs) {
            this.log.info({ channel: channelId, retryAfterMs }, 'slack: rate limited; waiting before posting again');
            await this.sleep(retryAfterMs);
            continue;
          }
          return { ok: false, permanent: false, reason: `ratelimited: Slack asked to wait ${retryAfterMs / 1000} s` };
        }
        const code = platformErrorCode(error);
        if (code && TOKEN_REFUSALS.has(code)) {
          if (!this.refusedWith) {
            this.refusedWith = code;
            for (const listener of this.refusedListeners) listener(code);
          }
          return refusal(code);
        }
        const permanent = code ? PERMANENT_POST_ERRORS[code] : undefined;
        if (permanent) return { ok: false, permanent: true, reason: permanent };
        this.log.warn({ err: error, channel: channelId }, 'slack: chat.postMessage failed');
        return { ok: false, permanent: false, reason: code ?? errorMessage(error) };
      }
    }
  }
}

function rateLimitDelayMs(error: unknown): number | undefined {
  if (!isCoded(error) || error.code !== webApi.ErrorCode.RateLimitedError) return undefined;
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, seconds) * 1000 : 1000;
}

function platformErrorCode(error: unknown): string | undefined {
  if (!isCoded(error) || error.code !== webApi.ErrorCode.PlatformError) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function isCoded(error: unknown): error is { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
