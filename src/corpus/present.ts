import { describePartialDate, formatPartialDate } from '../core/dates.ts';
import type { SourceRef } from '../reply/reply.ts';
import type { Article } from './corpus.ts';

/**
 * How an article is named in answers: one place, so /news, /source and every
 * command citing an article show it the same way.
 */

/** `2020-10-09`, `2018-08`, `2019`; undefined when the date is unknown. */
export function articleDate(article: Article): string | undefined {
  return article.published ? formatPartialDate(article.published) : undefined;
}

/** `The Associated Press · 2019-09-24 · 004_e776972307e5fca4`: what is known, in that order. */
export function articleMeta(article: Article): string {
  return [article.outlet, articleDate(article), article.id].filter(Boolean).join(' · ');
}

/** The citation of an article in Reply.sources. */
export function sourceRef(article: Article): SourceRef {
  const ref: SourceRef = { articleId: article.id, title: article.title };
  if (article.outlet) ref.outlet = article.outlet;
  const date = articleDate(article);
  if (date) ref.date = date;
  if (article.url) ref.url = article.url;
  return ref;
}

/** `24 September 2019 (2019-09-24), inferred from the events it reports`. */
export function describePublication(article: Article): string {
  if (!article.published) return 'unknown';
  const how =
    article.dateDerivation === 'stated'
      ? 'stated in the text'
      : article.dateDerivation === 'inferred'
        ? 'inferred from the events it reports'
        : undefined;
  const when = `${describePartialDate(article.published)} (${formatPartialDate(article.published)})`;
  return how ? `${when}, ${how}` : when;
}

/**
 * The opening of an article: whole paragraphs up to about `length`
 * characters, and at least the first (cut at a word if very long).
 */
export function articleOpening(article: Article, length = 600): string[] {
  const out: string[] = [];
  let total = 0;
  for (const paragraph of article.paragraphs) {
    if (out.length > 0 && total + paragraph.length > length * 1.2) break;
    out.push(paragraph);
    total += paragraph.length;
    if (total >= length) break;
  }
  const first = out[0];
  if (out.length === 1 && first !== undefined && first.length > length * 1.5) {
    const cut = first.lastIndexOf(' ', length);
    out[0] = `${first.slice(0, cut > 0 ? cut : length)}…`;
  }
  return out;
}
