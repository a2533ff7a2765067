import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../src/cli.ts';
import { readConfig } from '../../src/config.ts';
import { saveFeedArticles } from '../../src/feeds/feed-articles.ts';
import { EXTRACTED_COLLECTION, ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import type { Entity, KnowledgeEvent } from '../../src/knowledge/schema.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { openStore } from '../../src/store/open.ts';
import { PEACE_PROCESS_ITEMS, peaceProcessArticles } from '../fixtures/feeds/peace-process-2021-2023.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * `armistice knowledge reextract` while bots run on the store: two running
 * instances, each with its own connection (on one SQLite file, and on real
 * Redis), hold an older extractor's records for an article; the reextract
 * (its own process's code, its own connection) writes the improved
 * extraction, and the running instances put it in place of the old one
 * within 2 s, awaited as the change applied. They then answer exactly as a
 * process started afterwards; an admin's rejection still holds; the same
 * change applied twice and a second reextract change nothing.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 'armistice-reextract-running-'));
const prefix = `test-reextract-running-${randomUUID().slice(0, 8)}`;
afterAll(async () => {
  await deleteRedisKeys(REDIS_URL, `${prefix}:*`);
  rmSync(dir, { recursive: true, force: true });
});

const admin: Caller = { user: { id: 'U-admin', isAdmin: true }, channel: { id: 'console:ops', platform: 'console' } };
const member: Caller = { user: { id: 'U-member', isAdmin: false }, channel: { id: 'console:ops', platform: 'console' } };

const articles = peaceProcessArticles();
const first = articles[0]!;
const quote = PEACE_PROCESS_ITEMS[0]!.description.split('. ')[0]!;
const BLINKEN = 'x-feed0000000000000000-person-antonyblinken';
const MEETING = 'x-feed0000000000000000-event-85f66e41e629';

/** What an older extractor kept for the first article: a bare "Chung", Blinken, and the meeting dated the day of the article. */
function olderExtraction(): { entities: Entity[]; events: KnowledgeEvent[] } {
  const sources = [{ article: first.id, quote }];
  const person = (id: string, name: string, title: string): Entity => ({ id, name, kind: 'person', roles: [{ title }], description: `${title}, as named in “${first.title}”.`, aliases: [], related: [], sources, status: 'extracted' });
  return {
    entities: [person('x-feed0000000000000000-person-chung', 'Chung', 'Foreign minister'), person(BLINKEN, 'Antony Blinken', 'US secretary of state')],
    events: [{ id: MEETING, date: { year: 2021, month: 5, day: 21 }, derivation: 'stated', summary: quote, entities: ['x-feed0000000000000000-person-chung', BLINKEN], anniversary: false, sources, status: 'extracted' }],
  };
}

async function reextract(env: Record<string, string>): Promise<string> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (add(String(chunk)), done()) });
  const code = await main(['knowledge', 'reextract'], { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)), env });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return stdout;
}

/** What an instance answers from, once it has the review decisions: every record and every role reported beside a curated one. */
async function knowledgeOf(services: Services): Promise<unknown> {
  await services.reviews!.sync();
  const { knowledge } = services;
  const reported = knowledge.entities().map((e) => [e.id, knowledge.reportedRoles(e.id)]);
  return JSON.parse(JSON.stringify({ entities: knowledge.entities(), events: knowledge.events(), reported }));
}

/** Resolves, with the time it came, once `services` has applied another process's change to the extraction of each of `articleIds`. */
function applied(services: Services, articleIds: readonly string[]): Promise<number> {
  const waiting = new Set(articleIds);
  return new Promise((resolve) => {
    const stop = services.instanceSync!.onApplied((changes) => {
      for (const change of changes) if (change.collection === EXTRACTED_COLLECTION) waiting.delete(change.key);
      if (waiting.size > 0) return;
      stop();
      resolve(performance.now());
    });
  });
}

const ask = async (services: Services, line: string, caller = member) => renderPlainText(await dispatchLine(services, line, caller));

describe.each<[string, Record<string, string>]>([
  ['one SQLite file', { STORE_URL: `sqlite://${join(dir, 'shared.sqlite')}` }],
  ['real Redis', { STORE_URL: REDIS_URL, STORE_KEY_PREFIX: prefix }],
])('reextract under running instances on %s', (_name, storeEnv) => {
  it('GIVEN two running instances holding an older extraction WHEN reextract writes the improved one THEN both replace it within 2 s and answer as a process started afterwards', { timeout: 60_000 }, async () => {
    const env = { ...storeEnv, DATA_DIR: join(import.meta.dirname, '..', '..', 'data'), LOG_LEVEL: 'silent' };
    const errors: unknown[] = [];
    const start = async () => {
      const sink = new Writable({ write: (chunk, _encoding, done) => (errors.push(...String(chunk).split('\n').filter(Boolean)), done()) });
      const services = await buildServices(readConfig(env), createLogger('error', sink));
      onTestFinished(() => services.close());
      return services;
    };
    const seed = await openStore(storeEnv.STORE_URL!, { keyPrefix: storeEnv.STORE_KEY_PREFIX });
    try {
      await saveFeedArticles(seed, 'peace', articles, true, new Date('2024-01-01T00:00:00Z'));
      await new ExtractedStore(seed).save(first.id, olderExtraction(), new Date('2024-01-01T00:00:00Z'));
    } finally {
      await seed.close();
    }
    const a = await start();
    const b = await start();
    a.instanceSync!.start();
    b.instanceSync!.start();

    // The older extraction, on both; an admin rejects its Blinken on one, and the other learns it at its next command.
    expect((await dispatchLine(b, '/whois Chung', member)).title).toBe('Chung');
    expect(await ask(b, '/timeline about:Blinken')).toContain('21 May 2021');
    expect(await ask(a, `/review reject:${BLINKEN}`, admin)).toContain('Rejected');
    expect((await dispatchLine(b, '/whois Antony Blinken', member)).errorCode).toBe('UNKNOWN_ENTITY');

    const bApplied = applied(b, articles.map((x) => x.id));
    const aApplied = applied(a, articles.map((x) => x.id));
    expect(await reextract(env)).toContain('Stored extractions: 4 written, 0 removed, 0 unchanged.');
    const written = performance.now();
    expect((await bApplied) - written).toBeLessThan(2000);
    expect((await aApplied) - written).toBeLessThan(2000);

    // The article's earlier records are gone, its new ones in; the rejected record stays rejected.
    const chung = await dispatchLine(b, '/whois Chung', member);
    expect(chung.title).toBe('Chung Eui-yong');
    expect(renderPlainText(chung)).toContain('extracted, unreviewed');
    expect(b.knowledge.entity('x-feed0000000000000000-person-chung')).toBeUndefined();
    expect(b.knowledge.event(MEETING)).toMatchObject({ date: { year: 2021, month: 5, day: 20 } });
    expect(await ask(b, '/timeline about:Blinken')).toContain('20 May 2021');
    expect(await ask(b, '/timeline about:Blinken')).not.toContain('21 May 2021');
    expect((await dispatchLine(b, '/whois Antony Blinken', member)).errorCode).toBe('UNKNOWN_ENTITY');

    // A process started now answers exactly as the running ones.
    const c = await start();
    const held = await knowledgeOf(c);
    expect(await knowledgeOf(b)).toEqual(held);
    expect(await knowledgeOf(a)).toEqual(held);
    for (const line of ['/whois Chung', '/whois Kim Yo-jong', '/timeline', '/timeline about:Moon Jae-in']) expect(await ask(b, line), line).toBe(await ask(c, line));

    // The same change applied again, and a second reextract (which writes nothing), change nothing.
    const again = applied(b, [first.id]);
    await a.store.changes.append(EXTRACTED_COLLECTION, first.id, 'another-process');
    await again;
    expect(await knowledgeOf(b)).toEqual(held);
    expect(await reextract(env)).toContain('Stored extractions: 0 written, 0 removed, 4 unchanged.');
    expect(await knowledgeOf(await start())).toEqual(held);
    expect(errors).toEqual([]);
  });
});
