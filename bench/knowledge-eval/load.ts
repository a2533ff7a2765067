import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePartialDate, type PartialDate } from '../../src/core/dates.ts';
import type { Article } from '../../src/corpus/corpus.ts';

/**
 * The evaluation set of test/fixtures/knowledge-eval/ (its README says where
 * the articles come from and how the gold was made), loaded as the bot would
 * hold the articles — Articles with their outlet and date — next to their
 * gold annotations. Read by bench/extractor-quality.ts and checked by
 * test/unit/knowledge-eval-fixtures.test.ts.
 */

export const EVAL_DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'knowledge-eval');

/** Places appear only in the seeds' gold (the curated records), for events to name; they are never scored. */
export type GoldKind = 'person' | 'organisation' | 'place';

export interface GoldEntity {
  name: string;
  kind: GoldKind;
  aliases: string[];
  /** Equally right wordings of the role the article states; empty when it states none. */
  roles: string[];
}

export interface GoldEvent {
  /** Seeds only: the curated event's id, so that recall counts an event cited by several articles once. */
  id?: string;
  date: PartialDate;
  summary: string;
  /** Names of the article's gold entities. */
  entities: string[];
  quote: string;
  /** After the article's date: an event the article announces (a term due to end). */
  planned?: boolean;
  /** Seeds only: the curated date is established knowledge, more precise than the article may be. */
  established?: boolean;
}

export interface GoldArticle {
  entities: GoldEntity[];
  /** Named things that are neither people nor organisations (places first): neither rewarded nor penalised. */
  unscored: string[];
  events: GoldEvent[];
  /** Days the text states that date no event (a dateline): finding them is no invention. */
  statedDays: PartialDate[];
}

export interface EvalArticle {
  article: Article;
  /** The body as the fixture file holds it, for checking quotes. */
  text: string;
  gold: GoldArticle;
}

interface RawManifest {
  articles: Array<{ id: string; file: string; title: string; outlet?: string; via?: string; published: string; url?: string }>;
}

interface RawGold {
  articles: Array<{
    id: string;
    entities?: Array<{ name: string; kind: string; aliases?: string[]; role?: string | string[] }>;
    unscored?: string[];
    days?: string[];
    events?: Array<{ date: string; summary: string; entities?: string[]; quote: string; planned?: boolean }>;
  }>;
}

/** Problems found while loading, each naming the article; the fixture test expects none. */
export class EvalSetError extends Error {}

export async function loadEvalSet(dir = EVAL_DIR): Promise<EvalArticle[]> {
  const manifest = parse(await readFile(join(dir, 'articles.yaml'), 'utf8')) as RawManifest;
  const gold = parse(await readFile(join(dir, 'gold.yaml'), 'utf8')) as RawGold;
  const goldById = new Map(gold.articles.map((g) => [String(g.id), g]));
  const out: EvalArticle[] = [];
  for (const entry of manifest.articles) {
    const id = String(entry.id);
    const published = parsePartialDate(String(entry.published));
    if (!published) throw new EvalSetError(`article ${id}: published "${entry.published}" is not YYYY, YYYY-MM or YYYY-MM-DD`);
    const raw = goldById.get(id);
    if (!raw) throw new EvalSetError(`article ${id}: no gold annotations`);
    const text = await readFile(join(dir, entry.file), 'utf8');
    out.push({
      article: {
        id: `eval-${id}`,
        title: entry.title,
        outlet: entry.outlet,
        url: entry.url,
        published,
        dateDerivation: 'stated',
        // As a feed item's body arrives: one paragraph per line of text.
        paragraphs: text.split('\n').map((line) => line.trim()).filter((line) => line !== ''),
        origin: 'feed',
      },
      text,
      gold: goldArticle(id, raw),
    });
  }
  const unknown = [...goldById.keys()].filter((id) => !manifest.articles.some((a) => String(a.id) === id));
  if (unknown.length > 0) throw new EvalSetError(`gold for articles the manifest does not list: ${unknown.join(', ')}`);
  return out;
}

function goldArticle(id: string, raw: RawGold['articles'][number]): GoldArticle {
  const entities = (raw.entities ?? []).map((e): GoldEntity => {
    if (e.kind !== 'person' && e.kind !== 'organisation') throw new EvalSetError(`article ${id}: ${e.name} has kind "${e.kind}"`);
    return { name: e.name, kind: e.kind, aliases: e.aliases ?? [], roles: e.role === undefined ? [] : [e.role].flat() };
  });
  const events = (raw.events ?? []).map((e): GoldEvent => {
    const date = parsePartialDate(String(e.date));
    if (!date) throw new EvalSetError(`article ${id}: event date "${e.date}" is not YYYY, YYYY-MM or YYYY-MM-DD`);
    return { date, summary: e.summary, entities: e.entities ?? [], quote: e.quote, ...(e.planned ? { planned: true } : {}) };
  });
  const statedDays = (raw.days ?? []).map((d) => {
    const date = parsePartialDate(String(d));
    if (!date) throw new EvalSetError(`article ${id}: day "${d}" is not YYYY-MM-DD`);
    return date;
  });
  return { entities, unscored: raw.unscored ?? [], events, statedDays };
}
