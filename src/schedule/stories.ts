/**
 * Which new articles a channel wants (its `about` filter), and which of them
 * tell the same story: several feeds reporting one event get one digest
 * item, not five.
 *
 * Stories are found once over the whole article log (every channel sees the
 * same grouping) and remembered until the log changes; a tick with 10,000
 * channels then only filters and buckets.
 */
import type { LoggedArticle } from './article-log.ts';

/** Two titles whose word sets overlap this much (Jaccard) report the same story. */
export const SAME_STORY_SIMILARITY = 0.6;
/** Reports of one event arrive within days; older stories are not candidates. */
const STORY_WINDOW_MS = 3 * 86_400_000;

const STOPWORDS = new Set(
  'a an the of in on at to for and or but with by as is are was were be been from after over into about its it this that says say said new'.split(' '),
);

const titleWordCache = new WeakMap<LoggedArticle, Set<string>>();
const textWordCache = new WeakMap<LoggedArticle, string[]>();

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The meaningful words of a title, lower-cased. */
export function titleWords(title: string): Set<string> {
  return new Set(words(title).filter((w) => !STOPWORDS.has(w)));
}

function titleWordsOf(article: LoggedArticle): Set<string> {
  let known = titleWordCache.get(article);
  if (!known) titleWordCache.set(article, (known = titleWords(article.title)));
  return known;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export interface Story {
  /** The articles reporting it, oldest first; the first names the story. */
  articles: LoggedArticle[];
}

/**
 * Numbers the stories of articles given oldest first: an article joins the
 * earliest recent story one of whose articles has a near-identical title,
 * or starts a new one. Candidates come from an index of title words, so the
 * cost grows with the number of articles, not its square.
 */
export function clusterStories(chronological: readonly LoggedArticle[]): Map<string, number> {
  const storyOf = new Map<string, number>();
  const members: Array<{ words: Array<Set<string>>; lastSeen: number }> = [];
  const storiesWithWord = new Map<string, number[]>();
  for (const article of chronological) {
    const own = titleWordsOf(article);
    const ingested = Date.parse(article.ingestedAt);
    const candidates = new Set<number>();
    for (const word of own) for (const story of storiesWithWord.get(word) ?? []) candidates.add(story);
    let home: number | undefined;
    for (const story of [...candidates].sort((a, b) => a - b)) {
      const entry = members[story]!;
      if (ingested - entry.lastSeen > STORY_WINDOW_MS) continue;
      if (entry.words.some((w) => jaccard(w, own) >= SAME_STORY_SIMILARITY)) {
        home = story;
        break;
      }
    }
    if (home === undefined) {
      home = members.length;
      members.push({ words: [], lastSeen: ingested });
    }
    const entry = members[home]!;
    entry.words.push(own);
    entry.lastSeen = Math.max(entry.lastSeen, ingested);
    for (const word of own) {
      const list = storiesWithWord.get(word) ?? [];
      if (list.at(-1) !== home) list.push(home);
      storiesWithWord.set(word, list);
    }
    storyOf.set(article.id, home);
  }
  return storyOf;
}

/** The stories of some articles (oldest first), in the order each story first appears among them. */
export function storiesFrom(articles: readonly LoggedArticle[], storyOf: ReadonlyMap<string, number>): Story[] {
  const stories = new Map<number | string, Story>();
  for (const article of articles) {
    const key = storyOf.get(article.id) ?? article.id;
    const story = stories.get(key);
    if (story) story.articles.push(article);
    else stories.set(key, { articles: [article] });
  }
  return [...stories.values()];
}

/** Groups articles given oldest first into stories. */
export function groupIntoStories(articles: readonly LoggedArticle[]): Story[] {
  return storiesFrom(articles, clusterStories(articles));
}

const filters = new Map<string, (article: LoggedArticle) => boolean>();

/**
 * A channel's `about` filter: alternatives separated by commas, each a set
 * of words that must all appear (as words or word beginnings) in the title
 * or the opening. `summit, peace treaty` = about summits, or about a peace treaty.
 * Filters and their verdicts are remembered: thousands of channels share a few.
 */
export function aboutFilter(about: string | undefined): (article: LoggedArticle) => boolean {
  const key = (about ?? '').trim().toLowerCase();
  let filter = filters.get(key);
  if (!filter) {
    filter = compileFilter(key);
    if (filters.size >= 10_000) filters.clear();
    filters.set(key, filter);
  }
  return filter;
}

function compileFilter(about: string): (article: LoggedArticle) => boolean {
  const alternatives = about
    .split(',')
    .map(words)
    .filter((alt) => alt.length > 0);
  if (alternatives.length === 0) return () => true;
  const verdicts = new WeakMap<LoggedArticle, boolean>();
  return (article) => {
    let verdict = verdicts.get(article);
    if (verdict === undefined) {
      let text = textWordCache.get(article);
      if (!text) textWordCache.set(article, (text = words(`${article.title} ${article.lead}`)));
      const present = text;
      verdict = alternatives.some((alt) => alt.every((wanted) => present.some((w) => w.startsWith(wanted))));
      verdicts.set(article, verdict);
    }
    return verdict;
  };
}
