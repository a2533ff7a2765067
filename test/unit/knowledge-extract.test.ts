import { beforeEach, describe, expect, it } from 'vitest';
import timeline from '../../commands/timeline.ts';
import whois from '../../commands/whois.ts';
import { readConfig } from '../../src/config.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { extractFromArticle } from '../../src/knowledge/extract.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';

/** A new feed article, as the feeds would hand it over. */
const FEED_ARTICLE: Article = {
  id: 'feed-3f2a9c',
  title: 'Seoul and Washington discuss an end-of-war declaration',
  outlet: 'Example Wire',
  published: { year: 2021, month: 3, day: 5 },
  dateDerivation: 'stated',
  origin: 'feed',
  feedId: 'example',
  paragraphs: [
    'South Korean President Moon Jae-in met Sung Kim, the US special envoy, in Seoul on Thursday to discuss an end-of-war declaration.',
    'The Stimson Center said in January that the talks could resume.',
    'Sanctions on North Korean exports were tightened in 2017.',
  ],
};

let kb: KnowledgeBase;
let services: Services;
let seeds: Article[];
beforeEach(async () => {
  seeds = (await readCorpus('data')).articles;
  kb = await loadKnowledgeBase('data');
  services = { corpus: createCorpus([...seeds, FEED_ARTICLE]), knowledge: kb, config: readConfig({}) } as unknown as Services;
});
const ctx = (): CommandContext => ({ services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(), now: new Date('2026-06-20T00:00:00Z') });

describe('extractFromArticle', () => {
  it('links names it knows, proposes new people and organisations, and dates sentences with their precision', () => {
    const extraction = extractFromArticle(FEED_ARTICLE, (name) => kb.lookup(name));
    expect(extraction.linked).toEqual(expect.arrayContaining(['moon-jae-in', 'seoul']));
    const names = extraction.entities.map((e) => `${e.name} (${e.kind})`);
    expect(names).toEqual(expect.arrayContaining(['Sung Kim (person)']));
    for (const entity of extraction.entities) {
      expect(entity.status).toBe('extracted');
      expect(FEED_ARTICLE.paragraphs).toContain(entity.sources[0]!.quote);
    }
    const dated = extraction.events.map((e) => [e.phrase?.trim(), e.date, e.derivation]);
    expect(dated).toEqual([
      ['on Thursday', { year: 2021, month: 3, day: 4 }, 'relative'],
      ['January', { year: 2021, month: 1 }, 'relative'],
      ['in 2017', { year: 2017 }, 'stated'],
    ]);
    expect(extraction.events[0]!.entities).toEqual(expect.arrayContaining(['moon-jae-in', 'seoul']));
    expect(extraction.events.every((e) => e.status === 'extracted' && e.sources[0]!.article === FEED_ARTICLE.id)).toBe(true);
  });

  it('does not take durations or "now" for dates', () => {
    const article: Article = { ...FEED_ARTICLE, paragraphs: ['For the first time in 13 years, teams may search for remains.', 'Talks are now stalled, 67 years after the armistice.'] };
    expect(extractFromArticle(article, (name) => kb.lookup(name)).events).toEqual([]);
  });
});

describe('knowledge.ingest', () => {
  it('adds extracted records without touching curated ones, and the answers mark them "extracted, unreviewed"', async () => {
    const moonBefore = structuredClone(kb.entity('moon-jae-in'));
    const eventsBefore = kb.events().length;
    const added = await kb.ingest(FEED_ARTICLE);
    expect(added.entities.map((e) => e.name)).toContain('Sung Kim');
    expect(added.events.length).toBeGreaterThan(0);
    expect(kb.entity('moon-jae-in')).toEqual(moonBefore);
    expect(kb.complete('Sung').map((c) => c.name)).toContain('Sung Kim');
    expect(kb.events().length).toBe(eventsBefore + added.events.length);
    // Moon's role in the article is reported beside the curated record, not written into it.
    expect(kb.reportedRoles('moon-jae-in').map((r) => r.role.title)).toEqual(['South Korean president']);

    const sungKim = (await whois.run!(ctx(), { name: 'Sung Kim' })) as Reply;
    expect(sungKim.title).toBe('Sung Kim');
    expect(sungKim.text?.join(' ')).toContain('extracted, unreviewed');
    expect(sungKim.sources?.[0]).toMatchObject({ articleId: 'feed-3f2a9c', title: FEED_ARTICLE.title, outlet: 'Example Wire' });

    const reply = (await timeline.run!(ctx(), { from: { year: 2021 } })) as Reply;
    const thursday = reply.items!.find((i) => i.title.startsWith('4 March 2021 — '))!;
    expect(thursday.note).toBe('extracted, unreviewed');
    expect(thursday.sourceIds).toEqual(['feed-3f2a9c']);
  });

  it('GIVEN the same article twice THEN nothing is added the second time', async () => {
    await kb.ingest(FEED_ARTICLE);
    const [entities, events] = [kb.entities().length, kb.events().length];
    expect(await kb.ingest(FEED_ARTICLE)).toEqual({ entities: [], events: [] });
    expect([kb.entities().length, kb.events().length]).toEqual([entities, events]);
  });

  it('GIVEN a seed article THEN nothing is added: the curated records already cover it', async () => {
    for (const seed of seeds) expect(await kb.ingest(seed)).toEqual({ entities: [], events: [] });
  });

  it('GIVEN a dated sentence that a curated event already records THEN it is not added again', async () => {
    const repeat: Article = { ...FEED_ARTICLE, id: 'feed:repeat', published: { year: 2019, month: 9, day: 25 }, paragraphs: ['Trump and Kim met at the DMZ in June, when Trump stepped into North Korea.'] };
    const before = kb.events().length;
    expect((await kb.ingest(repeat)).events.map((e) => e.date)).toEqual([{ year: 2019, month: 6 }]);
    expect(kb.events().length).toBe(before);
    expect(kb.event('dmz-meeting')!.sources.map((s) => s.article)).not.toContain('feed:repeat');
  });
});
