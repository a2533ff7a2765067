import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply } from '../src/reply/reply.ts';
import type { Article } from '../src/corpus/corpus.ts';
import { articleMeta, sourceRef } from '../src/corpus/present.ts';
import { makeSnippet } from '../src/corpus/snippet.ts';

const PAGE_SIZE = 5;

/** A result line: what /news shows of one article. */
interface Shown {
  article: Article;
  snippet: string;
}

export default defineCommand({
  name: 'news',
  description: 'Search the articles, or list the latest ones',
  ko: { name: '뉴스', description: '기사 검색 또는 최신 기사 목록' },
  options: [
    { name: 'query', type: 'string', description: 'Words to look for (leave out for the latest articles)', rest: true, maxLength: 200, example: 'peace treaty' },
    { name: 'page', type: 'integer', description: 'Page of results', min: 1, example: '2' },
  ],
  examples: ['news peace treaty', 'news Pompeo visit', 'news armistice page:2', 'news'],
  run(ctx, args) {
    const query = typeof args.query === 'string' ? args.query.trim() : '';
    const page = typeof args.page === 'number' ? args.page : 1;
    const corpus = ctx.services.corpus;

    if (query === '') {
      const { articles, total } = corpus.latestPage(page, PAGE_SIZE);
      if (total === 0) return { title: 'No articles yet', text: ['The corpus is empty: articles appear here once data/corpus or a feed provides them.'] };
      const shown = articles.map((article) => ({ article, snippet: '' }));
      return pageOf(shown, total, page, '/news', 'Latest articles', `${total} article${total === 1 ? '' : 's'} in all · /news <words> searches them`);
    }

    // Only the hits up to this page are ranked: a broad query matches most of a large corpus.
    const { hits, total } = corpus.searchPage(query, page, PAGE_SIZE);
    if (total === 0) {
      return {
        title: `No articles match “${query}”`,
        text: [
          'Try other or fewer words, a name (Moon, Kim Jong Un, Pompeo) or a subject (armistice, peace treaty, summit).',
          'Type /news alone to see the latest articles.',
        ],
      };
    }
    return pageOf(hits, total, page, newsCommandLine(query), `News: “${query}”`, `${total} article${total === 1 ? '' : 's'} match · /source <id> shows one`);
  },
});

/** `shown`: the results on this page, of `total` in all. */
function pageOf(shown: readonly Shown[], total: number, page: number, commandLine: string, title: string, footer: string): Reply {
  const pages = Math.ceil(total / PAGE_SIZE);
  if (page > pages) {
    return userError('PAGE_OUT_OF_RANGE', `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of results.`, [
      `Try ${commandLine} page:${pages}`,
    ]);
  }
  return {
    title,
    items: shown.map(({ article, snippet }) => ({
      title: article.title,
      meta: articleMeta(article),
      // The latest list has no match to centre on: show the opening.
      text: snippet || makeSnippet(article.paragraphs, []),
      sourceIds: [article.id],
    })),
    sources: shown.map(({ article }) => sourceRef(article)),
    footer,
    paging: { page, pages, commandLine },
  };
}

/**
 * The command line that re-runs this search (paging buttons append
 * `page:N`). Free words read best; quoting is needed only when the query
 * itself looks like an option.
 */
function newsCommandLine(query: string): string {
  const plain = query.replace(/\s+/g, ' ');
  return /[:"“”]/.test(plain) ? `/news query:"${plain.replace(/["“”]/g, '')}"` : `/news ${plain}`;
}
