import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { loadFeedArticles } from '../feeds/feed-articles.ts';
import { defaultHolderId } from '../store/lease.ts';
import { openConfiguredStore } from '../store/open.ts';
import { recordingStore } from '../sync/recording-store.ts';
import { EXTRACTED_COLLECTION, ExtractedStore } from './extracted-store.ts';
import { loadKnowledgeBase } from './knowledge-base.ts';

/**
 * `armistice knowledge reextract`: runs the extractor again over every feed
 * article in the store (a feed's baseline included), oldest first, against
 * the curated knowledge alone, and puts each article's new extraction in
 * place of its stored one. Ids derive from the article and the name or
 * sentence, so a second run finds nothing to change and writes nothing.
 * Each write is announced in the store's change log, as the bot's own are,
 * so bots running on the same store put the new extraction in place of the
 * article's old one within a second or so (src/sync/instance-sync.ts).
 */

export interface ReextractIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export const REEXTRACT_USAGE = 'Usage: armistice knowledge reextract\n  re-runs the extractor over the feed articles in the store (STORE_URL) and replaces what was extracted from each\n';

export async function reextractCommand(argv: string[], io: ReextractIO): Promise<number> {
  try {
    parseArgs({ args: argv, options: {}, allowPositionals: false });
  } catch (error) {
    io.stderr.write(`armistice knowledge reextract: ${(error as Error).message}\n\n${REEXTRACT_USAGE}`);
    return 2;
  }
  const config = readConfig(io.env);
  const shared = await openConfiguredStore(config);
  const store = recordingStore(shared, [EXTRACTED_COLLECTION], `reextract:${defaultHolderId()}`);
  try {
    const [articles, knowledge] = await Promise.all([loadFeedArticles(store), loadKnowledgeBase(config.DATA_DIR)]);
    const extracted = new ExtractedStore(store);
    const counts = { unchanged: 0, written: 0, removed: 0 };
    let entities = 0;
    let events = 0;
    for (const article of articles) {
      const extraction = await knowledge.ingest(article);
      entities += extraction.entities.length;
      events += extraction.events.length;
      counts[await extracted.replace(article.id, extraction, article.ingestedAt ?? new Date().toISOString())]++;
    }
    io.stdout.write(
      `Re-extracted ${articles.length} feed article(s): ${entities} people/organisation claim(s), ${events} dated event(s).\n` +
        `Stored extractions: ${counts.written} written, ${counts.removed} removed, ${counts.unchanged} unchanged.\n` +
        (counts.written + counts.removed > 0 ? 'Bots running on this store take the changes in as they are written.\n' : ''),
    );
    return 0;
  } finally {
    await store.close();
  }
}
