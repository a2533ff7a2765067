import type { Corpus } from './corpus/corpus.ts';
import type { Store } from './store/store.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { NotifierHub } from './notify.ts';
import type { CommandSpec } from './router/command.ts';
import type { Schedule } from './schedule/schedule.ts';
import type { FeedService } from './feeds/feed-service.ts';
import type { KnowledgeBase } from './knowledge/knowledge-base.ts';
import type { ReviewStore } from './knowledge/review-store.ts';
import type { SignInLinks } from './dashboard/sign-in-links.ts';
import type { InstanceSync } from './sync/instance-sync.ts';

/**
 * What commands and jobs may use. Built once by src/main.ts (the composition
 * root); tests build their own with real parts.
 */
export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  corpus: Corpus;
  /** Posts to channels on whichever platforms this process is connected to. */
  notifier: NotifierHub;
  /** RSS/Atom feeds: add, remove, list, poll; listeners of new articles (src/feeds). */
  feeds: FeedService;
  /** Subscriptions, the posting ledger and what digests read (src/schedule). */
  schedule: Schedule;
  /** People, organisations, places and dated events, with lookup and ingest (src/knowledge). */
  knowledge: KnowledgeBase;
  /** Admins' /review decisions on extracted knowledge, shared by every instance (src/knowledge/review-store.ts). */
  reviews: ReviewStore;
  /** The web dashboard's sign-in links (/dashboard makes them) and the address they point at (undefined: not served). */
  dashboard: { links: SignInLinks; baseUrl: string | undefined };
  /** The command registry, for /help and the platforms' registration. */
  commands: readonly CommandSpec[];
  /** Applies other instances' changes to this one's corpus and knowledge (src/sync/); started by a running bot. */
  instanceSync?: InstanceSync;
  /** Flushes and closes what was opened (store, timers). */
  close(): Promise<void>;
}
