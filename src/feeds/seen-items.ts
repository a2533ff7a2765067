import { createHash } from 'node:crypto';
import type { Collection, Store } from '../store/store.ts';

/**
 * Every item a feed ever showed us, retained for a while, so an item that
 * drops out of the feed and comes back (or a feed that reorders) is not news
 * again. Two marks per item:
 *
 * - its identity (guid, link or hash), and
 * - its normalised title, so the same story re-published under a new guid
 *   is still recognised. Titles of fewer than MIN_TITLE_WORDS words
 *   ("Briefing", "Update") are too generic to identify a story and get no
 *   title mark.
 *
 * Marks expire after the retention period (the store's TTL) and are
 * refreshed while the item is still in the feed, so a long-lived item never
 * comes back as new. `cleanup` deletes expired marks on stores that keep
 * them around.
 */

export const DEFAULT_RETENTION_MS = 180 * 24 * 60 * 60 * 1000;
const MIN_TITLE_WORDS = 3;

interface SeenMark {
  firstSeenAt: string;
  refreshedAt: string;
  expiresAt: string;
}

export interface SeenCandidate {
  identity: string;
  title: string;
}

/** Lower case, compatibility-normalised, punctuation and spacing ignored. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export class SeenItems {
  private readonly marks: Collection<SeenMark>;

  constructor(
    store: Store,
    private readonly retentionMs = DEFAULT_RETENTION_MS,
  ) {
    this.marks = store.collection<SeenMark>('feed-seen');
  }

  private keys(feedId: string, item: SeenCandidate): string[] {
    const keys = [`${feedId}:i:${digest(item.identity)}`];
    const title = normaliseTitle(item.title);
    if (title.split(' ').length >= MIN_TITLE_WORDS) keys.push(`${feedId}:t:${digest(title)}`);
    return keys;
  }

  /** Items of this list not seen before (by identity or title), in the same order. */
  async unseen<T extends SeenCandidate>(feedId: string, items: readonly T[]): Promise<T[]> {
    const out: T[] = [];
    for (const item of items) {
      let seen = false;
      for (const key of this.keys(feedId, item)) {
        if ((await this.marks.get(key)) !== undefined) {
          seen = true;
          break;
        }
      }
      if (!seen) out.push(item);
    }
    return out;
  }

  /**
   * Marks items seen (new ones) and refreshes marks older than half the
   * retention (items still in the feed), so a stable feed costs few writes.
   */
  async markSeen(feedId: string, items: readonly SeenCandidate[], now: Date): Promise<void> {
    const refreshBefore = now.getTime() - this.retentionMs / 2;
    for (const item of items) {
      for (const key of this.keys(feedId, item)) {
        const existing = await this.marks.get(key);
        if (existing && Date.parse(existing.refreshedAt) > refreshBefore) continue;
        const mark: SeenMark = {
          firstSeenAt: existing?.firstSeenAt ?? now.toISOString(),
          refreshedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + this.retentionMs).toISOString(),
        };
        await this.marks.set(key, mark, this.retentionMs);
      }
    }
  }

  /** Deletes expired marks (stores normally expire them; this is the safety net). Returns how many. */
  async cleanup(now: Date): Promise<number> {
    let removed = 0;
    for (const [key, mark] of await this.marks.list()) {
      if (Date.parse(mark.expiresAt) <= now.getTime()) {
        await this.marks.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Forgets a removed feed's marks: if it is added again, it gets a fresh baseline. */
  async forgetFeed(feedId: string): Promise<number> {
    let removed = 0;
    for (const [key] of await this.marks.list()) {
      if (key.startsWith(`${feedId}:`)) {
        await this.marks.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
