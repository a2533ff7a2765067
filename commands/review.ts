import { defineCommand, type Args, type CommandContext } from '../src/router/command.ts';
import { userError, type Reply, type ReplyItem } from '../src/reply/reply.ts';
import { quoted } from '../src/reply/quoted.ts';
import { formatPartialDate, type PartialDate } from '../src/core/dates.ts';
import type { Corpus } from '../src/corpus/corpus.ts';
import { citedSources, describeRole, entityNames, eventTitle } from '../src/knowledge/present.ts';
import type { FactCorrection, ReviewDecision, Verdict } from '../src/knowledge/reviewing.ts';
import type { Citation, Entity, KnowledgeEvent, Role } from '../src/knowledge/schema.ts';

/**
 * /review: admins go through what the extractor learnt from feed articles
 * (status 'extracted'), newest first, and approve, correct or reject each
 * fact: people, organisations and events, and the roles newer articles give
 * a curated person (shown beside its record, which never changes; the
 * decision is on the article's record that reports the role). Decisions are kept in the store (src/knowledge/review-store.ts) and
 * apply at once on every instance. The answer to a decision is the list
 * again, so a button press replaces the message with what is left to do.
 */

/** Four facts a page: one row of buttons each, and one for paging, within Discord's five rows. */
const PAGE_SIZE = 4;

type Fact =
  | { kind: 'entity'; record: Entity }
  | { kind: 'event'; record: KnowledgeEvent }
  /** A role reported beside `entity`: `record` is the article's claim (its id is what admins decide on). */
  | { kind: 'role'; record: { id: string; sources: Citation[] }; entity: Entity; role: Role };

const CORRECTIONS = ['name', 'role', 'date', 'summary'] as const;

export default defineCommand({
  name: 'review',
  description: 'Review what the bot learnt from new articles: approve, correct or reject each fact',
  ko: { name: '검토', description: '새 기사에서 추출한 사실 검토: 승인, 수정, 거부 (관리자)' },
  admin: true,
  options: [
    { name: 'approve', type: 'string', description: 'Approve the fact with this id (as /review lists it)', maxLength: 200, example: 'x-chung-eui-yong' },
    { name: 'reject', type: 'string', description: 'Reject the fact with this id: it will not come back', maxLength: 200, example: 'x-chung-eui-yong' },
    { name: 'correct', type: 'string', description: 'Correct the fact with this id, with name, role, date or summary', maxLength: 200, example: 'x-chung-eui-yong' },
    { name: 'name', type: 'string', description: 'With correct: the right name', maxLength: 100, example: 'Chung Eui-yong' },
    { name: 'role', type: 'string', description: 'With correct: the right role of a person or organisation', maxLength: 100, example: 'Foreign Minister of South Korea' },
    { name: 'date', type: 'date', description: 'With correct: the right date of an event', example: '2021-09-21' },
    { name: 'summary', type: 'string', description: 'With correct: the right one-line summary of an event', maxLength: 300, example: 'Moon calls for an end-of-war declaration at the UN' },
    { name: 'page', type: 'integer', description: 'Page of the list', min: 1, example: '2' },
  ],
  examples: ['review', 'review approve:x-chung-eui-yong', 'review reject:x-feed-1a2b-3', 'review correct:x-chung-eui-yong role:"Foreign Minister of South Korea"'],
  async run(ctx, args) {
    const page = typeof args.page === 'number' ? args.page : 1;
    const chosen = (['approve', 'reject', 'correct'] as const).filter((v) => typeof args[v] === 'string');
    const given = CORRECTIONS.filter((c) => args[c] !== undefined);
    if (chosen.length > 1) {
      return userError('ONE_DECISION', 'Give one of approve:, reject: or correct: at a time.', ['E.g. /review approve:<id>, then /review reject:<other id>.']);
    }
    if (given.length > 0 && chosen[0] !== 'correct') {
      return userError('CORRECT_NEEDS_ID', `${given.map((c) => `${c}:`).join(', ')} go${given.length === 1 ? 'es' : ''} with correct:<id>.`, [
        'E.g. /review correct:<id> date:2021-09-21 summary:"…"',
      ]);
    }
    if (chosen.length === 0) return listPage(ctx, page);
    const action = chosen[0]!;
    const id = String(args[action]).trim();
    const decided = await decide(ctx, action, id, args);
    if (decided.errorCode) return decided;
    const list = await listPage(ctx, page, true);
    return { ...list, text: [...(decided.text ?? []), ...(list.text ?? [])] };
  },
});

async function decide(ctx: CommandContext, action: 'approve' | 'reject' | 'correct', id: string, args: Args): Promise<Reply> {
  const { knowledge, reviews } = ctx.services;
  const earlier = await reviews.get(id);
  if (earlier) return alreadyReviewed(id, earlier, knowledge.entity(id)?.name ?? knowledge.event(id)?.name);
  const fact = factOf(ctx, id);
  if (!fact) {
    const curated = knowledge.entity(id) ?? knowledge.event(id);
    if (curated?.status === 'curated') {
      return userError('CURATED_FACT', `“${id}” is a curated record: it is reviewed already.`, ['Curated records are changed in data/knowledge/ (see README).']);
    }
    return userError('UNKNOWN_FACT', `No unreviewed fact has the id “${id}”.`, ['Type /review to see the unreviewed facts with their ids.']);
  }
  let correction: FactCorrection | undefined;
  if (action === 'correct') {
    const checked = correctionOf(fact, args);
    if ('error' in checked) return checked.error;
    correction = checked.correction;
  }
  const verdict: Verdict = action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'corrected';
  const decision: ReviewDecision = { id, kind: fact.kind === 'event' ? 'event' : 'entity', verdict, ...(correction ? { correction } : {}), by: ctx.user.name ?? ctx.user.id, at: ctx.now.toISOString() };
  const { written, standing } = await reviews.decide(decision);
  // Another admin, maybe on another instance, got there first.
  if (!written) return alreadyReviewed(id, standing, factName(fact));
  const what = fact.kind === 'role' ? `role “${fact.role.title}” of ${fact.entity.name}` : `${fact.kind === 'entity' ? KIND_WORD[fact.record.kind] : 'event'} “${factName(fact)}”`;
  const outcome =
    verdict === 'approved'
      ? `Approved the ${what}: it no longer shows as unreviewed.`
      : verdict === 'rejected'
        ? `Rejected the ${what}: it is gone and will not come back from its article.`
        : `Corrected the ${what}: answers show the corrected ${Object.keys(correction!).join(', ')} and say what the article read.`;
  return { text: [outcome] };
}

/** The correction the options ask for, checked against the kind of fact. */
function correctionOf(fact: Fact, args: Args): { correction: FactCorrection } | { error: Reply } {
  const correction: FactCorrection = {};
  if (typeof args.name === 'string') correction.name = args.name.trim();
  if (typeof args.role === 'string') correction.role = args.role.trim();
  if (args.date !== undefined && typeof args.date === 'object') correction.date = formatPartialDate(args.date as PartialDate);
  if (typeof args.summary === 'string') correction.summary = args.summary.trim();
  const fields = Object.keys(correction);
  if (fields.length === 0) {
    return { error: userError('NOTHING_TO_CORRECT', 'Say what to correct: name:, role:, date: or summary:.', [`E.g. /review correct:${fact.record.id} ${fact.kind === 'event' ? 'date:2021-09-21' : 'role:"Foreign Minister of South Korea"'}`]) };
  }
  const wrong = fields.filter((f) => (fact.kind === 'entity' ? f === 'date' || f === 'summary' : fact.kind === 'role' ? f !== 'role' : f === 'role'));
  if (wrong.length > 0) {
    const fits = fact.kind === 'entity' ? 'name: and role:' : fact.kind === 'role' ? 'role:' : 'name:, date: and summary:';
    const which = fact.kind === 'entity' ? 'A person or organisation' : fact.kind === 'role' ? `A role reported beside ${fact.entity.name}` : 'An event';
    return { error: userError('WRONG_FIELD', `${which} has no ${wrong.join(' or ')} to correct.`, [`Correct its ${fits}.`]) };
  }
  return { correction };
}

function alreadyReviewed(id: string, decision: ReviewDecision, factName: string | undefined): Reply {
  const name = factName ? `“${factName}” (${id})` : `“${id}”`;
  return userError('ALREADY_REVIEWED', `${name} was already ${decision.verdict} by ${decision.by} on ${decision.at.slice(0, 10)}.`, [
    'A fact is reviewed once. Type /review to see what is left.',
  ]);
}

/** An unreviewed fact by id: an entity, else an event, else a reported role. */
function factOf(ctx: CommandContext, id: string): Fact | undefined {
  const entity = ctx.services.knowledge.entity(id);
  if (entity?.status === 'extracted') return { kind: 'entity', record: entity };
  const event = ctx.services.knowledge.event(id);
  if (event?.status === 'extracted') return { kind: 'event', record: event };
  return roleFacts(ctx).find((fact) => fact.record.id === id);
}

/** The roles reported beside curated (or reviewed) records that no admin has decided on. */
function roleFacts(ctx: CommandContext): Fact[] {
  return ctx.services.knowledge
    .unreviewedRoles()
    .map(({ entity, reported }): Fact => ({ kind: 'role', record: { id: reported.claim, sources: [reported.source] }, entity, role: reported.role }));
}

/** Every unreviewed fact, newest article first (then entities before events, by id). */
function pendingFacts(ctx: CommandContext): Fact[] {
  const { knowledge, corpus } = ctx.services;
  const facts: Fact[] = [
    ...knowledge.entities().filter((e) => e.status === 'extracted').map((record): Fact => ({ kind: 'entity', record })),
    ...knowledge.events().filter((e) => e.status === 'extracted').map((record): Fact => ({ kind: 'event', record })),
    ...roleFacts(ctx),
  ];
  const newness = new Map(facts.map((f) => [f, articleNewness(corpus, f.record.sources[0]?.article)]));
  return facts.sort((a, b) => newness.get(b)!.localeCompare(newness.get(a)!) || a.kind.localeCompare(b.kind) || a.record.id.localeCompare(b.record.id));
}

/** When the article came in (feeds), else when it was published. */
function articleNewness(corpus: Corpus, articleId: string | undefined): string {
  const article = articleId ? corpus.get(articleId) : undefined;
  if (!article) return '';
  return article.ingestedAt ?? (article.published ? formatPartialDate(article.published) : '');
}

async function listPage(ctx: CommandContext, requested: number, clamp = false): Promise<Reply> {
  const facts = pendingFacts(ctx);
  if (facts.length === 0) {
    return { title: 'Nothing to review', text: ['No fact is waiting: everything the extractor found has been reviewed. New facts come with new feed articles.'], ephemeral: true };
  }
  const pages = Math.ceil(facts.length / PAGE_SIZE);
  if (requested > pages && !clamp) {
    return userError('PAGE_OUT_OF_RANGE', `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of unreviewed facts.`, [`Try /review page:${pages}`]);
  }
  const page = Math.min(requested, pages);
  const shown = facts.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const pageSuffix = page > 1 ? ` page:${page}` : '';
  return {
    title: `Unreviewed facts (${facts.length})`,
    text: [
      'Newest first. Approve or reject each with its buttons, or type /review approve:<id> or /review reject:<id>. Correct one with /review correct:<id> and name:, role: (people, organisations, reported roles), date: or summary: (events).',
    ],
    items: shown.map((fact, i) => factItem(ctx, fact, (page - 1) * PAGE_SIZE + i + 1, pageSuffix)),
    sources: citedSources(ctx.services.corpus, shown.flatMap((f) => f.record.sources.slice(0, 1))),
    paging: { page, pages, commandLine: '/review' },
    ephemeral: true,
  };
}

const KIND_WORD: Record<Entity['kind'], string> = { person: 'person', organisation: 'organisation', place: 'place' };

function factItem(ctx: CommandContext, fact: Fact, n: number, pageSuffix: string): ReplyItem {
  const id = fact.record.id;
  const quote = fact.record.sources[0]?.quote;
  const meta: string[] = [`id ${id}`];
  if (fact.kind === 'entity') {
    meta.push(fact.record.roles.length > 0 ? `role: ${fact.record.roles.map(describeRole).join('; ')}` : 'no role found');
  } else if (fact.kind === 'role') {
    meta.push(`shown beside the ${fact.entity.status} record of ${fact.entity.name}, which stays as it is`);
  } else {
    const names = entityNames(ctx.services.knowledge, fact.record.entities);
    if (names.length > 0) meta.push(`who: ${names.join(', ')}`);
    if (fact.record.phrase) meta.push(`dated from “${fact.record.phrase}”`);
  }
  return {
    title: itemTitle(fact, n),
    meta: meta.join(' · '),
    ...(quote && quote !== factName(fact) && (fact.kind !== 'event' || quote !== fact.record.summary) ? { text: quoted(quote) } : {}),
    sourceIds: fact.record.sources.slice(0, 1).map((s) => s.article),
    actions: [
      { label: `Approve ${n}`, commandLine: `/review approve:${id}${pageSuffix}`, style: 'approve' },
      { label: `Reject ${n}`, commandLine: `/review reject:${id}${pageSuffix}`, style: 'reject' },
    ],
  };
}

function itemTitle(fact: Fact, n: number): string {
  if (fact.kind === 'entity') return `${n}. ${capitalise(KIND_WORD[fact.record.kind])}: ${fact.record.name}`;
  if (fact.kind === 'role') return `${n}. Role of ${fact.entity.name}: ${describeRole(fact.role)}`;
  return `${n}. Event: ${eventTitle(fact.record)}`;
}

function factName(fact: Fact): string {
  if (fact.kind === 'role') return `${fact.entity.name}: ${fact.role.title}`;
  return fact.kind === 'entity' ? fact.record.name : (fact.record.name ?? `${formatPartialDate(fact.record.date)} — ${clip(fact.record.summary, 60)}`);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
