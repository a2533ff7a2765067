/**
 * The events reminders are posted for: the knowledge base's events marked
 * `anniversary: true` with a full date, each cited with its articles.
 */
import type { Corpus } from '../corpus/corpus.ts';
import { sourceRef } from '../corpus/present.ts';
import type { KnowledgeEvent } from '../knowledge/schema.ts';
import type { SourceRef } from '../reply/reply.ts';
import type { ReminderEvent } from './reminder.ts';

export function reminderEvents(events: readonly KnowledgeEvent[], corpus: Pick<Corpus, 'get'>): ReminderEvent[] {
  const out: ReminderEvent[] = [];
  for (const event of events) {
    const { year, month, day } = event.date;
    if (!event.anniversary || month === undefined || day === undefined) continue;
    const sources: SourceRef[] = [];
    for (const citation of event.sources) {
      const article = corpus.get(citation.article);
      if (article) sources.push({ ...sourceRef(article), quote: citation.quote });
    }
    out.push({ id: event.id, date: { year, month, day }, summary: event.summary, sources });
  }
  return out;
}
