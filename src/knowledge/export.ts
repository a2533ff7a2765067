import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument, YAMLSeq, type Document } from 'yaml';
import { formatPartialDate } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import { corpusDir } from '../corpus/load.ts';
import { METADATA_FILE } from '../corpus/metadata.ts';
import { knowledgeDir } from './load.ts';
import { ENTITY_FIELDS, EVENT_FIELDS, type Entity, type KnowledgeEvent, type Role } from './schema.ts';

/**
 * `armistice knowledge export`: the facts admins approved or corrected with
 * /review, written as curated records so they can be kept for good. The
 * output is a whole data directory: a copy of DATA_DIR with the reviewed
 * records appended to knowledge/entities.yaml and events.yaml (comments
 * and curated records untouched) and the feed articles they cite added to
 * corpus/, since a curated record may only cite the corpus. A curator
 * checks it (`DATA_DIR=<out> armistice check-data`), reads the diff and
 * copies it over data/.
 */

export interface ExportInput {
  dataDir: string;
  outDir: string;
  /** The knowledge base's records: only those with status 'reviewed' are exported. */
  entities: readonly Entity[];
  events: readonly KnowledgeEvent[];
  article(id: string): Article | undefined;
}

export interface ExportResult {
  entities: number;
  events: number;
  articles: number;
  /** Links to entities not exported (still unreviewed, or rejected), left out of the records that had them. */
  droppedLinks: number;
}

export class ExportError extends Error {}

export async function exportReviewed(input: ExportInput): Promise<ExportResult> {
  const data = resolve(input.dataDir);
  const out = resolve(input.outDir);
  const fromData = relative(data, out);
  if (fromData === '' || !(fromData.startsWith('..') || isAbsolute(fromData))) {
    throw new ExportError(`--out ${input.outDir} is the data directory or inside it; export writes a separate copy for a curator to check (e.g. --out var/knowledge-export)`);
  }
  await mkdir(out, { recursive: true });
  await cp(data, out, { recursive: true, force: true });

  const curatedIds = new Set([...input.entities, ...input.events].filter((r) => r.status === 'curated').map((r) => r.id));
  const ids = new ExportIds(curatedIds);
  const entities = input.entities.filter((e) => e.status === 'reviewed');
  const events = input.events.filter((e) => e.status === 'reviewed');
  for (const e of entities) ids.assign(e.id);
  for (const e of events) ids.assign(e.id);
  const linkable = (id: string) => curatedIds.has(id) || entities.some((e) => e.id === id);
  let droppedLinks = 0;
  const link = (list: readonly string[]) => {
    const kept = list.filter(linkable);
    droppedLinks += list.length - kept.length;
    return kept.map((id) => ids.of(id));
  };

  const cited = new Set<string>();
  for (const record of [...entities, ...events]) for (const s of record.sources) cited.add(s.article);
  const feedArticles = [...cited].map((id) => input.article(id)).filter((a): a is Article => a?.origin === 'feed');

  await appendTo(join(knowledgeDir(out), 'entities.yaml'), 'entities', entities.map((e) => entityYaml(e, ids.of(e.id), link(e.related))));
  await appendTo(join(knowledgeDir(out), 'events.yaml'), 'events', events.map((e) => eventYaml(e, ids.of(e.id), link(e.entities))));
  await addArticles(corpusDir(out), feedArticles);
  return { entities: entities.length, events: events.length, articles: feedArticles.length, droppedLinks };
}

/** Record ids as data/knowledge wants them (lower-case letters and digits joined by "-"), unique beside the curated ones. */
class ExportIds {
  private readonly map = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(curated: ReadonlySet<string>) {
    this.taken = new Set(curated);
  }

  assign(id: string): void {
    const base =
      id
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'reviewed';
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}-${n}`;
    this.taken.add(candidate);
    this.map.set(id, candidate);
  }

  of(id: string): string {
    return this.map.get(id) ?? id;
  }
}

/** The fields in the order of schema.ts, without empty lists and defaults. */
function entityYaml(entity: Entity, id: string, related: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {
    id,
    name: entity.name,
    kind: entity.kind,
    surname: entity.surname,
    roles: entity.roles.length > 0 ? entity.roles.map(roleYaml) : undefined,
    description: entity.description,
    aliases: entity.aliases.length > 0 ? entity.aliases.map((a) => (a.ambiguous || a.note ? { ...a } : a.name)) : undefined,
    related: related.length > 0 ? related : undefined,
    sourceSays: entity.sourceSays,
    sources: entity.sources.map((s) => ({ article: s.article, quote: s.quote })),
  };
  return ordered(values, ENTITY_FIELDS);
}

function roleYaml(role: Role): Record<string, unknown> {
  return {
    title: role.title,
    ...(role.from ? { from: formatPartialDate(role.from) } : {}),
    ...(role.to ? { to: formatPartialDate(role.to) } : {}),
    ...(role.note ? { note: role.note } : {}),
  };
}

function eventYaml(event: KnowledgeEvent, id: string, entities: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {
    id,
    name: event.name,
    date: formatPartialDate(event.date),
    derivation: event.derivation,
    phrase: event.phrase,
    relativeTo: event.relativeTo,
    dateNote: event.dateNote,
    summary: event.summary,
    entities: entities.length > 0 ? entities : undefined,
    anniversary: event.anniversary ? true : undefined,
    sourceSays: event.sourceSays,
    sources: event.sources.map((s) => ({ article: s.article, quote: s.quote })),
  };
  return ordered(values, EVENT_FIELDS);
}

function ordered(values: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => values[f] !== undefined).map((f) => [f, values[f]]));
}

/** Appends to the top-level list of a YAML file, keeping its comments; a record whose id is there already is left alone. */
async function appendTo(file: string, key: string, records: Array<Record<string, unknown>>): Promise<void> {
  if (records.length === 0) return;
  const doc = parseDocument(await readFile(file, 'utf8'));
  const list = listOf(doc, key, file);
  const present = new Set(list.items.map((item) => String((item as { get?: (k: string) => unknown }).get?.('id'))));
  for (const record of records) if (!present.has(String(record.id))) list.add(doc.createNode(record));
  await writeFile(file, doc.toString({ lineWidth: 0 }));
}

function listOf(doc: Document, key: string, file: string): YAMLSeq {
  if (doc.errors.length > 0) throw new ExportError(`${file} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); run armistice check-data`);
  const list = doc.get(key, true);
  if (!(list instanceof YAMLSeq)) throw new ExportError(`${file} has no top-level \`${key}:\` list; run armistice check-data`);
  return list;
}

/** Feed articles as corpus files: the headline, then one line per paragraph, with their metadata. */
async function addArticles(dir: string, articles: readonly Article[]): Promise<void> {
  if (articles.length === 0) return;
  const metadataFile = join(dir, METADATA_FILE);
  const doc = parseDocument(await readFile(metadataFile, 'utf8'));
  const list = listOf(doc, 'articles', metadataFile);
  const present = new Set(list.items.map((item) => String((item as { get?: (k: string) => unknown }).get?.('id'))));
  for (const article of articles) {
    if (present.has(article.id)) continue;
    const file = `${article.id}.txt`;
    await writeFile(join(dir, file), `${[article.title, ...article.paragraphs.map((p) => p.replace(/\s+/g, ' '))].join('\n\n')}\n`);
    const entry: Record<string, unknown> = { id: article.id, file, title: article.title };
    if (article.outlet) entry.outlet = article.outlet;
    if (article.url) entry.url = article.url;
    if (article.published) {
      entry.published = formatPartialDate(article.published);
      entry.dateDerivation = 'stated';
      entry.dateNote = 'The date the feed gave for the item.';
    }
    entry.note = `A feed article${article.ingestedAt ? ` (ingested ${article.ingestedAt})` : ''}, added by armistice knowledge export because reviewed facts cite it.`;
    list.add(doc.createNode(entry));
  }
  await writeFile(metadataFile, doc.toString({ lineWidth: 0 }));
}
