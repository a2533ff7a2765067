import { readConfig } from '../../src/config.ts';
import type { Corpus } from '../../src/corpus/corpus.ts';
import { FeedService } from '../../src/feeds/feed-service.ts';
import { createLogger } from '../../src/log.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { loopbackResolver, startLoopbackServer, type LoopbackServer } from '../fixtures/feeds/loopback-server.ts';

/**
 * A FeedService as /feeds add and the poller use it, on a SQLite store in
 * memory, allowed to fetch from one fixture server on 127.0.0.1 and nowhere
 * else (2 s timeout), logging nothing.
 */
export interface LoopbackFeeds {
  server: LoopbackServer;
  store: Store;
  service: FeedService;
  /** Closes the service, the store, then the server. */
  close(): Promise<void>;
}

export async function startLoopbackFeeds(parts: { corpus: Corpus; clock: () => Date }): Promise<LoopbackFeeds> {
  const server = await startLoopbackServer();
  const store = await openStore('sqlite::memory:');
  const service = new FeedService({
    store,
    corpus: parts.corpus,
    config: readConfig({ FEED_ALLOWED_HOSTS: server.hostPort, FEED_TIMEOUT_MS: '2000' }),
    log: createLogger('silent'),
    clock: parts.clock,
    resolver: loopbackResolver,
  });
  return {
    server,
    store,
    service,
    async close() {
      await service.close();
      await store.close();
      await server.close();
    },
  };
}
