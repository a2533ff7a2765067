/**
 * The schedule's state in one place: subscriptions, the posting ledger, the
 * article log and digest cursors (all in the store), the anniversary events
 * (from the knowledge base) and a lock so the cron tick and the poller's
 * instant posts never run at the same time in this process.
 */
import type { Store } from '../store/store.ts';
import { ArticleLog } from './article-log.ts';
import { DigestCursors } from './cursors.ts';
import { PostingLedger } from './ledger.ts';
import type { ReminderEvent } from './reminder.ts';
import { SubscriptionBook } from './subscription.ts';
import type { Collection } from '../store/store.ts';
import { HeldBackPosts } from './held-back.ts';

export interface ScheduleState {
  /** The last instant a tick completed (ISO): catch-up looks back to it. */
  lastTickAt: string;
}

export class Schedule {
  readonly subscriptions: SubscriptionBook;
  readonly ledger: PostingLedger;
  readonly articles: ArticleLog;
  readonly cursors: DigestCursors;
  readonly state: Collection<ScheduleState>;
  /** Posts held back for a passing reason, for the log (this process's memory only). */
  readonly heldBack = new HeldBackPosts();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    store: Store,
    /** The events whose anniversaries are reminded; read at every tick, so a reload is picked up. */
    readonly events: () => readonly ReminderEvent[],
  ) {
    this.subscriptions = new SubscriptionBook(store);
    this.ledger = new PostingLedger(store);
    this.articles = new ArticleLog(store);
    this.cursors = new DigestCursors(store);
    this.state = store.collection<ScheduleState>('schedule-state');
  }

  /** Runs `work` after every earlier piece of schedule work in this process has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
