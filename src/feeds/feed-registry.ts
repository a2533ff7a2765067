import { hash } from 'node:crypto';
import type { Collection, Store } from '../store/store.ts';
import type { FeedFailureReason } from './failure.ts';
import type { FeedHistory } from './feed-history.ts';

/** A feed an admin added, with its health. Stored as JSON in the `feeds` collection. */
export interface FeedRecord {
  /** Short and stable: derived from the URL, so re-adding the same URL gives the same id. */
  id: string;
  url: string;
  name: string;
  /** Keywords narrowing the topic filter for this feed (`about:` when added). */
  about: string[];
  addedBy: string;
  /** Platform-qualified channel (`discord:123`): where admins are told about trouble. */
  addedInChannel: string;
  addedAt: string;
  /** The server or workspace it was added in (`discord:<guild>`, `slack:<team>`): its admins see it on the dashboard. */
  scope?: string;
  enabled: boolean;
  disabledReason?: FeedFailureReason;
  /** Validators for conditional requests, from the last successful fetch. */
  etag?: string;
  lastModified?: string;
  /** Last attempt, successful or not (ISO instant). */
  lastFetchAt?: string;
  lastSuccessAt?: string;
  /** Last time a fetch brought a new relevant item (baseline items do not count). */
  lastNewItemAt?: string;
  consecutiveFailures: number;
  lastFailureReason?: FeedFailureReason;
  lastFailureMessage?: string;
  /** Not fetched before this instant (interval, backoff or Retry-After). */
  nextAttemptAt?: string;
  /** Fetches and new items per UTC day, last 30 days (feed-history.ts); written with the fetch's other state. */
  history?: FeedHistory;
}

const COLLECTION = 'feeds';
/** Feeds an admin asked to fetch now, from a process that does not poll: feed id → when asked. */
const REFRESH_REQUESTS = 'feed-refresh-requests';
export const REFRESH_REQUEST_TTL_MS = 10 * 60_000;

/** The id of the feed at this URL: 10 hex digits of the SHA-256 of the URL. */
export function feedIdFor(url: string): string {
  return hash('sha256', url).slice(0, 10);
}

export class FeedRegistry {
  private readonly feeds: Collection<FeedRecord>;
  private readonly refreshRequests: Collection<string>;

  constructor(store: Store) {
    this.feeds = store.collection<FeedRecord>(COLLECTION);
    this.refreshRequests = store.collection<string>(REFRESH_REQUESTS);
  }

  /** Asks the polling process to fetch these feeds in its next round, regardless of their interval. */
  async requestRefresh(ids: readonly string[], at: Date): Promise<void> {
    // Forgotten after a while: a request no poller took (no bot running) must not fire hours later.
    for (const id of ids) await this.refreshRequests.set(id, at.toISOString(), REFRESH_REQUEST_TTL_MS);
  }

  /** The feed ids asked for since the last call, forgotten as they are taken. */
  async takeRefreshRequests(): Promise<string[]> {
    const taken: string[] = [];
    for (const [id] of await this.refreshRequests.list()) if (await this.refreshRequests.delete(id)) taken.push(id);
    return taken;
  }

  /** Every feed, by name. */
  async all(): Promise<FeedRecord[]> {
    const entries = await this.feeds.list();
    return entries.map(([, feed]) => feed).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): Promise<FeedRecord | undefined> {
    return this.feeds.get(id);
  }

  /** By id, URL or name (case-insensitive), as admins type them. */
  async find(reference: string): Promise<FeedRecord | undefined> {
    const ref = reference.trim();
    if (!ref) return undefined;
    const byId = /^[0-9a-f]{10}$/.test(ref) ? await this.feeds.get(ref) : undefined;
    if (byId) return byId;
    const all = await this.all();
    const lower = ref.toLowerCase();
    return all.find((f) => f.url === ref) ?? all.find((f) => f.name.toLowerCase() === lower);
  }

  save(feed: FeedRecord): Promise<void> {
    return this.feeds.set(feed.id, feed);
  }

  remove(id: string): Promise<boolean> {
    return this.feeds.delete(id);
  }
}
