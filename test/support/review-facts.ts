import type { Article } from '../../src/corpus/corpus.ts';
import type { IngestResult } from '../../src/knowledge/knowledge-base.ts';
import { saveFeedArticles } from '../../src/feeds/feed-articles.ts';
import { ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import type { Services } from '../../src/services.ts';

/**
 * A feed-like article, and the way the bot learns from one: kept in the
 * store and joins the corpus, goes through knowledge.ingest (the real extractor) and what it
 * added is kept in the store, as src/main.ts does for new feed items. The
 * extractor finds in it: Sung Kim (person, "US special envoy"), the Stimson Center
 * (organisation), an event on Thursday 4 March 2021 and one in January 2021.
 */
export const ENVOY_ARTICLE: Article = {
  id: 'feed-7e57a11c1e000001',
  title: 'Seoul and Washington discuss an end-of-war declaration',
  outlet: 'Peninsula Wire',
  url: 'https://news.example/envoy',
  published: { year: 2021, month: 3, day: 5 },
  paragraphs: [
    'South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration. The Stimson Center said in January that the talks could resume.',
  ],
  origin: 'feed',
  feedId: 'f-wire',
  ingestedAt: '2021-03-05T08:00:00.000Z',
};

export async function learnFrom(services: Services, article: Article = ENVOY_ARTICLE): Promise<IngestResult> {
  // Kept as the feeds module keeps a new item (not a baseline), so a restart restores it to the corpus.
  await saveFeedArticles(services.store, article.feedId!, [article], false, new Date(article.ingestedAt!));
  services.corpus.add(article);
  const found = await services.knowledge.ingest(article);
  await new ExtractedStore(services.store).save(article.id, found);
  return found;
}
