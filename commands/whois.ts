import { defineCommand } from '../src/router/command.ts';
import { userError, type Reply, type ReplyField } from '../src/reply/reply.ts';
import type { Corpus } from '../src/corpus/corpus.ts';
import type { KnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import type { Entity } from '../src/knowledge/schema.ts';
import { citedSources, describeRole, entityLine, EXTRACTED_NOTE } from '../src/knowledge/present.ts';

const KIND_LABEL: Record<Entity['kind'], string> = { person: 'Person', organisation: 'Organisation', place: 'Place' };

export default defineCommand({
  name: 'whois',
  description: 'Who or what is this? People, organisations and places from the articles, with sources',
  ko: { name: '누구', description: '기사에 나오는 인물·단체·장소 설명과 출처' },
  options: [
    {
      name: 'name',
      type: 'string',
      description: 'A name, surname, alias or Korean spelling',
      required: true,
      rest: true,
      autocomplete: true,
      maxLength: 100,
      example: 'Moon Jae-in',
    },
  ],
  examples: ['whois Moon', 'whois Kim Yo Jong', 'whois Quincy Institute', 'whois 김정은'],
  run(ctx, args) {
    const name = typeof args.name === 'string' ? args.name.trim() : '';
    const kb = ctx.services.knowledge;
    const result = kb.lookup(name);
    if (result.kind === 'ambiguous') {
      return userError('AMBIGUOUS_NAME', `“${name}” could mean ${result.candidates.length} different entries. Which one?`, [
        ...result.candidates.map(entityLine),
        `Ask again with the full name, e.g. /whois ${result.candidates[0]!.name}`,
      ]);
    }
    if (result.kind === 'unknown') {
      const hints = result.suggestions.length > 0 ? [`Did you mean: ${result.suggestions.map((e) => e.name).join(', ')}?`] : [];
      return userError('UNKNOWN_ENTITY', `I have nobody and nothing called “${name}” in the articles.`, [
        ...hints,
        'Try a full name or a surname (/whois Moon Jae-in, /whois Pompeo), an organisation (/whois Quincy Institute) or a Korean spelling (/whois 문재인).',
      ]);
    }
    const reply = describeEntity(kb, ctx.services.corpus, result.entity);
    if (result.alias?.note) reply.footer = `“${result.alias.name}”: ${result.alias.note}`;
    return reply;
  },
  autocomplete(ctx, _option, partial) {
    return ctx.services.knowledge.complete(partial, 25).map((c) => c.name);
  },
});

function describeEntity(kb: KnowledgeBase, corpus: Corpus, entity: Entity): Reply {
  const text = [entity.description];
  if (entity.sourceSays) text.push(`Correction: ${entity.sourceSays}`);
  if (entity.status === 'extracted') text.push(`(${EXTRACTED_NOTE}: found by the extractor in a new article, not yet checked by a person)`);
  const fields: ReplyField[] = [{ name: 'Kind', value: KIND_LABEL[entity.kind], inline: true }];
  if (entity.roles.length > 0) fields.push({ name: 'Roles', value: entity.roles.map(describeRole).join('; ') });
  // Newer articles may give a curated person a role the record predates: shown beside it, marked.
  const reported = kb.reportedRoles(entity.id);
  if (reported.length > 0) fields.push({ name: `Roles in newer articles (${EXTRACTED_NOTE})`, value: reported.map((r) => describeRole(r.role)).join('; ') });
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
