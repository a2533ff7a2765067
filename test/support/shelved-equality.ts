import { expect } from 'vitest';
import { ShelvedArticle } from '../../src/corpus/shelved-article.ts';

/**
 * toEqual compares own properties, and a shelved article's body is behind a
 * getter: without this, two shelved articles with different texts would be
 * "equal". A shelved article compares as the plain article it stands for.
 */
expect.addEqualityTesters([
  function shelvedArticles(this: { equals(a: unknown, b: unknown, testers?: unknown[]): boolean }, a: unknown, b: unknown, testers: unknown[]) {
    if (!(a instanceof ShelvedArticle) && !(b instanceof ShelvedArticle)) return undefined;
    const plain = (x: unknown) => (x instanceof ShelvedArticle ? x.toJSON() : x);
    return this.equals(plain(a), plain(b), testers);
  },
]);
