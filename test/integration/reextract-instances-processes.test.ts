import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { saveFeedArticles } from '../../src/feeds/feed-articles.ts';
import { ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import { openStore } from '../../src/store/open.ts';
import { peaceProcessArticles } from '../fixtures/feeds/peace-process-2021-2023.ts';
import { runCli } from '../support/cli.ts';
import { instanceGroup } from '../support/instances.ts';
import { deleteRedisKeys } from '../support/redis-keys.ts';

/**
 * Two real bot processes on real Redis hold an older extractor's record for
 * a feed article; `armistice knowledge reextract`, a third process, writes
 * the improved one. Each bot says in its log that it replaced it (awaited),
 * then answers /whois from the new extraction, as a bot started afterwards does.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-reextract-processes-${randomUUID().slice(0, 8)}`;
afterAll(() => deleteRedisKeys(REDIS_URL, `${prefix}:*`));

const articles = peaceProcessArticles();

describe('reextract under running bot processes on Redis', () => {
  it('GIVEN two bots holding an older extraction WHEN reextract runs in its own process THEN each replaces it within 2 s and answers /whois as a bot started afterwards', { timeout: 120_000 }, async () => {
    const env = { STORE_URL: REDIS_URL, STORE_KEY_PREFIX: prefix };
    const seed = await openStore(REDIS_URL, { keyPrefix: prefix });
    try {
      await saveFeedArticles(seed, 'peace', articles, true, new Date('2024-01-01T00:00:00Z'));
      const sources = [{ article: articles[0]!.id, quote: 'Chung said the two allies agreed to keep working closely on North Korea.' }];
      const chung = { id: 'x-feed0000000000000000-person-chung', name: 'Chung', kind: 'person' as const, roles: [], description: 'Named in a feed article.', aliases: [], related: [], sources, status: 'extracted' as const };
      await new ExtractedStore(seed).save(articles[0]!.id, { entities: [chung], events: [] }, new Date('2024-01-01T00:00:00Z'));
    } finally {
      await seed.close();
    }
    const group = await instanceGroup();
    const a = await group.start('a', env);
    const b = await group.start('b', env);
    for (const bot of [a, b]) expect(await bot.ask('/whois', 'Chung')).toContain('Named in a feed article.');

    const run = await runCli(['knowledge', 'reextract'], { env: { ...env, DATA_DIR: 'data' } });
    const exited = performance.now();
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Stored extractions: 4 written, 0 removed, 0 unchanged.');
    for (const bot of [a, b]) {
      const line = await bot.bot.waitForLog('change log: extracted knowledge replaced by another process', 2000);
      expect(line).toMatchObject({ replaced: 1 });
      expect(performance.now() - exited).toBeLessThan(2000);
    }

    const late = await group.start('late', env);
    const answer = await late.ask('/whois', 'Chung');
    expect(answer).toContain('Chung Eui-yong');
    expect(answer).not.toContain('Named in a feed article.');
    for (const bot of [a, b]) expect(await bot.ask('/whois', 'Chung')).toBe(answer);
    for (const bot of [a, b, late]) expect(bot.bot.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});
