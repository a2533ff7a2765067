/**
 * The posting ledger: one entry per (channel, job, period[, part]), so each
 * scheduled post is made at most once, across restarts and across several
 * bot processes sharing a store.
 *
 * A post is claimed with setIfAbsent as `pending` before it is sent, and
 * marked `sent` after. Whoever wins the claim sends; everyone else skips.
 *
 * What happens to a `pending` entry whose sender died (crash, kill, power
 * cut between the claim and the mark)? We cannot know whether the message
 * reached the channel. We choose NOT to send it again (at most once):
 * - a duplicate is seen by every member of the channel and looks broken,
 *   while a missing post is noticed by few;
 * - a digest's articles stay findable with /news, and the parts of a digest
 *   not yet claimed are still sent when the round resumes (run-tick.ts);
 * - a lost reminder is one post a year, and it is logged as a warning with
 *   the channel, job and period, so an operator can post it by hand.
 * Such entries become `unknown`: at start-up, or when a tick meets them,
 * once older than a grace period, so a live sender in another process
 * sharing the store is never overruled. A notifier that throws leaves the
 * same doubt and gets the same treatment at once.
 */
import type { Collection, Store } from '../store/store.ts';

export type LedgerStatus =
  /** Claimed; the post is being sent (or its sender died). */
  | 'pending'
  /** The platform confirmed the post. */
  | 'sent'
  /** Due, but there was nothing to post (a digest with no new article). */
  | 'empty'
  /** Its window closed while the bot was down: not posted. */
  | 'skipped'
  /** The sender died or the notifier threw: delivery unknown, not re-sent. */
  | 'unknown'
  /** The channel refused it for good; the subscription was paused. */
  | 'failed';

export interface LedgerEntry {
  status: LedgerStatus;
  /** When the status was set (ISO instant). */
  at: string;
  /** The platform's message id, when it told us. */
  messageId?: string;
  reason?: string;
}

export interface LedgerKey {
  channel: string;
  job: string;
  period: string;
  /** For posts split in several messages: 1, 2, … */
  part?: number;
}

/** Entries outlive every period (a reminder's is a year) and then expire. */
const RETENTION_MS = 400 * 86_400_000;

export function ledgerId(key: LedgerKey): string {
  return `${key.channel}|${key.job}|${key.period}${key.part === undefined ? '' : `#${key.part}`}`;
}

/** The key back from an id made by ledgerId; undefined for anything else. */
export function parseLedgerId(id: string): LedgerKey | undefined {
  const match = /^([^|]+)\|([^|]+)\|([^#]+)(?:#(\d+))?$/.exec(id);
  if (!match) return undefined;
  return { channel: match[1]!, job: match[2]!, period: match[3]!, ...(match[4] ? { part: Number(match[4]) } : {}) };
}

export class PostingLedger {
  private readonly entries: Collection<LedgerEntry>;
  /**
   * Ids this process saw settled (anything but pending): a settled entry
   * never changes, so the every-minute tick need not read it again.
   */
  private readonly settled = new Map<string, LedgerEntry>();

  constructor(store: Store) {
    this.entries = store.collection<LedgerEntry>('posting-ledger');
  }

  async get(key: LedgerKey): Promise<LedgerEntry | undefined> {
    const id = ledgerId(key);
    const known = this.settled.get(id);
    if (known) return known;
    const entry = await this.entries.get(id);
    if (entry && entry.status !== 'pending') this.remember(id, entry);
    return entry;
  }

  /** The entry this process already saw settled, without asking the store. */
  known(key: LedgerKey): LedgerEntry | undefined {
    return this.settled.get(ledgerId(key));
  }

  /** True when this caller won the right to send. */
  claim(key: LedgerKey, at: Date): Promise<boolean> {
    return this.entries.setIfAbsent(ledgerId(key), { status: 'pending', at: at.toISOString() }, RETENTION_MS);
  }

  /** Records an outcome. For `empty` and `skipped` it is also the claim. */
  async settle(key: LedgerKey, status: Exclude<LedgerStatus, 'pending'>, at: Date, details: { messageId?: string; reason?: string } = {}): Promise<void> {
    const id = ledgerId(key);
    const entry: LedgerEntry = { status, at: at.toISOString(), ...details };
    await this.entries.set(id, entry, RETENTION_MS);
    this.remember(id, entry);
  }

  /** Records an outcome only if nothing is recorded yet; true when it wrote. */
  async settleIfAbsent(key: LedgerKey, status: Exclude<LedgerStatus, 'pending'>, at: Date, reason?: string): Promise<boolean> {
    const id = ledgerId(key);
    const entry: LedgerEntry = { status, at: at.toISOString(), ...(reason ? { reason } : {}) };
    const wrote = await this.entries.setIfAbsent(id, entry, RETENTION_MS);
    // When another writer was first, its entry is read back on the next get.
    if (wrote) this.remember(id, entry);
    return wrote;
  }

  /** Gives a claim back after a failure known to have posted nothing, so a later tick retries. */
  async release(key: LedgerKey): Promise<void> {
    await this.entries.delete(ledgerId(key));
  }

  /** Every entry of these channels, newest first: the dashboard's history of posts. */
  async history(channels: ReadonlySet<string>): Promise<Array<LedgerKey & { entry: LedgerEntry }>> {
    const found: Array<LedgerKey & { entry: LedgerEntry }> = [];
    for (const [id, entry] of await this.entries.list()) {
      const key = parseLedgerId(id);
      if (key && channels.has(key.channel)) found.push({ ...key, entry });
    }
    return found.sort((a, b) => b.entry.at.localeCompare(a.entry.at) || a.channel.localeCompare(b.channel));
  }

  /** Every pending entry older than `olderThan`, with its id. */
  async stalePending(olderThan: Date): Promise<Array<{ id: string; entry: LedgerEntry }>> {
    const stale: Array<{ id: string; entry: LedgerEntry }> = [];
    for (const [id, entry] of await this.entries.list()) {
      if (entry.status === 'pending' && Date.parse(entry.at) < olderThan.getTime()) stale.push({ id, entry });
    }
    return stale;
  }

  async markUnknown(id: string, at: Date): Promise<void> {
    const entry: LedgerEntry = { status: 'unknown', at: at.toISOString(), reason: 'sender stopped before confirming' };
    await this.entries.set(id, entry, RETENTION_MS);
    this.remember(id, entry);
  }

  private remember(id: string, entry: LedgerEntry): void {
    // Bounded: a long-running bot forgets old periods instead of growing forever.
    if (this.settled.size >= 200_000) this.settled.clear();
    this.settled.set(id, entry);
  }
}
