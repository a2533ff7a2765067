import type { Config } from '../config.ts';
import type { Article, Corpus } from '../corpus/corpus.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { truncate, FIELD_LIMITS } from './parse/clean-text.ts';
import type { FeedFailureReason } from './failure.ts';
import { FeedRegistry, feedIdFor, type FeedRecord } from './feed-registry.ts';
import { recordFetchDay } from './feed-history.ts';
import { ingestFeedItems, type IngestDeps } from './ingest.ts';
import { parseFeed } from './parse/parse.ts';
import { FeedPoller, successState, type ChannelPoster, type RoundOptions, type RoundSummary } from './poll/poller.ts';
import { readProposedFeeds, type ProposedFeed } from './proposed-feeds.ts';
import { createRelevanceTest, parseAbout } from './relevance.ts';
import { FeedFetcher, parseFeedUrl, type Resolver } from './fetch/safe-fetch.ts';
import { SeenItems } from './seen/seen-items.ts';
import { runAsLeaderOnce } from './poll/as-leader.ts';
import { holdBack } from './poll/backoff.ts';

/**
 * Everything feeds, behind one object for commands and the composition
 * root: add (with its baseline), remove, list, find, poll, the proposed
 * feeds of data/feeds.yaml, and the listeners of new articles.
 *
 * src/feeds/ has a folder per job — fetch/ (URL to text), parse/ (text to
 * items), seen/ (which items are known), poll/ (rounds) — each opening
 * with a note in its main file; at the top level is the glue they share:
 * this service, the feed records (feed-registry.ts, feed-history.ts),
 * failure codes (failure.ts), the topic filter (relevance.ts), turning new
 * items into stored articles (ingest.ts, feed-articles.ts), how feeds read
 * to people (present.ts) and data/feeds.yaml (proposed-feeds.ts).
 */

export type FeedConfig = Pick<
  Config,
  'FEED_ALLOWED_HOSTS' | 'FEED_MAX_BYTES' | 'FEED_TIMEOUT_MS' | 'FEED_POLL_MINUTES' | 'DEFAULT_TIMEZONE' | 'DATA_DIR'
>;

export interface FeedServiceDeps {
  store: Store;
  corpus: Corpus;
  config: FeedConfig;
  log: Logger;
  notifier?: ChannelPoster;
  /** Known people and organisations (the knowledge base), widening the topic filter. */
  entityNames?: () => readonly string[];
  clock?: () => Date;
  /** DNS for the fetcher; tests answer 127.0.0.1 for made-up names. */
  resolver?: Resolver;
  /** Hosts fetched at once by a poll round. */
  concurrency?: number;
}

export interface AddFeedInput {
  url: string;
  name?: string;
  about?: string;
  addedBy: string;
  addedInChannel: string;
  /** The server or workspace adding it (`discord:<guild>`), absent from the console. */
  scope?: string;
}

export type AddFeedResult =
  | { ok: true; feed: FeedRecord; items: number; baseline: Article[] }
  | { ok: false; code: FeedFailureReason | 'FEED_EXISTS' | 'NAME_TAKEN'; message: string; existing?: FeedRecord };

/** What `/feeds refresh` did: fetched here, or asked the process that polls. */
export type RefreshResult =
  | { kind: 'fetched'; summary: RoundSummary }
  | {
      kind: 'requested';
      /** The process that holds the leader lease and polls, when known. */
      holder?: string;
      requested: FeedRecord[];
      heldBack: RoundSummary['heldBack'];
      disabled: FeedRecord[];
    };

export type NewArticlesListener = (articles: Article[], feed: FeedRecord) => void | Promise<void>;

export class FeedService {
  readonly registry: FeedRegistry;
  readonly seen: SeenItems;
  readonly poller: FeedPoller;
  private readonly fetcher: FeedFetcher;
  private readonly ingestDeps: IngestDeps;
  private readonly listeners: NewArticlesListener[] = [];
  private readonly storedListeners: NewArticlesListener[] = [];
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private entityNames: () => readonly string[];
  /** Background polling started in this process (it leads): a refresh runs here. */
  private pollingHere = 0;

  constructor(private readonly deps: FeedServiceDeps) {
    this.entityNames = deps.entityNames ?? (() => []);
    const { config } = deps;
    this.clock = deps.clock ?? (() => new Date());
    this.pollIntervalMs = config.FEED_POLL_MINUTES * 60_000;
    this.registry = new FeedRegistry(deps.store);
    this.seen = new SeenItems(deps.store);
    this.fetcher = new FeedFetcher(
      { allowedHosts: config.FEED_ALLOWED_HOSTS, maxBytes: config.FEED_MAX_BYTES, timeoutMs: config.FEED_TIMEOUT_MS },
      deps.resolver,
    );
    this.ingestDeps = { store: deps.store, corpus: deps.corpus, seen: this.seen, timeZone: config.DEFAULT_TIMEZONE };
    this.poller = new FeedPoller({
      registry: this.registry,
      fetcher: this.fetcher,
      ingest: this.ingestDeps,
      log: deps.log,
      pollIntervalMs: this.pollIntervalMs,
      notifier: deps.notifier,
      concurrency: deps.concurrency,
      entityNames: () => this.entityNames(),
      onNewArticles: (articles, feed) => this.announce(articles, feed),
      clock: this.clock,
    });
  }

  /**
   * New relevant articles of a poll, oldest first: the digest scheduler
   * listens here. Baseline articles (ingested by `/feeds add`) never reach
   * these listeners, so they are never posted (see onArticlesStored).
   */
  onNewArticles(listener: NewArticlesListener): void {
    this.listeners.push(listener);
  }

  /**
   * Every article a feed brings, the baseline of `/feeds add` included,
   * oldest first: the knowledge extractor listens here (a baseline is kept
   * out of digests, not out of what the bot knows).
   */
  onArticlesStored(listener: NewArticlesListener): void {
    this.storedListeners.push(listener);
  }

  /**
   * Known people and organisations widen the topic filter (an item naming
   * one is relevant). The composition root passes the names the knowledge
   * base ties to Korea (koreaEvidenceNames in relevance.ts), not all of them.
   */
  useEntityNames(provider: () => readonly string[]): void {
    this.entityNames = provider;
  }

  /**
   * Fetches the feed once; refuses what is not a feed (or is not allowed);
   * registers it and ingests its current relevant items as a baseline:
   * searchable at once, never posted.
   */
  async add(input: AddFeedInput): Promise<AddFeedResult> {
    const url = parseFeedUrl(input.url);
    if (!url.ok) return { ok: false, code: 'BAD_URL', message: url.failure.message };
    const href = url.value.href;
    const existing = await this.registry.find(href);
    if (existing) return { ok: false, code: 'FEED_EXISTS', message: `${href} is already registered as “${existing.name}”`, existing };
    const wantedName = input.name?.trim() ? truncate(input.name.trim().replace(/\s+/g, ' '), FIELD_LIMITS.name) : undefined;
    if (wantedName) {
      const taken = await this.registry.find(wantedName);
      if (taken) return { ok: false, code: 'NAME_TAKEN', message: `another feed is already called “${taken.name}”`, existing: taken };
    }

    const fetched = await this.fetcher.fetch(href);
    if (!fetched.ok) return { ok: false, code: fetched.reason, message: fetched.message };
    if (fetched.unchanged) return { ok: false, code: 'HTTP_ERROR', message: 'the server answered 304 to a request that was not conditional' };
    const now = this.clock();
    const parsed = await parseFeed(fetched.text, now, fetched.url);
    if (!parsed.ok) return { ok: false, code: parsed.reason, message: parsed.message };

    const name = wantedName ?? (await this.freeName(parsed.feed.title ?? url.value.hostname, url.value.hostname));
    const feed: FeedRecord = {
      id: feedIdFor(href),
      url: href,
      name,
      about: parseAbout(input.about),
      addedBy: input.addedBy,
      addedInChannel: input.addedInChannel,
      addedAt: now.toISOString(),
      ...(input.scope ? { scope: input.scope } : {}),
      enabled: true,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      ...successState(now, this.pollIntervalMs),
      // The adding fetch counts as the first fine fetch; its items are a baseline, not new.
      history: recordFetchDay(undefined, now, { result: 'ok', newItems: 0 }),
    };
    const relevant = createRelevanceTest({ entityNames: this.entityNames(), about: feed.about });
    const ingested = await ingestFeedItems(this.ingestDeps, feed, parsed.feed, relevant, { baseline: true, now });
    await this.registry.save(feed);
    await this.tell(this.storedListeners, ingested.articles, feed);
    this.deps.log.info({ feedId: feed.id, items: ingested.items, baseline: ingested.articles.length }, 'feed added');
    return { ok: true, feed, items: ingested.items, baseline: ingested.articles };
  }

  /** A name no other feed has: the feed's own title, else with its host added. */
  private async freeName(preferred: string, host: string): Promise<string> {
    const base = truncate(preferred, FIELD_LIMITS.name);
    if (!(await this.registry.find(base))) return base;
    const withHost = truncate(`${preferred} (${host})`, FIELD_LIMITS.name);
    if (!(await this.registry.find(withHost))) return withHost;
    return `${withHost} ${Date.now().toString(36)}`;
  }

  /**
   * Stops fetching a feed and forgets what it had seen. Its articles stay
   * in the corpus: answers already given cite them.
   */
  async remove(reference: string): Promise<FeedRecord | undefined> {
    const feed = await this.registry.find(reference);
    if (!feed) return undefined;
    await this.registry.remove(feed.id);
    await this.seen.forgetFeed(feed.id);
    this.deps.log.info({ feedId: feed.id }, 'feed removed');
    return feed;
  }

  /**
   * Stops or resumes fetching a feed. Enabling starts afresh: no failures
   * counted, fetched at the next poll round. Undefined when no feed matches;
   * `changed` false when it already was so.
   */
  async setEnabled(reference: string, enabled: boolean): Promise<{ feed: FeedRecord; changed: boolean } | undefined> {
    const feed = await this.registry.find(reference);
    if (!feed) return undefined;
    if (feed.enabled === enabled) return { feed, changed: false };
    const now = this.clock().toISOString();
    const { disabledReason: _reason, ...rest } = feed;
    const updated: FeedRecord = enabled ? { ...rest, enabled, consecutiveFailures: 0, nextAttemptAt: now } : { ...rest, enabled };
    await this.registry.save(updated);
    this.deps.log.info({ feedId: feed.id, enabled }, enabled ? 'feed enabled' : 'feed disabled');
    return { feed: updated, changed: true };
  }

  /**
   * Renames a feed and/or changes its topic words (`about`; "none" or empty
   * clears them), with /feeds add's rules: names are trimmed, clipped and
   * unique. Undefined when no feed matches.
   */
  async edit(reference: string, change: { name?: string; about?: string }): Promise<{ ok: true; feed: FeedRecord } | { ok: false; code: 'NAME_TAKEN'; existing: FeedRecord } | undefined> {
    const feed = await this.registry.find(reference);
    if (!feed) return undefined;
    const updated: FeedRecord = { ...feed };
    const name = change.name?.trim() ? truncate(change.name.trim().replace(/\s+/g, ' '), FIELD_LIMITS.name) : undefined;
    if (name && name !== feed.name) {
      const taken = await this.registry.find(name);
      if (taken && taken.id !== feed.id) return { ok: false, code: 'NAME_TAKEN', existing: taken };
      updated.name = name;
    }
    if (change.about !== undefined) updated.about = change.about.trim().toLowerCase() === 'none' ? [] : parseAbout(change.about);
    await this.registry.save(updated);
    this.deps.log.info({ feedId: feed.id }, 'feed edited');
    return { ok: true, feed: updated };
  }

  /** The service's clock (tests set it). */
  now(): Date {
    return this.clock();
  }

  list(): Promise<FeedRecord[]> {
    return this.registry.all();
  }

  find(reference: string): Promise<FeedRecord | undefined> {
    return this.registry.find(reference);
  }

  pollRound(options?: RoundOptions): Promise<RoundSummary> {
    return this.poller.pollRound(options);
  }

  /** Polls due feeds every minute in the background; returns the function that stops it. */
  startPolling(everyMs = 60_000): () => void {
    const stop = this.poller.startPolling(everyMs);
    this.pollingHere += 1;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.pollingHere -= 1;
      stop();
    };
  }

  /**
   * Fetches these feeds now, regardless of their poll interval (a failure
   * backoff or a server's Retry-After still holds one back). Only the
   * process that polls may fetch (poll/as-leader.ts says why): this one when it
   * polls, or when it can take the leader lease for the round (no bot
   * running: `armistice ask`). Otherwise the polling process is asked, and
   * fetches them in its next round, within a minute.
   */
  async refresh(feeds: readonly FeedRecord[]): Promise<RefreshResult> {
    const round = () => this.poller.pollRound({ force: true, only: feeds.map((f) => f.id) });
    if (this.pollingHere > 0) return { kind: 'fetched', summary: await round() };
    const run = await runAsLeaderOnce(this.deps.store, round);
    if (run.ran) return { kind: 'fetched', summary: run.value };
    const now = this.clock();
    const heldBack = feeds.flatMap((feed) => {
      const hold = feed.enabled ? holdBack(feed, now) : undefined;
      return hold ? [{ feed, hold }] : [];
    });
    const requested = feeds.filter((f) => f.enabled && !heldBack.some((h) => h.feed === f));
    await this.registry.requestRefresh(
      requested.map((f) => f.id),
      now,
    );
    return { kind: 'requested', holder: run.holder, requested, heldBack, disabled: feeds.filter((f) => !f.enabled) };
  }

  /** The feeds data/feeds.yaml proposes, minus those already registered. */
  async proposed(): Promise<ProposedFeed[]> {
    const result = await readProposedFeeds(this.deps.config.DATA_DIR);
    if (!result.ok) {
      this.deps.log.warn({ problems: result.problems }, 'data/feeds.yaml could not be read; run `npx armistice check-data`');
      return [];
    }
    const registered = new Set((await this.registry.all()).map((f) => f.url));
    return result.feeds.filter((f) => {
      const url = parseFeedUrl(f.url);
      return !registered.has(url.ok ? url.value.href : f.url);
    });
  }

  async close(): Promise<void> {
    await this.fetcher.close();
  }

  private async announce(articles: Article[], feed: FeedRecord): Promise<void> {
    await this.tell(this.storedListeners, articles, feed);
    await this.tell(this.listeners, articles, feed);
  }

  /** Each listener in turn; one failing is logged and the others still hear. */
  private async tell(listeners: readonly NewArticlesListener[], articles: Article[], feed: FeedRecord): Promise<void> {
    if (articles.length === 0) return;
    for (const listener of listeners) {
      try {
        await listener(articles, feed);
      } catch (error) {
        this.deps.log.error({ err: error, feedId: feed.id }, 'a listener of new feed articles failed');
      }
    }
  }
}
