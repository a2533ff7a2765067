import type { Entity, KnowledgeEvent } from '../knowledge/schema.ts';

/**
 * The main threads of the peace process, derived from the entities an event
 * involves — never from a list of events. Each entity gets a side (North
 * Korea, South Korea, the United States) from what the knowledge base says
 * about it, and civic actors are told apart by what their descriptions call
 * them; an event's thread follows from its entities' sides.
 */

export type ThreadId = 'inter-korean' | 'us-dprk' | 'civic' | 'other';

export interface Thread {
  id: ThreadId;
  label: string;
  /** Fill colour, readable on the picture's light background. */
  colour: string;
}

/** Drawing order of the lanes, top to bottom. */
export const THREADS: readonly Thread[] = [
  { id: 'inter-korean', label: 'Inter-Korean', colour: '#1f77b4' },
  { id: 'us-dprk', label: 'US–North Korea', colour: '#c0392b' },
  { id: 'civic', label: 'Civic campaigns', colour: '#2e8b57' },
  { id: 'other', label: 'Other', colour: '#6b6b6b' },
];

/** The three parties whose relations the threads describe: the place entities of the knowledge base. */
const SIDES = ['north-korea', 'south-korea', 'united-states'] as const;
type Side = (typeof SIDES)[number];

/** Adjectives the descriptions use for the parties ("North Korean diplomat", "US think tank"). */
const ADJECTIVES: Record<Side, string[]> = {
  'north-korea': ['North Korean', "North Korea's"],
  'south-korea': ['South Korean', "South Korea's"],
  'united-states': ['American', 'US-led'],
};

/** Reporters, not actors: an outlet's country says nothing about an event's thread. */
const MEDIA = /\b(newspaper|news agency|magazine)\b/i;

/** Words by which a description marks a non-governmental actor. */
const CIVIC = /\b(peace group|civil society|civic groups?|campaign|think tank|institute|non-profit|founder)\b/i;

export interface EntityThreads {
  side: Side | undefined;
  civic: boolean;
}

/** Classifies every entity once; `threadOf` then only looks ids up. */
export class ThreadClassifier {
  private readonly byId = new Map<string, EntityThreads>();

  constructor(entities: readonly Entity[]) {
    const byId = new Map(entities.map((e) => [e.id, e]));
    const names = SIDES.map((side) => ({ side, words: wordsFor(side, byId.get(side)) }));
    for (const entity of entities) {
      const civicOwn = entity.kind === 'organisation' && CIVIC.test(entity.description);
      this.byId.set(entity.id, { side: sideOf(entity, names), civic: civicOwn });
    }
    // A person who founded or works for a civic organisation is a civic actor too.
    for (const entity of entities) {
      if (entity.kind !== 'person') continue;
      const text = [...entity.roles.map((r) => r.title), entity.description].join(' ');
      const works = entity.related.some((id) => this.byId.get(id)?.civic && text.includes(byId.get(id)!.name));
      if (works) this.byId.get(entity.id)!.civic = true;
    }
  }

  entity(id: string): EntityThreads | undefined {
    return this.byId.get(id);
  }

  /**
   * Civic when civic actors are at least as many as the others; else US–North
   * Korea when both sides take part, inter-Korean when both Koreas do.
   */
  threadOf(event: Pick<KnowledgeEvent, 'entities'>): ThreadId {
    const known = event.entities.map((id) => this.byId.get(id)).filter((t): t is EntityThreads => t !== undefined);
    const civic = known.filter((t) => t.civic).length;
    const sides = new Set(known.filter((t) => !t.civic).map((t) => t.side).filter((s) => s !== undefined));
    if (civic > 0 && civic >= known.length - civic) return 'civic';
    if (sides.has('united-states') && sides.has('north-korea')) return 'us-dprk';
    if (sides.has('north-korea') && sides.has('south-korea')) return 'inter-korean';
    return 'other';
  }
}

function wordsFor(side: Side, entity: Entity | undefined): RegExp {
  const names = [...(entity ? [entity.name, ...entity.aliases.map((a) => a.name)] : []), ...ADJECTIVES[side]]
    .filter((n) => n.length > 1 && !/^washington$/i.test(n));
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}])(?:${escaped.join('|')})(?![\\p{L}])`, 'u');
}

/**
 * A party is its own side; a place lies on the side it is related to (when
 * that is one party); anyone else is on the side their role titles or
 * description name first ("US secretary of state", "North Korea's leader").
 */
function sideOf(entity: Entity, names: { side: Side; words: RegExp }[]): Side | undefined {
  if ((SIDES as readonly string[]).includes(entity.id)) return entity.id as Side;
  if (entity.kind === 'organisation' && MEDIA.test(entity.description)) return undefined;
  if (entity.kind === 'place') {
    const related = new Set(entity.related.filter((id): id is Side => (SIDES as readonly string[]).includes(id)));
    return related.size === 1 ? [...related][0] : undefined;
  }
  const text = [...entity.roles.map((r) => r.title), entity.description].join(' · ');
  let best: { side: Side; at: number } | undefined;
  for (const { side, words } of names) {
    const at = text.search(words);
    if (at >= 0 && (!best || at < best.at)) best = { side, at };
  }
  return best?.side;
}
