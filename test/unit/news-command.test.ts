import { beforeAll, describe, expect, it } from 'vitest';
import news from '../../commands/news.ts';
import source from '../../commands/source.ts';
import type { Article, Corpus } from '../../src/corpus/corpus.ts';
import { loadArticles } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { Args, CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';

const DATA = new URL('../../data', import.meta.url).pathname;
let seeds: Article[];
beforeAll(async () => {
  seeds = await loadArticles(DATA);
});

/** These commands only use the corpus; the rest of Services is not needed. */
function contextWith(corpus: Corpus): CommandContext {
  return {
    services: { corpus, commands: [news, source] } as unknown as Services,
    user: { id: 'u1', isAdmin: false },
    channel: { id: 'console', platform: 'console' },
    positional: new Set(),
    now: new Date('2026-01-15T12:00:00Z'),
  };
}

const runNews = async (corpus: Corpus, args: Args): Promise<Reply> => news.run!(contextWith(corpus), args);
const runSource = async (corpus: Corpus, args: Args): Promise<Reply> => source.run!(contextWith(corpus), args);

/** Twelve dated feed articles that all mention the DMZ. */
function dmzArticles(): Article[] {
  return Array.from({ length: 12 }, (_, i) => ({
    id: `feed:dmz${String(i).padStart(2, '0')}`,
    title: `DMZ report ${i}`,
    outlet: 'Test Wire',
    paragraphs: [`Report ${i} from the DMZ, where guard posts were dismantled.`],
    published: { year: 2021, month: 1, day: i + 1 },
    dateDerivation: 'stated' as const,
    origin: 'feed' as const,
  }));
}

describe('/news with words', () => {
  it('lists the matching articles with title, outlet, date, id and a snippet, citing each', async () => {
    const reply = await runNews(createCorpus(seeds), { query: 'Associated Press' });
    expect(reply.errorCode).toBeUndefined();
    expect(reply.items).toHaveLength(1);
    const item = reply.items![0]!;
    expect(item.title).toBe('South Korean leader calls for closer ties with North Korea');
    expect(item.meta).toBe('The Associated Press · 2019-09-24 · 004_e776972307e5fca4');
    expect(item.sourceIds).toEqual(['004_e776972307e5fca4']);
    expect(item.text).toContain('UNITED NATIONS (AP)');
    expect(reply.sources).toEqual([
      {
        articleId: '004_e776972307e5fca4',
        title: 'South Korean leader calls for closer ties with North Korea',
        outlet: 'The Associated Press',
        date: '2019-09-24',
      },
    ]);
  });

  it('shows the snippet around the words searched for', async () => {
    const text = renderPlainText(await runNews(createCorpus(seeds), { query: 'Yongbyon' }));
    expect(text).toContain('== News: “Yongbyon” ==');
    expect(text).toMatch(/…[^\n]*Yongbyon[^\n]*…/);
    expect(text).toContain('003_d3d20f4a58c752ab');
  });

  it('leaves out the outlet where the text names none', async () => {
    const reply = await runNews(createCorpus(seeds), { query: 'Pompeo' });
    expect(reply.items![0]!.meta).toBe('2018-08 · 001_a52e17232520a38c');
  });

  it('answers kindly, not with an error, when nothing matches', async () => {
    const reply = await runNews(createCorpus(seeds), { query: 'xylophone quasar' });
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('No articles match “xylophone quasar”');
    expect(reply.text!.join(' ')).toMatch(/Try other or fewer words/);
  });

  it('pages results five at a time, with the command line that gets the next page', async () => {
    const corpus = createCorpus(dmzArticles());
    const first = await runNews(corpus, { query: 'DMZ' });
    expect(first.items).toHaveLength(5);
    expect(first.paging).toEqual({ page: 1, pages: 3, commandLine: '/news DMZ' });
    expect(renderPlainText(first)).toContain('Page 1 of 3 — next: /news DMZ page:2');
    const last = await runNews(corpus, { query: 'DMZ', page: 3 });
    expect(last.items).toHaveLength(2);
    const seen = new Set([...(first.items ?? []), ...(await runNews(corpus, { query: 'DMZ', page: 2 })).items!, ...last.items!].map((i) => i.title));
    expect(seen.size).toBe(12);
  });

  it('says how many pages there are when asked for one past the end', async () => {
    const reply = await runNews(createCorpus(dmzArticles()), { query: 'DMZ', page: 4 });
    expect(reply.errorCode).toBe('PAGE_OUT_OF_RANGE');
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('There are only 3 pages of results.');
    expect(reply.text).toEqual(['Try /news DMZ page:3']);
  });

  it('quotes a query that would otherwise read as an option when paging', async () => {
    const reply = await runNews(createCorpus(dmzArticles()), { query: 'DMZ: report' });
    expect(reply.paging?.commandLine).toBe('/news query:"DMZ: report"');
  });
});

describe('/news without words', () => {
  it('lists the latest articles, newest first', async () => {
    const reply = await runNews(createCorpus(seeds), {});
    expect(reply.title).toBe('Latest articles');
    expect(reply.items!.map((i) => i.sourceIds![0]!.slice(0, 3))).toEqual(['000', '003', '004', '001', '002']);
    expect(reply.items![0]!.text).toMatch(/^Mr\. Moon said/);
    expect(reply.paging).toEqual({ page: 1, pages: 1, commandLine: '/news' });
  });

  it('says so when the corpus is empty', async () => {
    const reply = await runNews(createCorpus([]), {});
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('No articles yet');
  });
});

describe('/source', () => {
  it('shows the metadata as fields and the opening of the article', async () => {
    const reply = await runSource(createCorpus(seeds), { id: '004_e776972307e5fca4' });
    expect(reply.title).toBe('South Korean leader calls for closer ties with North Korea');
    const fields = Object.fromEntries(reply.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({
      Outlet: 'The Associated Press',
      Published: '24 September 2019 (2019-09-24), inferred from the events it reports',
      Origin: 'seed corpus (data/corpus)',
      URL: 'not known',
      Id: '004_e776972307e5fca4',
    });
    expect(fields['How the date was found']).toContain('General Assembly');
    expect(reply.text![0]).toMatch(/^UNITED NATIONS \(AP\)/);
    const opening = reply.text!.join('');
    expect(opening.length).toBeGreaterThan(300);
    expect(opening.length).toBeLessThan(800);
    expect(reply.sources).toEqual([expect.objectContaining({ articleId: '004_e776972307e5fca4', outlet: 'The Associated Press' })]);
  });

  it('says why the outlet is unknown', async () => {
    const reply = await runSource(createCorpus(seeds), { id: '000_546d1457a8590048' });
    const fields = Object.fromEntries(reply.fields!.map((f) => [f.name, f.value]));
    expect(fields.Outlet).toBe('not named in the text');
    expect(fields.Note).toMatch(/^Outlet unknown/);
    expect(fields.Published).toBe('9 October 2020 (2020-10-09), stated in the text');
  });

  it('accepts the first characters of an id', async () => {
    const reply = await runSource(createCorpus(seeds), { id: '002' });
    expect(reply.title).toBe('Report: North Korea May Seek Peace Treaty to Formally End Korean War');
  });

  it('lists the valid ids for an unknown one', async () => {
    const reply = await runSource(createCorpus(seeds), { id: 'nope' });
    expect(reply.errorCode).toBe('UNKNOWN_ARTICLE');
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toBe('No article has the id “nope”.');
    expect(reply.text![0]).toBe(`Article ids: ${seeds.map((a) => a.id).join(', ')}`);
  });

  it('suggests the nearest ids in a large corpus', async () => {
    const reply = await runSource(createCorpus(dmzArticles()), { id: 'feed:dmz1x' });
    expect(reply.errorCode).toBe('UNKNOWN_ARTICLE');
    expect(reply.text![0]).toMatch(/^Closest ids: feed:dmz1/);
  });

  it('completes ids from their first characters or from title words', async () => {
    const ctx = contextWith(createCorpus(seeds));
    expect(await source.autocomplete!(ctx, 'id', '00')).toHaveLength(5);
    expect(await source.autocomplete!(ctx, 'id', '003')).toEqual(['003_d3d20f4a58c752ab']);
    expect(await source.autocomplete!(ctx, 'id', 'pyongyang')).toEqual(['001_a52e17232520a38c']);
  });
});
