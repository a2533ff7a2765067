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
      if (article) hits.push(new LazySnippetHit(article, score, terms));
    }
    return hits;
  }

  latest(): Article[] {
    return [...(this.newestFirstCache ??= sortNewestFirst([...this.byId.values()]))];
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
 * toJSON keeps the snippet in JSON output.
 */
class LazySnippetHit implements SearchHit {
  #snippet: string | undefined;
  readonly #terms: readonly string[];

  constructor(
    readonly article: Article,
    readonly score: number,
    terms: readonly string[],
  ) {
    this.#terms = terms;
  }

  get snippet(): string {
    return (this.#snippet ??= makeSnippet(this.article.paragraphs, this.#terms));
  }

  toJSON(): SearchHit {
    return { article: this.article, score: this.score, snippet: this.snippet };
  }
}

/**
 * Newest publication date first; undated articles last; then the latest
 * ingested, then by id. The date becomes one sortable number per article
 * first: sorting 10,000 articles compares ~130,000 times.
 */
function sortNewestFirst(articles: Article[]): Article[] {
  // A less precise date sorts before the precise dates it contains (as comparePartialDates does).
  const key = new Map(articles.map((a) => [a, a.published ? a.published.year * 10_000 + (a.published.month ?? 0) * 100 + (a.published.day ?? 0) : -1]));
  return articles.sort(
    (a, b) => key.get(b)! - key.get(a)! || (b.ingestedAt ?? '').localeCompare(a.ingestedAt ?? '') || a.id.localeCompare(b.id),
  );
}
