import type { PartialDate } from '../core/dates.ts';
import type { Entity, KnowledgeEvent } from '../knowledge/schema.ts';
import type { ReplyImage } from '../reply/reply.ts';
import { svgToPng } from './rasterise.ts';
import { ThreadClassifier } from './threads.ts';
import { layoutTimeline, shortDate, type PictureEvent, type TimelineLayout } from './timeline-layout.ts';
import { timelineSvg } from './timeline-svg.ts';

/** Knowledge events → the picture of a timeline, with its alt text. */

export interface TimelinePictureRequest {
  title: string;
  selection: string;
  events: readonly KnowledgeEvent[];
  entities: readonly Entity[];
  from?: PartialDate;
  to?: PartialDate;
  /** Used in the file name, e.g. "timeline-2018". */
  slug: string;
}

/**
 * One classification per entity list. The knowledge base's list grows as
 * feeds are ingested (same array, longer), so its length is part of the key.
 */
const classifiers = new WeakMap<readonly Entity[], { size: number; classifier: ThreadClassifier }>();

function classifierFor(entities: readonly Entity[]): ThreadClassifier {
  const known = classifiers.get(entities);
  if (known && known.size === entities.length) return known.classifier;
  const classifier = new ThreadClassifier(entities);
  classifiers.set(entities, { size: entities.length, classifier });
  return classifier;
}

export function pictureEvents(events: readonly KnowledgeEvent[], entities: readonly Entity[]): PictureEvent[] {
  const classifier = classifierFor(entities);
  return events.map((e) => ({ id: e.id, date: e.date, name: e.name, summary: e.summary, thread: classifier.threadOf(e), curated: e.status === 'curated' }));
}

export function timelineLayoutFor(request: TimelinePictureRequest): TimelineLayout {
  const sourceIds = [...new Set(request.events.flatMap((e) => e.sources.map((s) => s.article)))];
  return layoutTimeline({
    title: request.title,
    selection: request.selection,
    events: pictureEvents(request.events, request.entities),
    from: request.from,
    to: request.to,
    sourceIds,
  });
}

export async function timelinePicture(request: TimelinePictureRequest): Promise<ReplyImage> {
  const layout = timelineLayoutFor(request);
  return { bytes: await svgToPng(timelineSvg(layout)), filename: `${request.slug}.png`, mimeType: 'image/png', alt: altText(request, layout) };
}

/** What a screen reader says instead of the picture: the shape of it; the text answer has the details. */
function altText(request: TimelinePictureRequest, layout: TimelineLayout): string {
  const first = request.events[0]!;
  const last = request.events.at(-1)!;
  const span = first === last ? shortDate(first.date) : `${shortDate(first.date)} to ${shortDate(last.date)}`;
  const threads = layout.legend.map((l) => `${l.thread.label} ${l.count}`).join(', ');
  const n = request.events.length;
  return `Picture: ${request.title}: ${n} event${n === 1 ? '' : 's'}, ${span}, by thread: ${threads}.${layout.hidden > 0 ? ` ${layout.hidden} too close together to label.` : ''}`;
}


