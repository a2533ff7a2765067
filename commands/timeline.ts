import { defineCommand, type Args, type CommandContext } from '../src/router/command.ts';
import { userError, type Reply } from '../src/reply/reply.ts';
import { dateRange, describePartialDate, formatPartialDate, type PartialDate } from '../src/core/dates.ts';
import { citedSources, eventItem } from '../src/knowledge/present.ts';
import { timelinePicture } from '../src/picture/timeline-picture.ts';
import type { Entity, KnowledgeEvent } from '../src/knowledge/schema.ts';

const PAGE_SIZE = 8;

export default defineCommand({
  name: 'timeline',
  description: 'What happened when: dated events from the 1950 outbreak to the latest article, with sources',
  ko: { name: '연표', description: '1950년 전쟁 발발부터 최근 기사까지의 사건과 출처' },
  options: [
    { name: 'from', type: 'date', description: 'From this year, month or day (alone in free text: that period only)', example: '2018' },
    { name: 'to', type: 'date', description: 'Up to this year, month or day', example: '2019-06' },
    { name: 'about', type: 'string', description: 'A keyword or a name (person, organisation, place)', rest: true, autocomplete: true, maxLength: 100, example: 'summit' },
    { name: 'page', type: 'integer', description: 'Page of events', min: 1, example: '2' },
    { name: 'picture', type: 'boolean', description: 'Also draw the whole selection as a picture (PNG)', example: 'true' },
  ],
  examples: ['timeline', 'timeline 2018', 'timeline from:2018 to:2019 about:summit', 'timeline about:Bolton', 'timeline 2020 Kim Yo Jong'],
  run(ctx, args) {
    const range = rangeOf(ctx, args);
    if ('error' in range) return range.error;
    const { from, to } = range;
    const about = typeof args.about === 'string' && args.about.trim() !== '' ? args.about.trim() : undefined;
    const page = typeof args.page === 'number' ? args.page : 1;
    const kb = ctx.services.knowledge;

    const { events: shown, total, aboutEntities } = kb.timeline({ from, to, about }, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    const commandLine = timelineCommandLine(from, to, about);
    const scope = describeScope(from, to, about, aboutEntities.map((e) => e.name));
    if (total === 0) {
      return {
        title: `No events ${scope}`,
        text: [
          'Try a wider period (/timeline from:2018), another word (summit, armistice, sanctions) or a name (Moon, Bolton, Women Cross DMZ).',
          'Type /timeline alone for every event.',
          ...(args.picture === true ? ['No picture was drawn: there is nothing in this selection to show.'] : []),
        ],
      };
    }
    const pages = Math.ceil(total / PAGE_SIZE);
    if (page > pages) {
      return userError('PAGE_OUT_OF_RANGE', `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of events ${scope}.`, [
        `Try ${commandLine} page:${pages}`,
      ]);
    }
    const reply: Reply = {
      title: `Timeline ${scope}`,
      items: shown.map((event) => eventItem(kb, event)),
      sources: citedSources(ctx.services.corpus, shown.flatMap((e) => e.sources)),
      footer: `${total} event${total === 1 ? '' : 's'} · dates as precise as the sources allow`,
    };
    if (pages > 1) reply.paging = { page, pages, commandLine };
    reply.pictureCommand = `${commandLine} picture:true`;
    if (args.picture === true) return withPicture(reply, kb.timeline({ from, to, about }).events, kb.entities(), { from, to, scope, commandLine, total });
    return reply;
  },
  autocomplete(ctx, _option, partial) {
    return ctx.services.knowledge.complete(partial, 25).map((c) => c.name);
  },
});

/** The reply with a picture of the whole selection, not just this page. */
async function withPicture(
  reply: Reply,
  events: KnowledgeEvent[],
  entities: readonly Entity[],
  q: { from?: PartialDate; to?: PartialDate; scope: string; commandLine: string; total: number },
): Promise<Reply> {
  const title = `Timeline ${q.scope}`;
  const image = await timelinePicture({
    title: title.length > 60 ? 'Timeline' : title,
    selection: `${q.commandLine} — ${q.total} event${q.total === 1 ? '' : 's'} ${q.scope}`,
    events,
    entities,
    from: q.from,
    to: q.to,
    slug: q.commandLine.slice(1).replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, ''),
  });
  // Drawn already: no button offering to draw it.
  const { pictureCommand: _drawn, ...rest } = reply;
  return { ...rest, image };
}

/**
 * The period asked for. In free text a lone date means that period
 * (`/timeline 2018` = the events of 2018); `from:2018` alone means from 2018 on.
 */
function rangeOf(ctx: CommandContext, args: Args): { from?: PartialDate; to?: PartialDate } | { error: Reply } {
  const from = isDate(args.from) ? args.from : undefined;
  let to = isDate(args.to) ? args.to : undefined;
  if (from && !to && ctx.positional.has('from')) to = from;
  if (from && to && dateRange(from).start > dateRange(to).end) {
    return {
      error: userError('INVALID_RANGE', `The period starts (${formatPartialDate(from)}) after it ends (${formatPartialDate(to)}).`, [
        'Put the earlier date first: /timeline from:2018 to:2019',
        'Or give one period: /timeline 2018, /timeline 2018-06, /timeline from:2019-06-30',
      ]),
    };
  }
  return { from, to };
}

function isDate(value: unknown): value is PartialDate {
  return typeof value === 'object' && value !== null && typeof (value as PartialDate).year === 'number';
}

/** `of 2018`, `from June 2018 to 2019`, `about “Kim” (Kim Jong-un, Kim Yo Jong)`. */
function describeScope(from: PartialDate | undefined, to: PartialDate | undefined, about: string | undefined, names: string[]): string {
  const parts: string[] = [];
  if (from && to && formatPartialDate(from) === formatPartialDate(to)) parts.push(`of ${describePartialDate(from)}`);
  else {
    if (from) parts.push(`from ${describePartialDate(from)}`);
    if (to) parts.push(`to ${describePartialDate(to)}`);
  }
  if (about) {
    const resolved = names.length > 0 && !(names.length === 1 && names[0]!.toLowerCase() === about.toLowerCase()) ? ` (${names.join(', ')})` : '';
    parts.push(`about “${about}”${resolved}`);
  }
  return parts.length > 0 ? parts.join(' ') : 'from the 1950 outbreak to the latest article';
}

/** The command line that re-runs this query; paging buttons append `page:N`. */
export function timelineCommandLine(from?: PartialDate, to?: PartialDate, about?: string): string {
  const parts = ['/timeline'];
  if (from) parts.push(`from:${formatPartialDate(from)}`);
  if (to) parts.push(`to:${formatPartialDate(to)}`);
  if (about) parts.push(/[\s:]/.test(about) ? `about:"${about.replace(/["“”]/g, '')}"` : `about:${about}`);
  return parts.join(' ');
}
