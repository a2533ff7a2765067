import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Services } from './services.ts';
import { openConfiguredStore } from './store/open.ts';
import type { Store } from './store/store.ts';
import type { Article } from './corpus/corpus.ts';
import { readCorpus } from './corpus/load.ts';
import { formatProblem } from './core/problems.ts';
import { createCorpus } from './corpus/memory-corpus.ts';
import { loadFeedArticles } from './feeds/feed-articles.ts';
import { NotifierHub } from './notify.ts';
import { FeedService } from './feeds/feed-service.ts';
import { koreaEvidenceNames } from './feeds/relevance.ts';
import { allCommands } from '../commands/index.ts';
import { Schedule } from './schedule/schedule.ts';
import { reminderEvents } from './schedule/reminder-events.ts';
import { recordNewArticles } from './schedule/instant.ts';
import { loadKnowledgeBase } from './knowledge/knowledge-base.ts';
import { ExtractedStore } from './knowledge/extracted-store.ts';
import { ReviewStore } from './knowledge/review-store.ts';
import { runLeaderDuties } from './leader-duties.ts';
import { SignInLinks } from './dashboard/sign-in-links.ts';
import { defaultHolderId } from './store/lease.ts';
import { recordingStore } from './sync/recording-store.ts';
import { InstanceSync, SYNCED_COLLECTIONS } from './sync/instance-sync.ts';

/**
 * The composition root: config → store → knowledge → feeds → scheduler →
 * adapters. Nothing else wires parts together.
 */
export async function buildServices(config: Config, log: Logger): Promise<Services> {
  const { articles, problems } = await readCorpus(config.DATA_DIR);
  if (problems.length > 0) {
    // A broken data file must not take the bot down: the valid articles are
    // served, and the operator learns where the problem is.
    log.warn({ problems: problems.length }, 'some corpus data could not be loaded; run `npx armistice check-data`');
    for (const p of problems) log.warn(formatProblem(p));
  }
  const store = await openConfiguredStore(config);
  try {
    return await assemble(config, log, articles, store);
  } catch (error) {
    // A store that cannot be read (Redis down) must not keep the process alive reconnecting.
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function assemble(config: Config, log: Logger, articles: Article[], sharedStore: Store): Promise<Services> {
  // Where this instance starts reading other instances' changes: taken before anything is loaded, so nothing written meanwhile is missed.
  const since = await sharedStore.changes.head();
  const instanceId = defaultHolderId();
  // Writes of feed articles and extracted knowledge are announced to the other instances (src/sync/).
  const store = recordingStore(sharedStore, SYNCED_COLLECTIONS, instanceId);
  // Feed articles of earlier runs join the corpus before any question is answered, indexed in one pass with the seeds.
  const corpus = createCorpus([...articles, ...(await loadFeedArticles(sharedStore))]);
  const notifier = new NotifierHub();
  const feeds = new FeedService({ store, corpus, config, log, notifier });
  // Curated knowledge; a broken record is reported and left out. What earlier
  // runs extracted from feed articles is read from the store meanwhile.
  const extracted = new ExtractedStore(store);
  const [knowledge, extractedBefore] = await Promise.all([
    loadKnowledgeBase(config.DATA_DIR, {
      onProblems: (found) => log.warn({ problems: found.length }, 'some knowledge data could not be loaded; run `npx armistice check-data`'),
    }),
    extracted.loadAll(),
  ]);
  // Admins' review decisions first, so a rejected record is never restored.
  const reviews = new ReviewStore(store, knowledge);
  await reviews.sync();
  // Restored after the curated records, so those still win.
  knowledge.restoreExtracted(extractedBefore);
  // Every feed article (a new feed's baseline too) is mined for people and dated events (marked
  // "extracted, unreviewed"); the extraction is kept for the next start.
  feeds.onArticlesStored(async (added) => {
    for (const article of added) {
      // A few milliseconds of NLP per article: commands waiting meanwhile are answered between two articles.
      await new Promise((resolve) => setImmediate(resolve));
      let found;
      try {
        found = await knowledge.ingest(article);
      } catch (error) {
        // One article the extractor cannot read must not keep the others of the round from being mined.
        log.error({ err: error, articleId: article.id }, 'knowledge could not be extracted from a feed article');
        continue;
      }
      if (found.entities.length === 0 && found.events.length === 0) continue;
      // The article is already stored and searchable; failing to keep its extraction only costs it after a restart.
      await extracted.save(article.id, found).catch((error: unknown) => {
        log.error({ err: error, articleId: article.id }, 'extracted knowledge could not be saved; it will be missing after a restart');
      });
    }
  });
  // An item naming a person or organisation the knowledge base ties to Korea is relevant even without a Korea keyword.
  feeds.useEntityNames(() => koreaEvidenceNames(knowledge.entities()));
  // Reminders post the knowledge base's anniversaries, cited with their articles.
  const anniversaries = reminderEvents(knowledge.anniversaries(), corpus);
  const schedule = new Schedule(store, () => anniversaries);
  // Digests read new (never baseline) feed articles from the schedule's article log.
  feeds.onNewArticles((added) => recordNewArticles({ schedule }, added));
  const instanceSync = new InstanceSync({ store, corpus, knowledge, extracted, log, instanceId }, since);
  return {
    config,
    log,
    store,
    corpus,
    notifier,
    feeds,
    schedule,
    knowledge,
    reviews,
    // Served beside /healthz on PORT; PUBLIC_URL says how people reach it (behind a proxy, over https).
    dashboard: {
      links: new SignInLinks(store, config.DASHBOARD_SECRET),
      baseUrl: config.PUBLIC_URL ?? (config.PORT === undefined ? undefined : `http://localhost:${config.PORT}`),
    },
    commands: allCommands,
    instanceSync,
    async close() {
      await instanceSync.stop();
      await feeds.close();
      await store.close();
    },
  };
}

/**
 * Runs the bot: on Discord and/or Slack when their tokens are set, otherwise
 * as a console chat that ends with its input. Of the processes sharing a
 * store, one at a time (the lease holder) polls feeds and posts digests and
 * reminders; any of them answers commands.
 */
export async function startBot(config: Config, log: Logger): Promise<void> {
  const services = await buildServices(config, log);
  // A running bot follows the other instances' changes; one-shot commands (ask, poll) need not.
  services.instanceSync?.start();
  const onPlatforms = Boolean(config.DISCORD_TOKEN || config.SLACK_BOT_TOKEN);
  if (!onPlatforms) return runConsole(services);
  const { runPlatforms } = await import('./platforms.ts');
  await runPlatforms(services);
}

async function runConsole(services: Services): Promise<void> {
  const [{ runConsoleChat }, { ConsoleNotifier }] = await Promise.all([
    import('./platform/console/console-chat.ts'),
    import('./platform/console/console-notifier.ts'),
  ]);
  services.notifier.register(new ConsoleNotifier());
  const leader = runLeaderDuties(services);
  try {
    await runConsoleChat(services);
  } finally {
    await leader.stop();
    await services.close();
  }
}
