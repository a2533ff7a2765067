import type { Article, DateDerivation } from './corpus.ts';
import type { PartialDate } from '../core/dates.ts';
import { TextShelf } from '../store/text-shelf.ts';

/**
 * An article as the corpus keeps it: the metadata as plain fields, the body
 * on this process's text shelf (a temporary file, src/store/text-shelf.ts),
 * read back each time `paragraphs` is read.
 *
 * Why (issue 16): with 100,000 articles in memory the process took 771 MB
 * against a target of ≤ 500 MB, ~400 MB of it the bodies. A page of /news
 * (its snippets) or one /source reads a few bodies back, ~10 µs each; what
 * reads every body — indexing, knowledge extraction — mostly gets the plain
 * article before it is shelved.
 *
 * JSON (the store, `--json`) sees a plain Article through toJSON.
 */
export class ShelvedArticle implements Article {
  readonly id: string;
  readonly title: string;
  // `declare`: an optional field exists only when set (a class field would be an own `undefined`).
  declare readonly outlet?: string;
  declare readonly url?: string;
  declare readonly published?: PartialDate;
  declare readonly dateDerivation?: DateDerivation;
  declare readonly dateNote?: string;
  declare readonly note?: string;
  readonly origin: 'seed' | 'feed';
  declare readonly feedId?: string;
  declare readonly ingestedAt?: string;
  /** The shelf's key for the body. */
  readonly #body: number;

  constructor(article: Article) {
    this.id = article.id;
    this.title = article.title;
    this.origin = article.origin;
    // Only the fields the article has: an absent field stays absent (not `undefined`) for equality and JSON.
    if (article.outlet !== undefined) this.outlet = article.outlet;
    if (article.url !== undefined) this.url = article.url;
    if (article.published !== undefined) this.published = article.published;
    if (article.dateDerivation !== undefined) this.dateDerivation = article.dateDerivation;
    if (article.dateNote !== undefined) this.dateNote = article.dateNote;
    if (article.note !== undefined) this.note = article.note;
    if (article.feedId !== undefined) this.feedId = article.feedId;
    if (article.ingestedAt !== undefined) this.ingestedAt = article.ingestedAt;
    this.#body = (shelf ??= new TextShelf()).put(JSON.stringify(article.paragraphs));
  }

  /** A fresh copy of the body each time: keep it while you need it rather than reading it twice. */
  get paragraphs(): string[] {
    return JSON.parse(shelf!.get(this.#body)) as string[];
  }

  toJSON(): Article {
    return { ...this, paragraphs: this.paragraphs };
  }
}

/** The article as the corpus keeps it (an already shelved one as it is). */
export function shelve(article: Article): Article {
  return article instanceof ShelvedArticle ? article : new ShelvedArticle(article);
}

/** One shelf per process, opened with the first article. */
let shelf: TextShelf | undefined;
