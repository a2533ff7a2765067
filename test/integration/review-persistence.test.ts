import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { readConfig } from '../../src/config.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import { loadKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { ReviewStore } from '../../src/knowledge/review-store.ts';
import { createLogger } from '../../src/log.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';
import { ENVOY_ARTICLE, learnFrom } from '../support/review-facts.ts';

/**
 * Review decisions on the real stores (a SQLite file, the Redis at
 * 127.0.0.1:6379 under a key prefix of this test's own): two instances
 * sharing a store see each other's decisions at their next command, and a
 * process started afresh restores the extracted records without the
 * rejected ones; re-ingesting the same article does not bring them back.
 */

const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');
const REDIS_URL = 'redis://127.0.0.1:6379';
const scratch = mkdtempSync(join(tmpdir(), 'armistice-review-'));
const prefixes: string[] = [];

const admin: Caller = { user: { id: 'U-admin', name: 'ada', isAdmin: true }, channel: { id: 'C1', platform: 'slack' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'C1', platform: 'slack' } };

afterAll(async () => {
  for (const prefix of prefixes) await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
  rmSync(scratch, { recursive: true, force: true });
});

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const stores = [
  { name: 'SQLite', open: (id: string) => openStore(`sqlite://${join(scratch, `${id}.sqlite`)}`) },
  {
    name: 'Redis',
    open: (id: string) => {
      const keyPrefix = `test-review-${id}`;
      if (!prefixes.includes(keyPrefix)) prefixes.push(keyPrefix);
      return openStore(REDIS_URL, { keyPrefix });
    },
  },
];

/**
 * One bot process on the store, its knowledge started in the order of
 * src/main.ts: curated records, the review decisions, then what earlier runs
 * extracted. Its own connection to the store, as a separate process has.
 */
async function startInstance(openShared: () => Promise<Store>): Promise<Services> {
  const store = await openShared();
  open.push(store);
  const knowledge = await loadKnowledgeBase(DATA_DIR);
  const reviews = new ReviewStore(store, knowledge);
  await reviews.sync();
  knowledge.restoreExtracted(await new ExtractedStore(store).loadAll());
  const config = readConfig({ DATA_DIR, LOG_LEVEL: 'silent' });
  return { config, log: createLogger('silent'), store, corpus: createCorpus([ENVOY_ARTICLE]), knowledge, reviews, commands: allCommands } as unknown as Services;
}

const idOf = (services: Services, name: string) => {
  const found = services.knowledge.lookup(name);
  if (found.kind !== 'found') throw new Error(`no ${name}`);
  return found.entity.id;
};
const thursday = (services: Services) => services.knowledge.events().find((e) => e.phrase === 'on Thursday' && e.sources[0]?.article === ENVOY_ARTICLE.id);
const say = async (services: Services, line: string, caller = member) => renderPlainText(await dispatchLine(services, line, caller));

describe.each(stores)('review decisions on $name', (kind) => {
  it('GIVEN two instances sharing the store WHEN an admin decides on one THEN the other answers accordingly at its next command', async () => {
    const id = randomUUID().slice(0, 8);
    const a = await startInstance(() => kind.open(id));
    await learnFrom(a);
    const b = await startInstance(() => kind.open(id));
    expect(await say(b, '/whois Sung Kim')).toContain('extracted, unreviewed');
    const sungKim = idOf(a, 'Sung Kim');
    const stimson = idOf(a, 'Stimson Center');

    await dispatchLine(a, `/review approve:${sungKim}`, admin);
    await dispatchLine(a, `/review reject:${stimson}`, admin);

    const whois = await say(b, '/whois Sung Kim');
    expect(whois).not.toContain('extracted, unreviewed');
    expect(whois).toContain('checked by an admin');
    expect(await say(b, '/whois Stimson Center')).toContain('I have nobody and nothing called “Stimson Center”');
    // B cannot decide again what A decided.
    expect(await say(b, `/review reject:${sungKim}`, admin)).toBe(`⚠ “Sung Kim” (${sungKim}) was already approved by ada on ${new Date().toISOString().slice(0, 10)}.\n\nA fact is reviewed once. Type /review to see what is left.`);
  });

  it('GIVEN decisions WHEN a new process starts and the same article is ingested again THEN the rejected facts stay out, the approved one unmarked, the corrected one corrected', async () => {
    const id = randomUUID().slice(0, 8);
    const first = await startInstance(() => kind.open(id));
    await learnFrom(first);
    const sungKim = idOf(first, 'Sung Kim');
    const stimson = idOf(first, 'Stimson Center');
    const event = thursday(first)!.id;
    await dispatchLine(first, `/review approve:${sungKim}`, admin);
    await dispatchLine(first, `/review reject:${stimson}`, admin);
    await dispatchLine(first, `/review correct:${event} date:2021-03-03`, admin);
    await first.store.close();
    open.splice(open.indexOf(first.store), 1);

    const second = await startInstance(() => kind.open(id));
    const check = async () => {
      expect(second.knowledge.entity(sungKim)?.status).toBe('reviewed');
      expect(second.knowledge.entity(stimson)).toBeUndefined();
      expect(await say(second, '/whois Stimson Center')).toContain('I have nobody and nothing called “Stimson Center”');
      expect(second.knowledge.event(event)).toMatchObject({ date: { year: 2021, month: 3, day: 3 }, status: 'reviewed', derivation: 'established' });
      expect(await say(second, '/timeline from:2021-03 to:2021-03')).toContain('Recorded date: 2021-03-03. Corrected on review; the extractor had read the date 2021-03-04 (from “on Thursday”) from the article.');
    };
    await check();

    // The same article again (a re-extraction, a feed serving it anew): nothing comes back.
    const again = await second.knowledge.ingest(ENVOY_ARTICLE);
    expect(again.entities.map((e) => e.id)).not.toContain(stimson);
    await check();
    // Left: the January event, and the role the article gives curated Moon Jae-in.
    expect((await dispatchLine(second, '/review', admin)).title).toBe('Unreviewed facts (2)');
  });
});
