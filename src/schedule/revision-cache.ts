import { randomUUID } from 'node:crypto';
import type { Collection } from '../store/store.ts';

/**
 * A value derived from a whole collection (all subscriptions, the sorted
 * article log), kept in memory and rebuilt only when a writer, in this
 * process or another sharing the store, has bumped the collection's
 * revision. One small read per use instead of reading every entry every
 * minute.
 */
export class RevisionCache<T> {
  private cached: { revision: string; value: T } | undefined;

  constructor(
    private readonly revisions: Collection<string>,
    private readonly name: string,
    private readonly rebuild: () => Promise<T>,
  ) {}

  async get(): Promise<T> {
    // Read the revision before the data: a write in between only causes one more rebuild.
    const revision = (await this.revisions.get(this.name)) ?? 'none';
    if (this.cached?.revision === revision) return this.cached.value;
    const value = await this.rebuild();
    this.cached = { revision, value };
    return value;
  }

  /** Call after every write to the collection. */
  async bump(): Promise<void> {
    this.cached = undefined;
    await this.revisions.set(this.name, randomUUID());
  }
}
