import { describePartialDate, formatPartialDate } from '../core/dates.ts';
import type { Corpus } from '../corpus/corpus.ts';
import { sourceRef } from '../corpus/present.ts';
import type { Reply, ReplyField, ReplyItem, SourceRef } from '../reply/reply.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { Citation, Entity, KnowledgeEvent, Role } from './schema.ts';

/**
 * How knowledge records read in answers: one place, so /whois, /timeline,
 * /anniversaries and the reminders show them alike.
 */

export const EXTRACTED_NOTE = 'extracted, unreviewed';

const KIND_LABEL: Record<Entity['kind'], string> = { person: 'Person', organisation: 'Organisation', place: 'Place' };

/** `Leader of North Korea`, `US National Security Adviser (until 10 September 2019)`. */
export function describeRole(role: Role): string {
  const from = role.from ? describePartialDate(role.from) : undefined;
  const to = role.to ? describePartialDate(role.to) : undefined;
  const period = from && to ? (from === to ? from : `${from} – ${to}`) : from ? `from ${from}` : to ? `until ${to}` : undefined;
  return period ? `${role.title} (${period})` : role.title;
}

/** The names of an event's entities, skipping ids that resolve to nothing. */
export function entityNames(kb: KnowledgeBase, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const entity = kb.entity(id);
    return entity ? [entity.name] : [];
  });
}

/** `27 July 1953 — The Korean Armistice Agreement halts the fighting…` */
export function eventTitle(event: KnowledgeEvent): string {
  return `${describePartialDate(event.date)} — ${event.summary}`;
}

/** Where a source contradicts the record, both: `Recorded date: 2019-02-27. Article 003 says … "in March 2019" …`. */
export function correctionText(event: KnowledgeEvent): string | undefined {
  return event.sourceSays ? `Recorded date: ${formatPartialDate(event.date)}. ${event.sourceSays}` : undefined;
}

export function eventItem(kb: KnowledgeBase, event: KnowledgeEvent): ReplyItem {
  const item: ReplyItem = {
    title: eventTitle(event),
    sourceIds: unique(event.sources.map((s) => s.article)),
  };
  const names = entityNames(kb, event.entities);
  if (names.length > 0) item.meta = names.join(', ');
  const correction = correctionText(event);
  if (correction) item.text = correction;
  if (event.status === 'extracted') item.note = EXTRACTED_NOTE;
  return item;
}

/**
 * Reply.sources for the citations: one per article in order of first
 * citation, or, with quotes, one per quote.
 */
export function citedSources(corpus: Corpus, citations: readonly Citation[], withQuotes = false): SourceRef[] {
  const refs = new Map<string, SourceRef>();
  for (const citation of citations) {
    const key = withQuotes ? `${citation.article}\n${citation.quote}` : citation.article;
    if (refs.has(key)) continue;
    const article = corpus.get(citation.article);
    const ref: SourceRef = article ? sourceRef(article) : { articleId: citation.article, title: citation.article };
    if (withQuotes) ref.quote = citation.quote;
    refs.set(key, ref);
  }
  return [...refs.values()];
}

/** `Moon Jae-in — President of South Korea`: a candidate line for ambiguous names. */
export function entityLine(entity: Entity): string {
  const role = entity.roles[0]?.title;
  if (role) return `${entity.name} — ${role}`;
  const firstSentence = entity.description.split(/(?<=\.)\s/)[0]!;
  return `${entity.name} — ${firstSentence.length > 120 ? `${firstSentence.slice(0, 117)}…` : firstSentence}`;
}

/** The /whois entry of an entity: description, kind, roles, aliases, relations and quoted sources. */
export function describeEntity(kb: KnowledgeBase, corpus: Corpus, entity: Entity): Reply {
  const text = [entity.description];
  if (entity.sourceSays) text.push(`Correction: ${entity.sourceSays}`);
  if (entity.status === 'extracted') text.push(`(${EXTRACTED_NOTE}: found by the extractor in a new article, not yet checked by a person)`);
  if (entity.status === 'reviewed') text.push('(found by the extractor in a new article and checked by an admin with /review)');
  const fields: ReplyField[] = [{ name: 'Kind', value: KIND_LABEL[entity.kind], inline: true }];
  if (entity.roles.length > 0) fields.push({ name: 'Roles', value: entity.roles.map(describeRole).join('; ') });
  // Newer articles may give a curated person a role the record predates: shown beside it, marked.
  const reported = kb.reportedRoles(entity.id);
  const unreviewed = reported.filter((r) => r.status === 'extracted');
  const checked = reported.filter((r) => r.status === 'reviewed');
  if (unreviewed.length > 0) fields.push({ name: `Roles in newer articles (${EXTRACTED_NOTE})`, value: unreviewed.map((r) => describeRole(r.role)).join('; ') });
  if (checked.length > 0) fields.push({ name: 'Roles in newer articles (checked by an admin with /review)', value: checked.map((r) => describeRole(r.role)).join('; ') });
  if (entity.aliases.length > 0) {
    fields.push({
      name: 'Also known as',
      value: entity.aliases.map((a) => (a.note ? `${a.name} (${a.note})` : a.name)).join(', '),
    });
  }
  const related = entity.related.flatMap((id) => kb.entity(id)?.name ?? []);
  if (related.length > 0) fields.push({ name: 'Related', value: related.join(', ') });
  return { title: entity.name, text, fields, sources: citedSources(corpus, [...entity.sources, ...reported.map((r) => r.source)], true) };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
