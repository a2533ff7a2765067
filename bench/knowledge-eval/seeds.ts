import type { Article } from '../../src/corpus/corpus.ts';
import type { KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { Entity } from '../../src/knowledge/schema.ts';
import type { GoldArticle, GoldEntity, GoldEvent } from './load.ts';

/**
 * The seeds' gold is the curated records of data/knowledge/ — read by a
 * person, so not annotated a second time. Two differences from the eval set
 * follow from the records' form:
 *
 * - People and organisations are scored over the five seeds together: an
 *   entity's `sources` cite some of the articles that name it, not all, so
 *   "which article names whom" is not in the records.
 * - An event's gold quote is its source quote in that article; an event
 *   whose date is `established` (well known, not necessarily stated by the
 *   article) agrees with a found date that is less precise but consistent.
 */

const names = (e: Entity) => [e.name, ...e.aliases.filter((a) => !a.ambiguous).map((a) => a.name)];

function goldEntity(e: Entity): GoldEntity {
  return { name: e.name, kind: e.kind, aliases: names(e).slice(1), roles: e.roles.map((r) => r.title) };
}

/** Every curated person and organisation, with the places unscored. */
export function seedEntityGold(kb: KnowledgeBase): GoldArticle {
  const curated = kb.entities().filter((e) => e.status === 'curated');
  return {
    entities: curated.filter((e) => e.kind !== 'place').map(goldEntity),
    unscored: curated.filter((e) => e.kind === 'place').flatMap(names),
    events: [],
    statedDays: [],
  };
}

/** The curated events that cite the article, each with its quote there. */
export function seedEventGold(kb: KnowledgeBase, article: Article): GoldArticle {
  const events: GoldEvent[] = [];
  const involved = new Set<string>();
  for (const event of kb.events()) {
    const source = event.sources.find((s) => s.article === article.id);
    if (!source || event.status !== 'curated') continue;
    event.entities.forEach((id) => involved.add(id));
    events.push({
      id: event.id,
      date: event.date,
      summary: event.summary,
      entities: event.entities.map((id) => kb.entity(id)?.name ?? id),
      quote: source.quote,
      established: event.derivation === 'established',
    });
  }
  const entities = [...involved].flatMap((id) => {
    const entity = kb.entity(id);
    return entity ? [goldEntity(entity)] : [];
  });
  return { entities, unscored: [], events, statedDays: [] };
}
