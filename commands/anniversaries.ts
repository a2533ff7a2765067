import { defineCommand } from '../src/router/command.ts';
import { describePartialDate } from '../src/core/dates.ts';
import { nextAnniversary, ordinal, type CalendarDay } from '../src/core/anniversaries.ts';
import { citedSources, entityNames } from '../src/knowledge/present.ts';

export default defineCommand({
  name: 'anniversaries',
  description: 'Coming anniversaries: the outbreak, the armistice, the summits and declarations',
  ko: { name: '기념일', description: '다가오는 기념일: 전쟁 발발, 정전협정, 정상회담과 선언' },
  options: [{ name: 'within', type: 'integer', description: 'Only those in the next N days', min: 1, max: 366, example: '30' }],
  examples: ['anniversaries', 'anniversaries within:30'],
  run(ctx, args) {
    const within = typeof args.within === 'number' ? args.within : undefined;
    const timeZone = ctx.services.config.DEFAULT_TIMEZONE;
    const kb = ctx.services.knowledge;
    const upcoming = kb
      .anniversaries()
      .map((event) => ({ event, next: nextAnniversary(event.date as CalendarDay, ctx.now, timeZone) }))
      .sort((a, b) => a.next.daysUntil - b.next.daysUntil || a.event.id.localeCompare(b.event.id));
    const shown = within === undefined ? upcoming : upcoming.filter((u) => u.next.daysUntil <= within);
    if (shown.length === 0) {
      const first = upcoming[0];
      return {
        title: `No anniversaries in the next ${within} day${within === 1 ? '' : 's'}`,
        text: first
          ? [`The next is the ${ordinal(first.next.years)} anniversary (${first.event.name ?? first.event.summary.replace(/\.$/, '')}) on ${describePartialDate(first.next.on)}, in ${first.next.daysUntil} days.`]
          : ['No events are marked as anniversaries.'],
      };
    }
    return {
      title: within === undefined ? 'Coming anniversaries' : `Anniversaries in the next ${within} day${within === 1 ? '' : 's'}`,
      items: shown.map(({ event, next }) => ({
        title: `${describePartialDate(next.on)} — ${ordinal(next.years)} anniversary${event.name ? `: ${event.name}` : ''} (${describePartialDate(event.date)})`,
        meta: [whenText(next.daysUntil), ...entityNames(kb, event.entities)].join(' · '),
        text: event.summary,
        sourceIds: [...new Set(event.sources.map((s) => s.article))],
      })),
      sources: citedSources(ctx.services.corpus, shown.flatMap((u) => u.event.sources)),
      footer: `Dates in ${timeZone}. February 29 anniversaries fall on March 1 in common years.`,
    };
  },
});

function whenText(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}
