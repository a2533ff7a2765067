import { beforeAll, describe, expect, it } from 'vitest';
import timeline from '../../commands/timeline.ts';
import { readConfig } from '../../src/config.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { KnowledgeEvent } from '../../src/knowledge/schema.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { Args, CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';
import { timelineLayoutFor } from '../../src/picture/timeline-picture.ts';
import { timelineSvg } from '../../src/picture/timeline-svg.ts';
import { svgToPng } from '../../src/picture/rasterise.ts';
import { decodePng } from '../support/png-pixels.ts';

let kb: KnowledgeBase;
let services: Services;
beforeAll(async () => {
  kb = await loadKnowledgeBase('data');
  services = { corpus: createCorpus((await readCorpus('data')).articles), knowledge: kb, config: readConfig({}) } as unknown as Services;
});

async function ask(args: Args, positional: string[] = []): Promise<Reply> {
  const ctx: CommandContext = { services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(positional), now: new Date('2026-06-20T00:00:00Z') };
  return timeline.run!(ctx, args);
}

describe('/timeline picture:true', () => {
  it('GIVEN a timeline without picture:true THEN it offers the picture of the same selection and carries no image', async () => {
    const reply = await ask({ from: { year: 2018 } });
    expect(reply.image).toBeUndefined();
    expect(reply.pictureCommand).toBe('/timeline from:2018 picture:true');
  });

  it('GIVEN picture:true on page 2 THEN the text is page 2 and the picture shows the whole selection', async () => {
    const reply = await ask({ from: { year: 2018 }, page: 2, picture: true });
    const total = kb.timeline({ from: { year: 2018 } }).total;
    expect(reply.paging).toMatchObject({ page: 2 });
    expect(reply.items!.length).toBeLessThanOrEqual(8);
    expect(reply.image!.alt).toMatch(new RegExp(`^Picture: Timeline from 2018: ${total} events, `));
    expect(reply.image!.filename).toBe('timeline-from-2018.png');
    expect(reply.pictureCommand).toBeUndefined();
  });

  it('GIVEN picture:true and an empty selection THEN the usual "No events" answer says no picture was drawn, with no image', async () => {
    const reply = await ask({ from: { year: 1960 }, to: { year: 1960 }, picture: true });
    expect(reply.title).toBe('No events of 1960');
    expect(reply.text).toContain('No picture was drawn: there is nothing in this selection to show.');
    expect(reply.image).toBeUndefined();
  });

  it('GIVEN picture:true and a bad range THEN the range error, and no picture', async () => {
    const reply = await ask({ from: { year: 2019 }, to: { year: 2018 }, picture: true });
    expect(reply.errorCode).toBe('INVALID_RANGE');
    expect(reply.image).toBeUndefined();
  });
});

describe('feed text in a picture', () => {
  it('GIVEN an event summary with markup characters THEN it is drawn as text, not read as SVG', async () => {
    const base = kb.timeline({}).events[0]!;
    const hostile: KnowledgeEvent = { ...base, id: 'hostile', name: undefined, summary: '<svg onload="x()"> & </text><text>“Peace” now', status: 'extracted' };
    const layout = timelineLayoutFor({ title: 'T <b>', selection: 's & s', events: [hostile], entities: kb.entities(), slug: 'x' });
    const svg = timelineSvg(layout);
    expect(svg).not.toContain('<svg onload');
    expect(svg).toContain('&lt;svg onload=&quot;x()&quot;&gt; &amp; &lt;/text&gt;');
    expect(svg).toContain('T &lt;b&gt;');
    expect(decodePng(await svgToPng(svg)).width).toBe(1200);
  });
});
