import { z } from 'zod';
import { parsePartialDate, type PartialDate } from '../core/dates.ts';

/**
 * The records of data/knowledge/: what a person, organisation, place or
 * event is, as the curators write it (YAML) and as the bot holds it.
 */

export const ENTITY_KINDS = ['person', 'organisation', 'place'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** How an event's date was found (see the header of events.yaml). */
export const DATE_DERIVATIONS = ['stated', 'relative', 'established'] as const;
export type EventDateDerivation = (typeof DATE_DERIVATIONS)[number];

/**
 * Curated records are written by a person; extracted ones come from the
 * extractor, unreviewed, until an admin approves or corrects them with
 * /review (then 'reviewed'; see src/knowledge/reviewing.ts).
 */
export type RecordStatus = 'curated' | 'extracted' | 'reviewed';

export interface Citation {
  /** An article id of the corpus. */
  article: string;
  /** A short exact piece of the article's cleaned text. */
  quote: string;
}

export interface Role {
  title: string;
  from?: PartialDate;
  to?: PartialDate;
  note?: string;
}

export interface Alias {
  name: string;
  /** Also names another entity: lookup lists the candidates instead of choosing. */
  ambiguous?: boolean;
  /** Why the alias exists, e.g. "misspelling in article 003". */
  note?: string;
}

export interface Entity {
  id: string;
  name: string;
  kind: EntityKind;
  /** For people whose surname is not their name's last word (Moon Jae-in → Moon). */
  surname?: string;
  roles: Role[];
  description: string;
  aliases: Alias[];
  related: string[];
  /** What an article says that contradicts the established fact. */
  sourceSays?: string;
  sources: Citation[];
  status: RecordStatus;
}

export interface KnowledgeEvent {
  id: string;
  /** A short name ("Panmunjom Declaration"), used for anniversaries. */
  name?: string;
  date: PartialDate;
  derivation: EventDateDerivation;
  /** The article's own words that date it ("on Thursday", "last year"). */
  phrase?: string;
  /** The article a relative phrase is resolved against. */
  relativeTo?: string;
  dateNote?: string;
  summary: string;
  entities: string[];
  anniversary: boolean;
  sourceSays?: string;
  sources: Citation[];
  status: RecordStatus;
}

const ID = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters and digits joined by "-", e.g. moon-jae-in');
const text = z.string().trim().min(1, 'must not be empty');

/** YAML reads `from: 2019` as a number; both spellings are accepted. */
const partialDate = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .transform((value, ctx) => {
    const date = parsePartialDate(value);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. "2018-04-27")` });
      return z.NEVER;
    }
    return date;
  });

const citation = z.object({ article: text, quote: text }).strict();

const alias = z.union([
  text.transform((name): Alias => ({ name })),
  z.object({ name: text, ambiguous: z.boolean().optional(), note: text.optional() }).strict(),
]);

export const entitySchema = z
  .object({
    id: ID,
    name: text,
    kind: z.enum(ENTITY_KINDS),
    surname: text.optional(),
    roles: z.array(z.object({ title: text, from: partialDate.optional(), to: partialDate.optional(), note: text.optional() }).strict()).default([]),
    description: text,
    aliases: z.array(alias).default([]),
    related: z.array(ID).default([]),
    sourceSays: text.optional(),
    sources: z.array(citation).min(1, 'must cite at least one article (article id and a quote)'),
  })
  .strict()
  .transform((e): Entity => ({ ...e, status: 'curated' }));

export const eventSchema = z
  .object({
    id: ID,
    name: text.optional(),
    date: partialDate,
    derivation: z.enum(DATE_DERIVATIONS),
    phrase: text.optional(),
    relativeTo: text.optional(),
    dateNote: text.optional(),
    summary: text,
    entities: z.array(ID).default([]),
    anniversary: z.boolean().default(false),
    sourceSays: text.optional(),
    sources: z.array(citation).min(1, 'must cite at least one article (article id and a quote)'),
  })
  .strict()
  .transform((e): KnowledgeEvent => ({ ...e, status: 'curated' }));

export const ENTITY_FIELDS = ['id', 'name', 'kind', 'surname', 'roles', 'description', 'aliases', 'related', 'sourceSays', 'sources'] as const;
export const EVENT_FIELDS = ['id', 'name', 'date', 'derivation', 'phrase', 'relativeTo', 'dateNote', 'summary', 'entities', 'anniversary', 'sourceSays', 'sources'] as const;
