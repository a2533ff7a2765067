import { comparePartialDates } from '../core/dates.ts';
import type { Article, Corpus, SearchHit } from './corpus.ts';
import { ArticleSearchIndex } from './search-index.ts';
import { makeSnippet } from './snippet.ts';

/**
 * The corpus held in memory with its search index. Orderings are computed
 * once and kept until the next add, so a query only pays for the search.
 */
export function createCorpus(articles: Iterable<Article> = []): Corpus {
  return new MemoryCorpus(articles);
}

class MemoryCorpus implements Corpus {
  private readonly byId = new Map<string, Article>();
  private readonly index = new ArticleSearchIndex();
  private readonly listeners: Array<(article: Article) => void> = [];
  private allCache: readonly Article[] | undefined;
  private newestFirstCache: readonly Article[] | undefined;

  constructor(articles: Iterable<Article>) {
    for (const article of articles) this.byId.set(article.id, article); // a later duplicate wins, as with add()
    this.index.addAll([...this.byId.values()]);
  }

  all(): readonly Article[] {
    return (this.allCache ??= [...this.byId.values()]);
  }

  get(id: string): Article | undefined {
    return this.byId.get(id);
  }

  search(query: string): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const { id, score, terms } of this.index.search(query)) {
      const article = this.byId.get(id);
      if (article) hits.push(lazySnippetHit(article, score, terms));
    }
    return hits;
  }

  latest(): Article[] {
    return [...(this.newestFirstCache ??= [...this.byId.values()].sort(newestFirst))];
  }

  add(article: Article): void {
    this.byId.set(article.id, article);
    this.index.upsert(article);
    this.allCache = undefined;
    this.newestFirstCache = undefined;
    // Every listener hears of the article even if an earlier one fails.
    const errors: unknown[] = [];
    for (const listener of this.listeners) {
      try {
        listener(article);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} corpus listener(s) failed on article ${article.id}`);
  }

  onAdd(listener: (article: Article) => void): void {
    this.listeners.push(listener);
  }
}

/**
 * A hit whose snippet is made when first read: a broad query over a large
 * corpus matches thousands of articles, and only one page of them is shown.
 * The property is enumerable, so JSON output still includes it.
 */
function lazySnippetHit(article: Article, score: number, terms: string[]): SearchHit {
  let snippet: string | undefined;
  const hit = { article, score } as SearchHit;
  Object.defineProperty(hit, 'snippet', {
    enumerable: true,
    get: () => (snippet ??= makeSnippet(article.paragraphs, terms)),
  });
  return hit;
}

/** Newest publication date first; undated articles last; then the latest ingested, then by id. */
function newestFirst(a: Article, b: Article): number {
  if (a.published && b.published) {
    const byDate = comparePartialDates(b.published, a.published);
    if (byDate !== 0) return byDate;
  } else if (a.published || b.published) {
    return a.published ? -1 : 1;
  }
  return (b.ingestedAt ?? '').localeCompare(a.ingestedAt ?? '') || a.id.localeCompare(b.id);
}
