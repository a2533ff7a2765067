import pLimit from 'p-limit';
import type { Article } from '../../corpus/corpus.ts';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../reply/reply.ts';
import { backoffDelayMs, DISABLE_AFTER_FAILURES, holdBack, shouldDisable, type HoldBack } from './backoff.ts';
import { REASON_EXPLANATIONS, type FeedFailure } from '../failure.ts';
import type { FeedRecord, FeedRegistry } from '../feed-registry.ts';
import { recordFetchDay, type FetchTally } from '../feed-history.ts';
import { ingestFeedItems, type IngestDeps } from '../ingest.ts';
import { parseFeed } from '../parse/parse.ts';
import { createRelevanceTest, type RelevanceTest } from '../relevance.ts';
import type { ConditionalHeaders, FetchResult } from '../fetch/safe-fetch.ts';
import { recordFetch } from '../../ops/metrics.ts';

/**
 * src/feeds/poll/ — when feeds are fetched and what a fetch's outcome does
 * to the feed's record. Entry points: FeedPoller (this file, a round) and
 * `armistice poll` (poll-command.ts); as-leader.ts makes a by-hand poll take
 * the leader lease, backoff.ts says when a failing feed is tried again.
 * It must not fetch or parse by itself: the fetcher is handed in
 * (PollerDeps.fetcher, from fetch/), parsing is parse/'s parseFeed and
 * storing new items is ../ingest.ts; the feed service (../feed-service.ts)
 * wires it up.
 *
 * Polling: a round fetches every enabled feed that is due, a few hosts at a
 * time and one request at a time per host. Success stores the new relevant
 * items and the new validators; failure changes only the feed's failure
 * bookkeeping (count, reason, next attempt), never its validators, seen
 * marks or articles. After DISABLE_AFTER_FAILURES failures in a row the feed
 * is disabled and the channel where it was added is told.
 */

/** Posting to a platform-qualified channel (src/notify.ts NotifierHub fits). */
export interface ChannelPoster {
  post(address: string, reply: Reply): Promise<unknown>;
}

export interface PollerDeps {
  registry: FeedRegistry;
  fetcher: { fetch(url: string, conditional: ConditionalHeaders): Promise<FetchResult> };
  ingest: IngestDeps;
  log: Logger;
  /** config.FEED_POLL_MINUTES in milliseconds. */
  pollIntervalMs: number;
  notifier?: ChannelPoster;
  /** Hosts fetched at once (each host one request at a time). */
  concurrency?: number;
  /** Known people and organisations, widening the topic filter. */
  entityNames?: () => readonly string[];
  /** New relevant articles of one feed, oldest first (digests, knowledge extraction). Never baseline items. */
  onNewArticles?: (articles: Article[], feed: FeedRecord) => void | Promise<void>;
  clock?: () => Date;
}

export type FeedOutcome =
  | { kind: 'new'; feed: FeedRecord; articles: Article[]; items: number }
  | { kind: 'nothing-new'; feed: FeedRecord; items: number }
  | { kind: 'unchanged'; feed: FeedRecord }
  | { kind: 'failed'; feed: FeedRecord; failure: FeedFailure; failures: number; disabled: boolean }
  /** The bot itself failed (store unavailable...): nothing recorded, tried again next round. */
  | { kind: 'error'; feed: FeedRecord; message: string };

export interface RoundSummary {
  startedAt: string;
  durationMs: number;
  outcomes: FeedOutcome[];
  /** Enabled feeds not due yet (backoff, Retry-After or interval). */
  waiting: FeedRecord[];
  disabled: FeedRecord[];
  newArticles: number;
  /** True when the round fetched regardless of the poll interval (RoundOptions.force). */
  forced: boolean;
  /** Of the feeds asked for now, those a failure backoff or a Retry-After still held back, and until when. */
  heldBack: Array<{ feed: FeedRecord; hold: HoldBack }>;
}

export interface RoundOptions {
  /** Called after each feed, for progress display. */
  progress?: (done: number, total: number, outcome: FeedOutcome) => void;
  /**
   * Fetch now, regardless of the poll interval (`armistice poll --all`,
   * `/feeds refresh`). A failure backoff or a server's Retry-After still
   * holds a feed back: asking again cannot hammer a site that is down.
   */
  force?: boolean;
  /** Only these feeds (ids); default all. */
  only?: readonly string[];
}

const DEFAULT_CONCURRENCY = 8;

export function isDue(feed: FeedRecord, now: Date): boolean {
  return feed.enabled && (feed.nextAttemptAt === undefined || Date.parse(feed.nextAttemptAt) <= now.getTime());
}

/** Feeds grouped by host (`host:port`), so each host sees one request at a time. */
function byHost(feeds: readonly FeedRecord[]): FeedRecord[][] {
  const groups = new Map<string, FeedRecord[]>();
  for (const feed of feeds) {
    let host: string;
    try {
      host = new URL(feed.url).host;
    } catch {
      host = feed.url;
    }
    groups.set(host, [...(groups.get(host) ?? []), feed]);
  }
  return [...groups.values()];
}

/** A feed's state after a fetch that worked: failures cleared, next fetch one interval on. */
export function successState(now: Date, pollIntervalMs: number) {
  return {
    lastFetchAt: now.toISOString(),
    lastSuccessAt: now.toISOString(),
    consecutiveFailures: 0,
    lastFailureReason: undefined,
    lastFailureMessage: undefined,
    nextAttemptAt: new Date(now.getTime() + pollIntervalMs).toISOString(),
  } satisfies Partial<FeedRecord>;
}

export class FeedPoller {
  private readonly clock: () => Date;
  private running: Promise<RoundSummary> | undefined;

  constructor(private readonly deps: PollerDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * One round. Rounds never overlap: a call during a round shares its
   * result, except a forced one, which runs after it (the feeds it asks for
   * may not have been due in the round under way).
   */
  pollRound(options: RoundOptions = {}): Promise<RoundSummary> {
    if (this.running && !options.force) return this.running;
    const next = (this.running ?? Promise.resolve()).catch(() => undefined).then(() => this.round(options));
    this.running = next;
    const settle = () => {
      if (this.running === next) this.running = undefined;
    };
    next.then(settle, settle);
    return next;
  }

  /** Polls due feeds every `everyMs` until the returned function is called. */
  startPolling(everyMs = 60_000): () => void {
    const timer = setInterval(() => {
      this.pollRound().catch((error: unknown) => this.deps.log.error({ err: error }, 'feed poll round failed'));
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async round(options: RoundOptions): Promise<RoundSummary> {
    const started = this.clock();
    const registered = await this.deps.registry.all();
    const all = options.only ? registered.filter((f) => options.only!.includes(f.id)) : registered;
    // Refreshes asked for in another process (one that does not poll: see FeedService.refresh) are forced here.
    const requested = options.force ? undefined : new Set(await this.deps.registry.takeRefreshRequests());
    const forced = (f: FeedRecord) => options.force === true || requested!.has(f.id);
    const heldBack = all.flatMap((feed) => {
      const hold = feed.enabled && forced(feed) ? holdBack(feed, started) : undefined;
      return hold ? [{ feed, hold }] : [];
    });
    const due = all.filter((f) => (forced(f) ? f.enabled && !heldBack.some((h) => h.feed === f) : isDue(f, started)));
    const relevance = new Map<string, RelevanceTest>();
    const relevanceFor = (feed: FeedRecord) => {
      const key = feed.about.join('\n');
      let test = relevance.get(key);
      if (!test) {
        test = createRelevanceTest({ entityNames: this.deps.entityNames?.() ?? [], about: feed.about });
        relevance.set(key, test);
      }
      return test;
    };
    const limit = pLimit(this.deps.concurrency ?? DEFAULT_CONCURRENCY);
    const outcomes: FeedOutcome[] = [];
    await Promise.all(
      byHost(due).map((hostFeeds) =>
        limit(async () => {
          for (const feed of hostFeeds) {
            const outcome = await this.pollFeed(feed, relevanceFor(feed));
            outcomes.push(outcome);
            options.progress?.(outcomes.length, due.length, outcome);
          }
        }),
      ),
    );
    return {
      startedAt: started.toISOString(),
      durationMs: this.clock().getTime() - started.getTime(),
      outcomes,
      waiting: all.filter((f) => f.enabled && !due.includes(f)),
      disabled: all.filter((f) => !f.enabled),
      newArticles: outcomes.reduce((n, o) => n + (o.kind === 'new' ? o.articles.length : 0), 0),
      forced: options.force === true,
      heldBack,
    };
  }

  /** Fetches one feed and records the result. Never throws. */
  async pollFeed(feed: FeedRecord, relevant: RelevanceTest = createRelevanceTest({ about: feed.about })): Promise<FeedOutcome> {
    let outcome: FeedOutcome;
    try {
      outcome = await this.fetchAndRecord(feed, relevant);
    } catch (error) {
      this.deps.log.error({ err: error, feedId: feed.id }, 'feed poll failed inside the bot');
      outcome = { kind: 'error', feed, message: error instanceof Error ? error.message : String(error) };
    }
    recordFetch(outcome.kind === 'failed' ? outcome.failure.reason : outcome.kind);
    return outcome;
  }

  private async fetchAndRecord(feed: FeedRecord, relevant: RelevanceTest): Promise<FeedOutcome> {
    const fetched = await this.deps.fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
    const now = this.clock();
    if (!fetched.ok) return this.recordFailure(feed, fetched, now);
    if (fetched.unchanged) {
      const saved = await this.saveIfStillThere(feed, now, { result: 'not-modified' }, {
        ...successState(now, this.deps.pollIntervalMs),
        etag: fetched.etag ?? feed.etag,
        lastModified: fetched.lastModified ?? feed.lastModified,
      });
      return { kind: 'unchanged', feed: saved ?? feed };
    }
    // Loaded before parsing: items seen recently are left out of the parse (parse/parse.ts, ParseOptions).
    const seen = await this.deps.ingest.seen.forFeed(feed.id, now);
    const isKnown = seen.size > 0 ? (identity: string) => seen.knowsRecently(identity, now) : undefined;
    const parsed = await parseFeed(fetched.text, now, fetched.url, { isKnown });
    if (!parsed.ok) return this.recordFailure(feed, parsed, now);
    const ingested = await ingestFeedItems(this.deps.ingest, feed, parsed.feed, relevant, { baseline: false, now, seen });
    const saved = await this.saveIfStillThere(feed, now, { result: 'ok', newItems: ingested.articles.length }, {
      ...successState(now, this.deps.pollIntervalMs),
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      ...(ingested.articles.length > 0 ? { lastNewItemAt: now.toISOString() } : {}),
    });
    if (ingested.articles.length === 0) return { kind: 'nothing-new', feed: saved ?? feed, items: ingested.items };
    // A feed removed while it was being fetched keeps what it brought (searchable) but announces nothing.
    if (saved) await this.announce(ingested.articles, saved);
    return { kind: 'new', feed: saved ?? feed, articles: ingested.articles, items: ingested.items };
  }

  /**
   * Writes over the latest stored version, with the fetch counted in the
   * feed's daily history (the same write); a feed removed during the fetch
   * stays removed.
   */
  private async saveIfStillThere(feed: FeedRecord, now: Date, tally: FetchTally, changes: Partial<FeedRecord>): Promise<FeedRecord | undefined> {
    const current = await this.deps.registry.get(feed.id);
    if (!current) return undefined;
    const updated = { ...current, ...changes, history: recordFetchDay(current.history, now, tally) };
    await this.deps.registry.save(updated);
    return updated;
  }

  private async recordFailure(feed: FeedRecord, failure: FeedFailure, now: Date): Promise<FeedOutcome> {
    const failures = feed.consecutiveFailures + 1;
    const disabled = shouldDisable(failures);
    const saved = await this.saveIfStillThere(feed, now, { result: 'failed', reason: failure.reason }, {
      lastFetchAt: now.toISOString(),
      consecutiveFailures: failures,
      lastFailureReason: failure.reason,
      lastFailureMessage: failure.message.slice(0, 300),
      nextAttemptAt: disabled ? undefined : new Date(now.getTime() + backoffDelayMs(failures, failure.retryAfterMs)).toISOString(),
      ...(disabled ? { enabled: false, disabledReason: failure.reason } : {}),
    });
    this.deps.log.warn({ feedId: feed.id, reason: failure.reason, failures, disabled }, 'feed fetch failed');
    if (disabled && saved) await this.tellAdmins(saved, failure);
    return { kind: 'failed', feed: saved ?? feed, failure, failures, disabled };
  }

  private async tellAdmins(feed: FeedRecord, failure: FeedFailure): Promise<void> {
    if (!this.deps.notifier) return;
    const reply: Reply = {
      title: `Feed disabled: ${feed.name}`,
      text: [
        `After ${DISABLE_AFTER_FAILURES} failed fetches in a row I stopped fetching this feed.`,
        `Last reason: ${failure.reason} — ${REASON_EXPLANATIONS[failure.reason]} (${failure.message}).`,
        `Check the address; to try again, remove it with /feeds remove and add it again with /feeds add.`,
      ],
      fields: [
        { name: 'Feed', value: feed.url },
        { name: 'Id', value: feed.id, inline: true },
      ],
    };
    try {
      const posted = (await this.deps.notifier.post(adminChannel(feed), reply)) as { ok?: boolean; reason?: string } | undefined;
      if (posted?.ok === false) {
        this.deps.log.warn({ feedId: feed.id, channel: feed.addedInChannel, reason: posted.reason }, 'could not tell admins a feed was disabled');
      }
    } catch (error) {
      this.deps.log.error({ err: error, feedId: feed.id, channel: feed.addedInChannel }, 'could not tell admins a feed was disabled');
    }
  }

  private async announce(articles: Article[], feed: FeedRecord): Promise<void> {
    if (!this.deps.onNewArticles) return;
    try {
      await this.deps.onNewArticles(articles, feed);
    } catch (error) {
      this.deps.log.error({ err: error, feedId: feed.id }, 'a listener of new feed articles failed');
    }
  }
}

/**
 * Where a feed's admins are told about trouble. Feeds added before the
 * address was platform-qualified hold the bare channel id; their scope
 * (`discord:<guild>`, `slack:<team>`) names the platform.
 */
export function adminChannel(feed: Pick<FeedRecord, 'addedInChannel' | 'scope'>): string {
  const address = feed.addedInChannel;
  if (address === 'console' || address.includes(':') || !feed.scope) return address;
  return `${feed.scope.slice(0, feed.scope.indexOf(':'))}:${address}`;
}
