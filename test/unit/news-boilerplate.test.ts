import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ask from '../../commands/ask.ts';
import news from '../../commands/news.ts';
import source from '../../commands/source.ts';
import { cleanArticleText } from '../../src/corpus/clean.ts';
import type { Corpus } from '../../src/corpus/corpus.ts';
import { loadArticles } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { Args, CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';

/**
 * No boilerplate of the raw pages can reach a user: every answer /news and
 * /source can give over the whole corpus, and /ask's answers to questions
 * made of the same words, are searched for it.
 */

const DATA = new URL('../../data', import.meta.url).pathname;

/** Words of page furniture that no article sentence in the seeds uses. */
const GENERIC_MARKERS = [
  'gtag',
  'Google tag',
  'Be the first to comment',
  'Leave a Reply',
  'Your email address',
  'swipe',
  'Swipe',
  'Popular',
  'SOURCE:',
  'Copyright',
  'All rights reserved',
  'archived article',
  'Tag Archives',
  '[RELATED',
  'youtube',
  'http',
];

/** The exact lines the cleaner removed from the seeds, except repeats of the headline and the dateline. */
function removedLines(): string[] {
  const corpusDir = join(DATA, 'corpus');
  return ['000_546d1457a8590048', '001_a52e17232520a38c', '002_6b42de142ce55b91', '003_d3d20f4a58c752ab', '004_e776972307e5fca4'].flatMap((id) =>
    cleanArticleText(readFileSync(join(corpusDir, `${id}.txt`), 'utf8'))
      .removed.filter((r) => r.reason !== 'duplicate-line' && r.reason !== 'dateline')
      .map((r) => r.text),
  );
}

let corpus: Corpus;
let knowledge: KnowledgeBase;
beforeAll(async () => {
  corpus = createCorpus(await loadArticles(DATA));
  knowledge = await loadKnowledgeBase(DATA);
});

function context(): CommandContext {
  return {
    services: { corpus, knowledge, commands: [news, source, ask] } as unknown as Services,
    user: { id: 'u1', isAdmin: false },
    channel: { id: 'console', platform: 'console' },
    positional: new Set(),
    now: new Date(),
  };
}

/** Every page of /news for `query` (or the latest list). */
async function allNewsPages(query: string | undefined): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let page = 1; ; page++) {
    const args: Args = query === undefined ? { page } : { query, page };
    const reply = await news.run!(context(), args);
    replies.push(reply);
    if (!reply.paging || page >= reply.paging.pages) return replies;
  }
}

const QUERIES = [
  undefined,
  'peace treaty',
  'Moon',
  'Korea',
  'war',
  'Kim Jong Un',
  // Words of the boilerplate itself: they must find nothing of it.
  'gtag',
  'google tag',
  'comment',
  'reply',
  'email address',
  'swipe',
  'popular',
  'getty images',
  'lowy',
  'copyright',
  'archived',
  'related reality check',
  'youtube',
  'car parade',
];

describe('answers never show boilerplate', () => {
  it('in any /news, /source or /ask answer', async () => {
    const replies: Array<{ reply: Reply; query?: string }> = [];
    for (const query of QUERIES) for (const reply of await allNewsPages(query)) replies.push({ reply, query });
    for (const article of corpus.all()) replies.push({ reply: await source.run!(context(), { id: article.id }) });
    for (const query of QUERIES.filter((q) => q !== undefined)) {
      // /ask repeats the question's words in its title and suggestions: those are the query, not boilerplate.
      for (const question of [`what about ${query}?`, `when did ${query} happen?`]) {
        replies.push({ reply: await ask.run!(context(), { question }), query });
      }
    }
    expect(replies.length).toBeGreaterThan(QUERIES.length + 4);

    const markers = [...GENERIC_MARKERS, ...removedLines()];
    expect(markers).toContain('SOURCE: LOWY INSTITUTE/GETTY IMAGES');
    for (const { reply, query } of replies) {
      // The answer repeats what was asked (“No articles match “gtag””): that is not boilerplate.
      const withoutQuery = (s: string) => (query ? s.split(query).join('<query>') : s);
      const text = withoutQuery(renderPlainText(reply));
      const json = withoutQuery(JSON.stringify(reply));
      for (const marker of markers) {
        expect(text, `plain text of “${reply.title}”`).not.toContain(marker);
        expect(json, `JSON of “${reply.title}”`).not.toContain(JSON.stringify(marker).slice(1, -1));
      }
    }
  });
});
