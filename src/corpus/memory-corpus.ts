import type { Article, Corpus, SearchHit, SearchOptions } from './corpus.ts';
import { DateOrder } from './date-order.ts';
import { ArticleSearchIndex } from './search-index.ts';
import { shelve } from './shelved-article.ts';
import { makeSnippet } from './snippet.ts';

/**
 * The corpus held in memory with its search index. The date order is kept
 * up to date as articles arrive, so a query only pays for the search.
 * Articles are kept shelved (bodies on this process's text shelf, see
 * shelved-article.ts); the index and the listeners read the plain article
 * they were given.
 */
export function createCorpus(articles: Iterable<Article> = []): Corpus {
  return new MemoryCorpus(articles);
}

class MemoryCorpus implements Corpus {
  private readonly byId = new Map<string, Article>();
  private readonly index = new ArticleSearchIndex();
  private readonly listeners: Array<(article: Article) => void> = [];
  private allCache: readonly Article[] | undefined;
  private readonly dateOrder: DateOrder;

  constructor(articles: Iterable<Article>) {
    const plain = new Map<string, Article>();
    for (const article of articles) plain.set(article.id, article); // a later duplicate wins, as with add()
    this.index.addAll([...plain.values()]);
    for (const [id, article] of plain) this.byId.set(id, shelve(article));
    this.dateOrder = new DateOrder([...this.byId.values()]);
  }

  all(): readonly Article[] {
    return (this.allCache ??= [...this.byId.values()]);
  }

  get(id: string): Article | undefined {
    return this.byId.get(id);
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.ranked(query, options).hits;
  }

  searchPage(query: string, page: number, pageSize: number): { hits: SearchHit[]; total: number } {
    const { hits, total } = this.ranked(query, { limit: page * pageSize });
    return { hits: hits.slice((page - 1) * pageSize), total };
  }

  private ranked(query: string, options: SearchOptions): { hits: SearchHit[]; total: number } {
    const { ids, scores, terms, total } = this.index.search(query, options);
    const hits: SearchHit[] = [];
    for (let i = 0; i < ids.length; i++) {
      const article = this.byId.get(ids[i]!);
      if (article) hits.push(new LazySnippetHit(article, scores[i]!, terms));
    }
    return { hits, total };
  }

  latest(): Article[] {
    return this.dateOrder.newestFirst();
  }

  latestPage(page: number, pageSize: number): { articles: Article[]; total: number } {
    return { articles: this.dateOrder.newest((page - 1) * pageSize, pageSize), total: this.byId.size };
  }

  add(article: Article): void {
    const previous = this.byId.get(article.id);
    const shelved = shelve(article);
    this.byId.set(article.id, shelved);
    this.index.upsert(article);
    this.allCache = undefined;
    if (previous) this.dateOrder.remove(previous);
    this.dateOrder.add(shelved);
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
  private made: string | undefined = undefined;

  constructor(
    readonly article: Article,
    readonly score: number,
    private readonly terms: readonly string[],
  ) {}

  get snippet(): string {
    return (this.made ??= makeSnippet(this.article.paragraphs, this.terms));
  }

  toJSON(): SearchHit {
    return { article: this.article, score: this.score, snippet: this.snippet };
  }
}
