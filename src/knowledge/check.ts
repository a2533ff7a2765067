import { registerDataCheck, type Problem } from '../check-data.ts';
import { dateRange, formatPartialDate, precisionOf } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import { readCorpus } from '../corpus/load.ts';
import { readKnowledge, type KnowledgeFile, type KnowledgeReadResult } from './load.ts';
import { nameKey } from './normalize.ts';
import { resolveRelativeDate } from './relative-dates.ts';
import type { Citation, Entity, KnowledgeEvent } from './schema.ts';

/**
 * check-data's view of data/knowledge: the schema (via the loader) plus what
 * ties the records to each other and to the articles: every quote really
 * occurs in its article's cleaned text, ids resolve, aliases are not shared
 * by accident, relative dates resolve to what the record says.
 */
export async function checkKnowledge(dataDir: string, articles: readonly Article[]): Promise<Problem[]> {
  const read = await readKnowledge(dataDir);
  return [...read.problems, ...checkRecords(read, articles)].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0),
  );
}

registerDataCheck({
  name: 'knowledge',
  run: async (dataDir) => checkKnowledge(dataDir, (await readCorpus(dataDir)).articles),
});

function checkRecords(read: KnowledgeReadResult, articles: readonly Article[]): Problem[] {
  const problems: Problem[] = [];
  const articleById = new Map(articles.map((a) => [a.id, a]));
  const texts = new Map(articles.map((a) => [a.id, collapse(a.paragraphs.join('\n'))]));
  const at = (file: KnowledgeFile, path: readonly (string | number)[], message: string) =>
    problems.push({ file: read.files[file], line: read.lineOf(file, path), message });

  const entityIds = duplicateIds(read.entities, 'entities', at);
  duplicateIds(read.events, 'events', at);
  // When entities.yaml did not load at all, "no such entity" for every reference would bury the real problem.
  const entitiesUnreadable = read.entities.length === 0 && read.problems.some((p) => p.file === read.files.entities);
  const knownEntity = (id: string) => entitiesUnreadable || entityIds.has(id);

  const checkCitations = (file: KnowledgeFile, index: number, id: string, sources: readonly Citation[]) =>
    sources.forEach((source, s) => {
      const text = texts.get(source.article);
      if (text === undefined) {
        at(file, [index, 'sources', s, 'article'], `${id}: article "${source.article}" is not in the corpus (data/corpus/articles.yaml)`);
      } else if (!text.includes(collapse(source.quote))) {
        at(file, [index, 'sources', s, 'quote'], `${id}: the quote does not occur in the cleaned text of ${source.article}: "${source.quote}"`);
      }
    });

  read.entities.forEach((entity, index) => {
    checkCitations('entities', index, entity.id, entity.sources);
    entity.related.forEach((rel, r) => {
      if (!knownEntity(rel)) at('entities', [index, 'related', r], `${entity.id}: related entity "${rel}" does not exist`);
      if (rel === entity.id) at('entities', [index, 'related', r], `${entity.id}: an entity is not related to itself`);
    });
    entity.roles.forEach((role, r) => {
      if (role.from && role.to && dateRange(role.from).start > dateRange(role.to).end) {
        at('entities', [index, 'roles', r], `${entity.id}: role "${role.title}" ends (${formatPartialDate(role.to)}) before it starts (${formatPartialDate(role.from)})`);
      }
    });
    if (entity.surname && entity.kind !== 'person') at('entities', [index, 'surname'], `${entity.id}: only people have a surname`);
  });
  problems.push(...sharedAliases(read));

  read.events.forEach((event, index) => {
    checkCitations('events', index, event.id, event.sources);
    event.entities.forEach((id, e) => {
      if (!knownEntity(id)) at('events', [index, 'entities', e], `${event.id}: entity "${id}" does not exist in entities.yaml`);
    });
    if (event.anniversary && precisionOf(event.date) !== 'day') {
      at('events', [index, 'anniversary'], `${event.id}: an anniversary needs a full date (YYYY-MM-DD), not ${formatPartialDate(event.date)}`);
    }
    checkDerivation(event, index, articleById, texts, at);
  });
  return problems;
}

type At = (file: KnowledgeFile, path: readonly (string | number)[], message: string) => void;

function checkDerivation(event: KnowledgeEvent, index: number, articles: Map<string, Article>, texts: Map<string, string>, at: At): void {
  const articleId = event.relativeTo ?? event.sources[0]!.article;
  if (event.relativeTo && !articles.has(event.relativeTo)) {
    at('events', [index, 'relativeTo'], `${event.id}: relativeTo names article "${event.relativeTo}", which is not in the corpus`);
    return;
  }
  if (event.phrase) {
    const cited = event.relativeTo ? [event.relativeTo] : event.sources.map((s) => s.article);
    if (!cited.some((id) => texts.get(id)?.includes(collapse(event.phrase!)))) {
      at('events', [index, 'phrase'], `${event.id}: the phrase "${event.phrase}" does not occur in ${cited.join(' or ')}`);
    }
  }
  if (event.derivation !== 'relative') return;
  if (!event.phrase) {
    at('events', [index, 'derivation'], `${event.id}: a relative date needs the phrase it was resolved from (phrase: "on Thursday")`);
    return;
  }
  const published = articles.get(articleId)?.published;
  if (!published) {
    at('events', [index, 'derivation'], `${event.id}: article ${articleId} has no publication date to resolve "${event.phrase}" against`);
    return;
  }
  const resolved = resolveRelativeDate(event.phrase, published);
  if (!resolved) {
    at('events', [index, 'phrase'], `${event.id}: "${event.phrase}" cannot be resolved against ${articleId}'s date (${formatPartialDate(published)}); use derivation: established with a dateNote`);
  } else if (formatPartialDate(resolved) !== formatPartialDate(event.date)) {
    at('events', [index, 'date'], `${event.id}: "${event.phrase}" resolves to ${formatPartialDate(resolved)} against ${articleId}'s date (${formatPartialDate(published)}), but date is ${formatPartialDate(event.date)}`);
  }
}

function duplicateIds(records: ReadonlyArray<{ id: string }>, file: KnowledgeFile, at: At): Set<string> {
  const seen = new Set<string>();
  records.forEach((record, index) => {
    if (seen.has(record.id)) at(file, [index, 'id'], `duplicate id "${record.id}"; ids must be unique`);
    seen.add(record.id);
  });
  return seen;
}

/** A name or alias shared by two entities must be marked `ambiguous: true` on each alias that shares it. */
function sharedAliases(read: KnowledgeReadResult): Problem[] {
  const owners = new Map<string, Array<{ entity: Entity; index: number; alias?: number; ambiguous: boolean; label: string }>>();
  read.entities.forEach((entity, index) => {
    const add = (label: string, ambiguous: boolean, alias?: number) => {
      const key = nameKey(label);
      const list = owners.get(key) ?? [];
      if (!list.some((o) => o.entity.id === entity.id)) list.push({ entity, index, alias, ambiguous, label });
      owners.set(key, list);
    };
    add(entity.name, false);
    entity.aliases.forEach((alias, a) => add(alias.name, alias.ambiguous === true, a));
  });
  const problems: Problem[] = [];
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (const owner of list.filter((o) => !o.ambiguous)) {
      const others = list.filter((o) => o !== owner).map((o) => o.entity.id).join(', ');
      const path = owner.alias === undefined ? [owner.index, 'name'] : [owner.index, 'aliases', owner.alias];
      problems.push({
        file: read.files.entities,
        line: read.lineOf('entities', path),
        message:
          owner.alias === undefined
            ? `${owner.entity.id}: its name "${owner.label}" is also an alias of ${others}; rename, or remove that alias`
            : `${owner.entity.id}: alias "${owner.label}" also names ${others}; write it {name: ${owner.label}, ambiguous: true} on each`,
      });
    }
  }
  return problems;
}

/** Whitespace compares loosely: articles carry no-break spaces that a curator cannot see or type. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
