/**
 * Composing a digest: the stories, oldest first, each with outlet, date and
 * link, split into messages that fit every platform.
 */
import { sourceRef } from '../corpus/present.ts';
import { formatPartialDate } from '../core/dates.ts';
import type { Reply, ReplyItem, SourceRef } from '../reply/reply.ts';
import { renderItem, renderSource } from '../reply/plain-text.ts';
import type { LoggedArticle } from './article-log.ts';
import type { Story } from './stories.ts';

/** Per message: Discord allows 25 embed fields and ~4,000 characters of text, Slack 50 blocks; stay well inside. */
export const MAX_ITEMS_PER_MESSAGE = 10;
export const MAX_CHARS_PER_MESSAGE = 3_500;
const MAX_TITLE_LENGTH = 250;

export interface DigestHeading {
  /** `News digest — 27 July 2026`, `Weekly news digest — week of 20 July 2026`, `New articles`. */
  title: string;
  /** The channel's filter, shown so readers know why they see these. */
  about?: string;
}

/** The messages of one digest; none when there is no story. */
export function digestMessages(stories: readonly Story[], heading: DigestHeading): Reply[] {
  if (stories.length === 0) return [];
  const articleCount = stories.reduce((n, s) => n + s.articles.length, 0);
  const footer = [
    `${stories.length} ${stories.length === 1 ? 'story' : 'stories'} from ${articleCount} new ${articleCount === 1 ? 'article' : 'articles'}`,
    heading.about ? `about: ${heading.about}` : undefined,
    '/subscribe changes this digest, /unsubscribe stops it',
  ]
    .filter(Boolean)
    .join(' · ');

  // Split by the length of the plain-text rendering (the longest of the
  // renderings), counted per story once: title and footer, then each item
  // and its source lines, as renderPlainText lays them out.
  const fixed = `== ${heading.title} (10/10) ==`.length + 'Sources:'.length + footer.length + 3 * '\n\n'.length;
  const parts: Story[][] = [];
  let current: Story[] = [];
  let length = fixed;
  for (const story of stories) {
    const cost = storyLength(story);
    if (current.length > 0 && (current.length >= MAX_ITEMS_PER_MESSAGE || length + cost > MAX_CHARS_PER_MESSAGE)) {
      parts.push(current);
      current = [];
      length = fixed;
    }
    current.push(story);
    length += cost;
  }
  parts.push(current);
  return parts.map((part, i) =>
    message(part, parts.length === 1 ? heading.title : `${heading.title} (${i + 1}/${parts.length})`, footer),
  );
}

/** What one story adds to a message's plain text: its item line(s) and its source lines. */
function storyLength(story: Story): number {
  const item = renderItem(storyItem(story)).length + 1;
  return story.articles.reduce((sum, article) => sum + '\n  '.length + sourceLength(article), item);
}

// Per article, computed once: thousands of channels' digests cite the same articles.
const sources = new WeakMap<LoggedArticle, SourceRef>();
const sourceLengths = new WeakMap<LoggedArticle, number>();

function sourceLength(article: LoggedArticle): number {
  let length = sourceLengths.get(article);
  if (length === undefined) sourceLengths.set(article, (length = renderSource(articleSource(article)).length));
  return length;
}

function message(stories: readonly Story[], title: string, footer: string): Reply {
  return {
    title,
    items: stories.map(storyItem),
    sources: stories.flatMap((s) => s.articles.map(articleSource)),
    footer,
  };
}

function storyItem(story: Story): ReplyItem {
  const [first, ...others] = story.articles as [LoggedArticle, ...LoggedArticle[]];
  const meta = [first.outlet ?? 'unknown outlet', articleDay(first)];
  if (others.length > 0) {
    const outlets = [...new Set(others.map((a) => a.outlet ?? 'another feed'))];
    meta.push(`also reported by ${outlets.join(', ')}`);
  }
  const item: ReplyItem = { title: shorten(first.title), meta: meta.join(' · '), sourceIds: story.articles.map((a) => a.id) };
  if (first.url) item.url = first.url;
  return item;
}

function articleSource(article: LoggedArticle): SourceRef {
  let source = sources.get(article);
  if (!source) sources.set(article, (source = sourceRef({ ...article, paragraphs: [], origin: 'feed' })));
  return source;
}

/** The publication date when the feed gave one, else the day it arrived. */
function articleDay(article: LoggedArticle): string {
  return article.published ? formatPartialDate(article.published) : article.ingestedAt.slice(0, 10);
}

function shorten(title: string): string {
  return title.length <= MAX_TITLE_LENGTH ? title : `${title.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}
