/**
 * The timeline picture: layout, SVG and PNG (resvg) of 30 real events and of
 * 500 generated ones, and the memory a picture adds to the process. Run
 * alone by bench/run.ts (a fresh process), so the peak is the pictures' own.
 *
 *   node bin/run-ts.mjs bench/run.ts picture
 */
import { readConfig } from '../src/config.ts';
import { loadKnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { timelinePicture, type TimelinePictureRequest } from '../src/picture/timeline-picture.ts';
import { contextFigure, figure, percentile, type Figure } from './figures.ts';
import { generatedEvents } from './generated-events.ts';

const MB = 2 ** 20;
/** The process's peak resident size: it includes resvg's native buffers, which the JS heap does not see. */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

export async function run(): Promise<Figure[]> {
  const kb = await loadKnowledgeBase(readConfig({}).DATA_DIR);
  const all = kb.timeline({}).events;
  const request = (events: TimelinePictureRequest['events'], selection = 'bench'): TimelinePictureRequest => ({ title: 'Timeline', selection, events, entities: kb.entities(), slug: 'bench' });
  const thirty = request(all.slice(0, 30));
  const five = request(generatedEvents(500));
  // First picture in the process, the biggest one, with Hangul (so the Korean font is loaded too).
  const before = Math.max(process.memoryUsage.rss(), peakRss());
  const first = await timelinePicture(request(generatedEvents(500), 'bench 문재인 김정은'));
  const peakExtra = (peakRss() - before) / MB;
  const small = await samples(thirty, 15);
  const large = await samples(five, 10);
  return [
    figure(`picture of ${thirty.events.length} events, p50`, percentile(small, 50), 'ms', 150),
    figure(`picture of ${thirty.events.length} events, max`, Math.max(...small), 'ms', 150),
    figure('picture of 500 events, p50', percentile(large, 50), 'ms', 600),
    figure('picture of 500 events, max', Math.max(...large), 'ms', 600),
    figure('peak extra memory, first 500-event picture (with Hangul)', peakExtra, 'MB', 100),
    // resvg's bitmap is freed only when V8 collects its small JS wrapper, so back-to-back pictures pile up until a GC.
    contextFigure('peak extra memory after 27 pictures back to back', (peakRss() - before) / MB, 'MB'),
    contextFigure('PNG size, 500 events', first.bytes.length / 1024, 'kB'),
  ];
}

/** One warm-up, then `rounds` timed pictures. */
async function samples(request: TimelinePictureRequest, rounds: number): Promise<number[]> {
  await timelinePicture(request);
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await timelinePicture(request);
    out.push(performance.now() - t);
  }
  return out;
}
