import type { Article, Corpus } from './corpus.ts';

/**
 * Finds the article a user means by an id they typed. Ids such as
 * `004_e776972307e5fca4` are long, so a unique prefix (`004`) is enough.
 */
export type ArticleLookup =
  | { found: Article }
  /** No single match: the closest ids, best first (possibly empty). */
  | { found?: undefined; suggestions: Article[] };

export function findArticle(corpus: Corpus, input: string, maxSuggestions = 5): ArticleLookup {
  const wanted = input.trim();
  const exact = corpus.get(wanted);
  if (exact) return { found: exact };
  const lower = wanted.toLowerCase();
  const all = corpus.all();
  const byPrefix = lower === '' ? [] : all.filter((a) => a.id.toLowerCase().startsWith(lower));
  if (byPrefix.length === 1) return { found: byPrefix[0]! };
  if (byPrefix.length > 1) return { suggestions: byPrefix.slice(0, maxSuggestions) };
  return { suggestions: nearestIds(all, lower, maxSuggestions) };
}

/** Completions for an id being typed: ids starting with it, then titles containing it. */
export function completeArticleId(corpus: Corpus, partial: string, limit = 25): string[] {
  const lower = partial.trim().toLowerCase();
  if (lower === '') return corpus.latest().slice(0, limit).map((a) => a.id);
  const out: string[] = [];
  for (const article of corpus.all()) {
    if (article.id.toLowerCase().startsWith(lower)) out.push(article.id);
    if (out.length >= limit) return out;
  }
  for (const article of corpus.all()) {
    if (!out.includes(article.id) && article.title.toLowerCase().includes(lower)) out.push(article.id);
    if (out.length >= limit) break;
  }
  return out;
}

/** The ids closest to `input` by edit distance over their first characters. */
function nearestIds(articles: readonly Article[], input: string, count: number): Article[] {
  if (input === '') return articles.slice(0, count);
  return articles
    .map((article) => ({ article, distance: editDistance(input, article.id.toLowerCase().slice(0, input.length)) }))
    .filter((c) => c.distance <= Math.max(2, Math.floor(input.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.article.id.localeCompare(b.article.id))
    .slice(0, count)
    .map((c) => c.article);
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
