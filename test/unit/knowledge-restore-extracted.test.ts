import { beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/corpus.ts';
import { loadKnowledgeBase, type IngestResult, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { Entity, KnowledgeEvent } from '../../src/knowledge/schema.ts';

// restoreExtracted puts back what ingest added in an earlier run, by ingest's
// own rules: curated records win, and nothing is added twice.

const FEED_ARTICLE: Article = {
  id: 'feed-0123456789abcdef',
  title: 'Seoul and Washington discuss an end-of-war declaration',
  outlet: 'Example Wire',
  published: { year: 2021, month: 3, day: 5 },
  dateDerivation: 'stated',
  origin: 'feed',
  feedId: 'example',
  paragraphs: ['South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration.'],
};

let earlierRun: IngestResult;
let kb: KnowledgeBase;
beforeEach(async () => {
  // What the store would hold: the JSON of what an earlier run's ingest returned.
  earlierRun = JSON.parse(JSON.stringify(await (await loadKnowledgeBase('data')).ingest(FEED_ARTICLE))) as IngestResult;
  kb = await loadKnowledgeBase('data');
});

describe('knowledge.restoreExtracted', () => {
  it('GIVEN what an earlier run extracted THEN the same records are back, marked extracted, without running the extractor', async () => {
    expect(earlierRun.entities.map((e) => e.name)).toContain('Sung Kim');
    const restored = kb.restoreExtracted([earlierRun]);
    // Moon Jae-in is a claim on the curated record, not a new entry; the rest comes back as it was.
    expect(restored.entities).toEqual(earlierRun.entities.filter((e) => e.name !== 'Moon Jae-in'));
    expect(restored.events).toHaveLength(earlierRun.events.length);
    expect(kb.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { status: 'extracted' } });
    expect(kb.events().filter((e) => e.status === 'extracted')).toEqual(earlierRun.events);
  });

  it('GIVEN the same records twice THEN they are added once', () => {
    kb.restoreExtracted([earlierRun]);
    const entities = kb.entities().length;
    const events = kb.events().length;
    expect(kb.restoreExtracted([earlierRun])).toEqual({ entities: [], events: [] });
    expect([kb.entities().length, kb.events().length]).toEqual([entities, events]);
  });

  it('GIVEN a stored entity whose name a curated record now has THEN the curated one stays, unchanged, and the event links to it', () => {
    const moon = kb.entity('moon-jae-in')!;
    const moonBefore = structuredClone(moon);
    const stale: Entity = { ...earlierRun.entities[0]!, id: 'moon-jae-in-extracted', name: moon.name };
    const event: KnowledgeEvent = { ...earlierRun.events[0]!, id: 'ev-stale', date: { year: 2030, month: 1, day: 1 }, entities: [stale.id] };
    const restored = kb.restoreExtracted([{ entities: [stale], events: [event] }]);
    expect(restored.entities).toEqual([]);
    expect(restored.events.map((e) => e.entities)).toEqual([['moon-jae-in']]);
    expect(kb.entity('moon-jae-in')).toEqual(moonBefore);
    expect(kb.entity(stale.id)).toBeUndefined();
  });

  it('GIVEN a stored record claiming to be curated THEN it is still shown as extracted', () => {
    const forged = { entities: earlierRun.entities.map((e) => ({ ...e, status: 'curated' as const })), events: [] };
    kb.restoreExtracted([forged]);
    expect(kb.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { status: 'extracted' } });
  });
});
