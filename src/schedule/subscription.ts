/**
 * A channel's subscription: what it receives, when, in which time zone.
 * One per channel address (`discord:123`, `slack:C1`, `console`).
 */
import type { Collection, Store } from '../store/store.ts';
import { parseTimeOfDay, type TimeOfDay } from './zoned-time.ts';
import { RevisionCache } from './revision-cache.ts';

export const DIGEST_MODES = ['instant', 'daily', 'weekly', 'off'] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

export interface Subscription {
  /** Platform-qualified channel address: where posts go. */
  channel: string;
  /** The Discord server or Slack workspace, for `/subscriptions all:true`. */
  guildId?: string;
  digest: DigestMode;
  /** Local time of day, `HH:MM`, for daily/weekly digests and reminders. */
  time: string;
  timeZone: string;
  /** Keywords a digest article must match; absent means every new article. */
  about?: string;
  reminders: boolean;
  /** Who subscribed and when (ISO instant). */
  createdBy: string;
  createdAt: string;
  /**
   * When the schedule starts counting (ISO instant): jobs due before it are
   * not this subscription's. Reset on resume, so a pause is not made up for
   * with a flood of late posts.
   */
  activeSince: string;
  /** Set when the bot can no longer post here; cleared by /subscribe. */
  paused?: { reason: string; at: string };
}

export function timeOfDay(subscription: Subscription): TimeOfDay {
  const time = parseTimeOfDay(subscription.time);
  if (!time) throw new Error(`Subscription for ${subscription.channel} has a malformed time "${subscription.time}"`);
  return time;
}

/** The subscriptions collection: one entry per channel address. */
export class SubscriptionBook {
  private readonly entries: Collection<Subscription>;
  /** Every tick reads all subscriptions: from memory unless one changed. */
  private readonly everything: RevisionCache<Subscription[]>;

  constructor(store: Store) {
    this.entries = store.collection<Subscription>('subscriptions');
    this.everything = new RevisionCache(store.collection<string>('schedule-revisions'), 'subscriptions', async () =>
      (await this.entries.list()).map(([, subscription]) => subscription),
    );
  }

  get(channel: string): Promise<Subscription | undefined> {
    return this.entries.get(channel);
  }

  async save(subscription: Subscription): Promise<void> {
    await this.entries.set(subscription.channel, subscription);
    await this.everything.bump();
  }

  async remove(channel: string): Promise<boolean> {
    const removed = await this.entries.delete(channel);
    await this.everything.bump();
    return removed;
  }

  /** Every subscription (a shared array: do not modify it). */
  all(): Promise<readonly Subscription[]> {
    return this.everything.get();
  }

  /**
   * Pauses a channel the bot can no longer post to. Re-reads the entry so a
   * concurrent /unsubscribe is not undone.
   */
  async pause(channel: string, reason: string, at: Date): Promise<void> {
    const current = await this.entries.get(channel);
    if (!current || current.paused) return;
    await this.save({ ...current, paused: { reason, at: at.toISOString() } });
  }
}

export const DEFAULT_SETTINGS_HINT = 'By default: a daily digest of new articles at 09:00 and anniversary reminders, in the bot’s time zone.';
