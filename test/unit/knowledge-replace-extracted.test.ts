import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/corpus.ts';
import type { ArticleExtraction } from '../../src/knowledge/extractions.ts';
import { loadKnowledgeBase, type IngestResult, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { ReviewDecision } from '../../src/knowledge/reviewing.ts';

// replaceExtracted puts an article's new extraction (a re-extraction by another
// process) in place of the one held: what the article contributed goes, the
// new records come, and the base is then exactly what a process starting now
// restores from the same store. The extractions are the real extractor's.

const article = (id: string, day: Article['published'], text: string): Article => ({
  id,
  title: `Article ${id}`,
  outlet: 'Example Wire',
  published: day,
  dateDerivation: 'stated',
  origin: 'feed',
  feedId: 'example',
  paragraphs: [text],
});
const A = article('feed-aaaaaaaaaaaaaaaa', { year: 2021, month: 3, day: 5 }, 'South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration.');
const B = article('feed-bbbbbbbbbbbbbbbb', { year: 2021, month: 6, day: 21 }, 'Sung Kim, the US special representative for North Korea, arrived in Seoul on Saturday for talks with Noh Kyu-duk.');
const SAVED = { A: '2024-01-01T00:00:00.000Z', B: '2024-01-02T00:00:00.000Z' };

/** The extractor's output for an article, as the store gives it back (JSON). */
async function extractionOf(a: Article): Promise<IngestResult> {
  return JSON.parse(JSON.stringify(await (await loadKnowledgeBase('data')).ingest(a))) as IngestResult;
}

let improvedA: IngestResult;
let extractionB: IngestResult;
/** What an older extractor kept for A: Sung Kim's role cut short, a street name taken for a person, the event a day off. */
let olderA: IngestResult;

beforeAll(async () => {
  improvedA = await extractionOf(A);
  extractionB = await extractionOf(B);
  const sungKim = improvedA.entities.find((e) => e.name === 'Sung Kim')!;
  const event = improvedA.events[0]!;
  olderA = {
    entities: [
      { ...sungKim, roles: [{ title: 'US envoy' }] },
      { ...sungKim, id: 'x-feedaaaaaaaaaaaaaaaa-person-washingtonthursday', name: 'Washington Thursday', roles: [] },
    ],
    events: [{ ...event, id: 'x-feedaaaaaaaaaaaaaaaa-event-older', date: { year: 2021, month: 3, day: 3 } }],
  };
});

/** What a process answers from: every entity and event, and the roles reported beside curated Moon Jae-in. */
function snapshot(kb: KnowledgeBase): unknown {
  return JSON.parse(JSON.stringify({ entities: kb.entities(), events: kb.events(), reported: kb.reportedRoles('moon-jae-in') }));
}

/** A process started now on a store holding `records` (in the store's order), with `decisions` made. */
async function startedOn(records: ArticleExtraction[], decisions: ReviewDecision[] = []): Promise<KnowledgeBase> {
  const kb = await loadKnowledgeBase('data');
  kb.applyReviews(new Map(decisions.map((d) => [d.id, d])));
  kb.restoreExtracted(records);
  return kb;
}

let kb: KnowledgeBase;
beforeEach(async () => {
  kb = await startedOn([
    { articleId: A.id, savedAt: SAVED.A, ...olderA },
    { articleId: B.id, savedAt: SAVED.B, ...extractionB },
  ]);
});

describe('knowledge.replaceExtracted', () => {
  it("GIVEN an article's older extraction held WHEN its new one arrives THEN its earlier records go, the new ones come, and the base is what a process starting now holds", async () => {
    expect(kb.lookup('Washington Thursday').kind).toBe('found');
    expect(kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }])).toEqual({ added: 0, replaced: 1, withdrawn: 0 });

    expect(kb.lookup('Washington Thursday', { suggest: false }).kind).toBe('unknown');
    expect(kb.event('x-feedaaaaaaaaaaaaaaaa-event-older')).toBeUndefined();
    expect(kb.event(improvedA.events[0]!.id)).toMatchObject({ date: { year: 2021, month: 3, day: 4 } });
    // Sung Kim: A's entry, with A's new role (not "US envoy") and B's, cited from both.
    const sungKim = kb.lookup('Sung Kim');
    expect(sungKim).toMatchObject({ kind: 'found', entity: { id: 'x-feedaaaaaaaaaaaaaaaa-person-sungkim' } });
    if (sungKim.kind !== 'found') throw new Error('unreachable');
    expect(sungKim.entity.roles.map((r) => r.title).sort()).toEqual(['US special envoy', 'US special representative for North Korea']);
    expect(sungKim.entity.sources.map((s) => s.article)).toEqual([A.id, B.id]);
    expect(snapshot(kb)).toEqual(
      snapshot(
        await startedOn([
          { articleId: A.id, savedAt: SAVED.A, ...improvedA },
          { articleId: B.id, savedAt: SAVED.B, ...extractionB },
        ]),
      ),
    );
  });

  it('GIVEN the same change applied twice, or the older extraction restored again THEN nothing changes', () => {
    kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }]);
    const after = snapshot(kb);
    expect(kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }])).toEqual({ added: 0, replaced: 0, withdrawn: 0 });
    expect(kb.restoreExtracted([{ articleId: A.id, savedAt: SAVED.A, ...olderA }])).toEqual({ entities: [], events: [] });
    expect(snapshot(kb)).toEqual(after);
    expect(kb.entities().filter((e) => e.name === 'Sung Kim')).toHaveLength(1);
  });

  it("GIVEN an article's extraction withdrawn THEN what it contributed goes everywhere: its entries, its sources and roles on others', the role it reported beside a curated person", async () => {
    kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }]);
    expect(kb.reportedRoles('moon-jae-in').map((r) => r.source.article)).toEqual([A.id]);
    const moonBefore = structuredClone(kb.entity('moon-jae-in'));

    expect(kb.replaceExtracted([{ articleId: A.id, extraction: undefined }])).toEqual({ added: 0, replaced: 0, withdrawn: 1 });
    expect(kb.reportedRoles('moon-jae-in')).toEqual([]);
    expect(kb.entity('moon-jae-in')).toEqual(moonBefore);
    expect(kb.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { id: 'x-feedbbbbbbbbbbbbbbbb-person-sungkim', sources: [{ article: B.id }] } });
    expect(kb.events().filter((e) => e.sources.some((s) => s.article === A.id))).toEqual([]);
    expect(snapshot(kb)).toEqual(snapshot(await startedOn([{ articleId: B.id, savedAt: SAVED.B, ...extractionB }])));
  });

  it('GIVEN review decisions WHEN a new extraction replaces the old THEN a rejected record stays out, an approved one is reviewed, and curated records win', async () => {
    const decide = (id: string, verdict: ReviewDecision['verdict']): ReviewDecision => ({ id, kind: id.includes('-event-') ? 'event' : 'entity', verdict, by: 'U-admin', at: '2024-02-01T00:00:00.000Z' });
    const decisions = [decide(improvedA.events[0]!.id, 'rejected'), decide('x-feedaaaaaaaaaaaaaaaa-person-sungkim', 'approved')];
    kb.applyReviews(new Map(decisions.map((d) => [d.id, d])));
    const moonBefore = structuredClone(kb.entity('moon-jae-in'));

    kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }]);
    expect(kb.event(improvedA.events[0]!.id)).toBeUndefined();
    expect(kb.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { id: 'x-feedaaaaaaaaaaaaaaaa-person-sungkim', status: 'reviewed' } });
    // Moon Jae-in in A is a claim on the curated record: the record is unchanged, the role reported beside it.
    expect(kb.entity('moon-jae-in')).toEqual(moonBefore);
    expect(kb.entities().filter((e) => e.name === 'Moon Jae-in')).toHaveLength(1);
    expect(kb.reportedRoles('moon-jae-in').map((r) => r.role.title)).toEqual(['South Korean president']);
    expect(snapshot(kb)).toEqual(
      snapshot(
        await startedOn(
          [
            { articleId: A.id, savedAt: SAVED.A, ...improvedA },
            { articleId: B.id, savedAt: SAVED.B, ...extractionB },
          ],
          decisions,
        ),
      ),
    );
  });

  it('GIVEN a decision on a record two articles make up, or on a role reported beside a curated person THEN the base is what a process starting now holds with it', async () => {
    kb.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }]);
    const decide = (id: string): ReviewDecision => ({ id, kind: 'entity', verdict: 'rejected', by: 'U-admin', at: '2024-02-01T00:00:00.000Z' });
    // Sung Kim: A's entry, which B's claim joined. Rejected, A's record goes and B's own takes its place, as at a start.
    const decisions = [decide('x-feedaaaaaaaaaaaaaaaa-person-sungkim')];
    kb.applyReviews(new Map(decisions.map((d) => [d.id, d])));
    expect(kb.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { id: 'x-feedbbbbbbbbbbbbbbbb-person-sungkim' } });
    const records = [
      { articleId: A.id, savedAt: SAVED.A, ...improvedA },
      { articleId: B.id, savedAt: SAVED.B, ...extractionB },
    ];
    expect(snapshot(kb)).toEqual(snapshot(await startedOn(records, decisions)));

    const claim = kb.reportedRoles('moon-jae-in')[0]!.claim;
    expect(kb.unreviewedRoles().map((r) => [r.entity.id, r.reported.claim])).toEqual([['moon-jae-in', claim]]);
    decisions.push(decide(claim));
    kb.applyReviews(new Map(decisions.map((d) => [d.id, d])));
    expect(kb.reportedRoles('moon-jae-in')).toEqual([]);
    expect(kb.unreviewedRoles()).toEqual([]);
    expect(snapshot(kb)).toEqual(snapshot(await startedOn(records, decisions)));
  });

  it('GIVEN an extraction saved before those held (a baseline article mined late) THEN it takes its place in the order, as a restart would', async () => {
    const running = await startedOn([{ articleId: B.id, savedAt: SAVED.B, ...extractionB }]);
    expect(running.replaceExtracted([{ articleId: A.id, extraction: improvedA, savedAt: SAVED.A }])).toEqual({ added: 1, replaced: 0, withdrawn: 0 });
    // A first: Sung Kim is A's entry, as in a process restoring A then B.
    expect(running.lookup('Sung Kim')).toMatchObject({ kind: 'found', entity: { id: 'x-feedaaaaaaaaaaaaaaaa-person-sungkim' } });
    expect([...running.heldExtractions().keys()]).toEqual([A.id, B.id]);
    expect(snapshot(running)).toEqual(
      snapshot(
        await startedOn([
          { articleId: A.id, savedAt: SAVED.A, ...improvedA },
          { articleId: B.id, savedAt: SAVED.B, ...extractionB },
        ]),
      ),
    );
  });
});
