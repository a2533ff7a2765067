import type { Article, Corpus, SearchHit } from './corpus.ts';
import { ArticleSearchIndex } from './search-index.ts';
import { makeSnippet } from './snippet.ts';

/**
 * The corpus held in memory with its search index. The date order is kept
 * up to date as articles arrive, so a query only pays for the search.
 */
export function createCorpus(articles: Iterable<Article> = []): Corpus {
  return new MemoryCorpus(articles);
}

class MemoryCorpus implements Corpus {
  private readonly byId = new Map<string, Article>();
  private readonly index = new ArticleSearchIndex();
  private readonly listeners: Array<(article: Article) => void> = [];
  private allCache: readonly Article[] | undefined;
  /**
   * Oldest first, the reverse of what latest() returns: arriving news is
   * mostly the newest, so it is appended rather than spliced in at the front
   * (which moved every element, per article).
   */
  private readonly oldestFirst: Article[];

  constructor(articles: Iterable<Article>) {
    for (const article of articles) this.byId.set(article.id, article); // a later duplicate wins, as with add()
    const unique = [...this.byId.values()];
    this.index.addAll(unique);
    this.oldestFirst = unique.sort((a, b) => compareNewestFirst(b, a));
  }

  all(): readonly Article[] {
    return (this.allCache ??= [...this.byId.values()]);
  }

  get(id: string): Article | undefined {
    return this.byId.get(id);
  }

  search(query: string): SearchHit[] {
    const { ids, scores, terms } = this.index.search(query);
    const hits: SearchHit[] = [];
    for (let i = 0; i < ids.length; i++) {
      const article = this.byId.get(ids[i]!);
      if (article) hits.push(new LazySnippetHit(article, scores[i]!, terms));
    }
    return hits;
  }

  latest(): Article[] {
    return [...this.oldestFirst].reverse();
  }

  add(article: Article): void {
    const previous = this.byId.get(article.id);
    this.byId.set(article.id, article);
    this.index.upsert(article);
    this.allCache = undefined;
    if (previous) this.oldestFirst.splice(this.oldestFirst.lastIndexOf(previous), 1);
    const at = insertionPoint(this.oldestFirst, article);
    if (at === this.oldestFirst.length) this.oldestFirst.push(article);
    else this.oldestFirst.splice(at, 0, article);
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

/** Newest publication date first; undated articles last; then the latest ingested, then by id. */
function compareNewestFirst(a: Article, b: Article): number {
  return dateKey(b) - dateKey(a) || (b.ingestedAt ?? '').localeCompare(a.ingestedAt ?? '') || a.id.localeCompare(b.id);
}

/**
 * The publication date as one sortable number (-1 when unknown). A less
 * precise date sorts before the precise dates it contains, as in
 * comparePartialDates.
 */
function dateKey(article: Article): number {
  const date = article.published;
  return date ? date.year * 10_000 + (date.month ?? 0) * 100 + (date.day ?? 0) : -1;
}

/** Where an article goes in an oldest-first list (binary search; checks the end first, where news goes). */
function insertionPoint(list: readonly Article[], article: Article): number {
  const last = list.at(-1);
  if (!last || compareNewestFirst(article, last) <= 0) return list.length;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareNewestFirst(article, list[middle]!) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
