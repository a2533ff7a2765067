import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { readConfig } from '../../src/config.ts';
import { saveFeedArticles } from '../../src/feeds/feed-articles.ts';
import { ExtractedStore } from '../../src/knowledge/extracted-store.ts';
import { createLogger } from '../../src/log.ts';
import { buildServices } from '../../src/main.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import { dispatchLine } from '../../src/router/dispatch.ts';
import { openStore } from '../../src/store/open.ts';
import { peaceProcessArticles } from '../fixtures/feeds/peace-process-2021-2023.ts';

// `armistice knowledge reextract` on a real SQLite file holding feed articles
// that an earlier version stored without mining them (a feed's baseline) or
// mined badly (a bare "Chung"): the extraction is replaced, a second run
// changes nothing, and the bot started on the store knows the people.

let dir: string;
let env: Record<string, string>;

const articles = peaceProcessArticles();

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (text: string) => void) => new Writable({ write: (chunk, _encoding, done) => (add(String(chunk)), done()) });
  const code = await main(argv, { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)), env });
  return { code, stdout, stderr };
}

async function withStore<T>(use: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(env.STORE_URL!);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'armistice-reextract-'));
  env = { STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, DATA_DIR: join(import.meta.dirname, '..', '..', 'data'), LOG_LEVEL: 'silent' };
  await withStore(async (store) => {
    await saveFeedArticles(store, 'peace', articles, true, new Date('2024-01-01T00:00:00Z'));
    // What an older extractor kept for the first article: a bare surname.
    const stale = { id: 'x-chung', name: 'Chung', kind: 'person' as const, roles: [], description: 'Named in a feed article.', aliases: [], related: [], sources: [{ article: articles[0]!.id, quote: 'Chung said' }], status: 'extracted' as const };
    await new ExtractedStore(store).save(articles[0]!.id, { entities: [stale], events: [] }, new Date('2024-01-01T00:00:00Z'));
  });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('armistice knowledge reextract', () => {
  it('GIVEN stored feed articles THEN it replaces their extraction, a second run changes nothing, and the bot knows the people', async () => {
    const first = await run('knowledge', 'reextract');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Re-extracted 4 feed article(s)');
    const stored = await withStore((store) => new ExtractedStore(store).loadAll());
    expect(stored.map((r) => r.articleId)).toEqual(articles.map((a) => a.id));
    const names = stored.flatMap((r) => r.entities.map((e) => e.name));
    expect(names).toEqual(expect.arrayContaining(['Chung Eui-yong', 'Antony Blinken', 'Yoon Suk Yeol']));
    expect(names).not.toContain('Chung');

    const second = await run('knowledge', 'reextract');
    expect(second.stdout).toContain('Stored extractions: 0 written, 0 removed, 4 unchanged.');
    expect(await withStore((store) => new ExtractedStore(store).loadAll())).toEqual(stored);

    const services = await buildServices(readConfig(env), createLogger('silent'));
    try {
      const whois = await dispatchLine(services, '/whois Chung', { user: { id: 'u', isAdmin: false }, channel: { id: 'c', platform: 'cli' } });
      expect(whois.title).toBe('Chung Eui-yong');
      expect(renderPlainText(whois)).toContain('South Korean foreign minister');
    } finally {
      await services.close();
    }
  });

  it('GIVEN misuse THEN it says how to use it, with exit code 2, and touches nothing', async () => {
    for (const argv of [['knowledge'], ['knowledge', 'frobnicate'], ['knowledge', 'reextract', '--all']]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/Usage: armistice/);
    }
    const stored = await withStore((store) => new ExtractedStore(store).loadAll());
    expect(stored.flatMap((r) => r.entities.map((e) => e.name))).toEqual(['Chung']);
  });
});
