/**
 * Which new articles a channel wants (its `about` filter), and which of them
 * tell the same story: several feeds reporting one event get one digest
 * item, not five.
 */
import type { LoggedArticle } from './article-log.ts';

/** Two titles whose word sets overlap this much (Jaccard) report the same story. */
export const SAME_STORY_SIMILARITY = 0.6;

const STOPWORDS = new Set(
  'a an the of in on at to for and or but with by as is are was were be been from after over into about its it this that says say said new'.split(' '),
);

/** The meaningful words of a title, lower-cased. */
export function titleWords(title: string): Set<string> {
  const words = title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => !STOPWORDS.has(w)));
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
 * Groups articles (given oldest first) into stories, in the order each story
 * first appeared. An article joins the first story one of whose articles has
 * a near-identical title.
 */
export function groupIntoStories(articles: readonly LoggedArticle[]): Story[] {
  const stories: Array<{ story: Story; words: Array<Set<string>> }> = [];
  for (const article of articles) {
    const words = titleWords(article.title);
    const home = stories.find((s) => s.words.some((w) => jaccard(w, words) >= SAME_STORY_SIMILARITY));
    if (home) {
      home.story.articles.push(article);
      home.words.push(words);
    } else {
      stories.push({ story: { articles: [article] }, words: [words] });
    }
  }
  return stories.map((s) => s.story);
}

/**
 * A channel's `about` filter: alternatives separated by commas, each a set
 * of words that must all appear (as words or word beginnings) in the title
 * or the opening. `summit, peace treaty` = about summits, or about a peace treaty.
 */
export function aboutFilter(about: string | undefined): (article: LoggedArticle) => boolean {
  const alternatives = (about ?? '')
    .split(',')
    .map((alt) => alt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((words) => words.length > 0);
  if (alternatives.length === 0) return () => true;
  return (article) => {
    const words = `${article.title} ${article.lead}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return alternatives.some((alt) => alt.every((wanted) => words.some((w) => w.startsWith(wanted))));
  };
}
