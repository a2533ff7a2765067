import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { loadKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import { runCli } from '../support/cli.ts';
import { ENVOY_ARTICLE, learnFrom } from '../support/review-facts.ts';

/**
 * `armistice knowledge export` as an operator runs it, after admins reviewed
 * facts from a feed article on the bot's SQLite store: the approved and
 * corrected facts become curated records of a data directory that
 * `armistice check-data` accepts, citing the feed article, now in its corpus.
 */

const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');
const scratch = mkdtempSync(join(tmpdir(), 'armistice-export-'));
const STORE_URL = `sqlite://${join(scratch, 'bot.sqlite')}`;
const out = join(scratch, 'export');
const admin: Caller = { user: { id: 'U-admin', name: 'ada', isAdmin: true }, channel: { id: 'console', platform: 'console' } };
let ids: { sungKim: string; stimson: string; thursday: string; january: string };

beforeAll(async () => {
  const services = await buildServices(readConfig({ STORE_URL, DATA_DIR, LOG_LEVEL: 'silent' }), createLogger('silent'));
  try {
    const found = await learnFrom(services);
    const entity = (name: string) => found.entities.find((e) => e.name === name)!.id;
    const event = (phrase: string) => found.events.find((e) => e.phrase === phrase)!.id;
    ids = { sungKim: entity('Sung Kim'), stimson: entity('Stimson Center'), thursday: event('on Thursday'), january: event('January') };
    for (const line of [
      `/review correct:${ids.sungKim} role:"US Special Representative for North Korea"`,
      `/review reject:${ids.stimson}`,
      `/review approve:${ids.thursday}`,
    ]) {
      expect((await dispatchLine(services, line, admin)).errorCode).toBeUndefined();
    }
  } finally {
    await services.close();
  }
}, 30_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('armistice knowledge export', () => {
  it('GIVEN reviewed facts WHEN exported THEN check-data passes on the result, which holds them as curated records citing the feed article', async () => {
    const exported = await runCli(['knowledge', 'export', '--out', out], { env: { STORE_URL, DATA_DIR } });
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(
      `${out}: 1 reviewed entity and 1 event added, with the 1 feed article they cite.\n` +
        `check-data: all data in ${out} is valid. Compare it with ${DATA_DIR} and copy over what you keep.\n`,
    );
    expect(exported.code).toBe(0);

    const checked = await runCli(['check-data'], { env: { DATA_DIR: out } });
    expect(checked.stdout).toBe(`${out}: all data is valid.\n`);
    expect(checked.code).toBe(0);

    const kb = await loadKnowledgeBase(out);
    const sungKim = kb.lookup('Sung Kim');
    expect(sungKim.kind === 'found' && sungKim.entity).toMatchObject({
      name: 'Sung Kim',
      roles: [{ title: 'US Special Representative for North Korea' }],
      sourceSays: 'Corrected on review; the extractor had read role “US special envoy” from the article.',
      sources: [{ article: ENVOY_ARTICLE.id }],
      status: 'curated',
    });
    expect(kb.lookup('Stimson Center').kind).toBe('unknown');
    const thursday = kb.events().find((e) => e.sources[0]?.article === ENVOY_ARTICLE.id);
    expect(thursday).toMatchObject({ date: { year: 2021, month: 3, day: 4 }, derivation: 'relative', phrase: 'on Thursday', relativeTo: ENVOY_ARTICLE.id });
    // Only the entities that are records of the export (or curated) stay linked.
    expect(thursday!.entities).toEqual(['moon-jae-in', sungKim.kind === 'found' ? sungKim.entity.id : '', 'seoul']);
    expect(kb.events().filter((e) => e.sources[0]?.article === ENVOY_ARTICLE.id)).toHaveLength(1);

    const corpus = await readCorpus(out);
    expect(corpus.articles.find((a) => a.id === ENVOY_ARTICLE.id)).toMatchObject({ title: ENVOY_ARTICLE.title, outlet: 'Peninsula Wire', paragraphs: ENVOY_ARTICLE.paragraphs });
    // The curated files keep their comments; the originals are untouched.
    expect(readFileSync(join(out, 'knowledge', 'events.yaml'), 'utf8')).toMatch(/^# Dated events/);
    expect(readFileSync(join(DATA_DIR, 'knowledge', 'entities.yaml'), 'utf8')).not.toContain(ENVOY_ARTICLE.id);
  }, 60_000);

  it('GIVEN --out naming the data directory THEN it refuses, writing nothing', async () => {
    const refused = await runCli(['knowledge', 'export', '--out', DATA_DIR], { env: { STORE_URL, DATA_DIR } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`armistice knowledge export: --out ${DATA_DIR} is the data directory or inside it`);
  }, 30_000);

  it('GIVEN no or an unknown subcommand THEN exit 2 with the usage', async () => {
    const bare = await runCli(['knowledge']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('armistice knowledge: which subcommand?');
    expect(bare.stderr).toContain('export [--out DIR]');
    const unknown = await runCli(['knowledge', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand “frobnicate”');
  }, 30_000);
});
