import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTED_NOTE } from '../../src/knowledge/present.ts';
import { commandsToJSON } from '../../src/platform/discord/registration.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply } from '../../src/reply/reply.ts';
import { dispatchLine, type Caller } from '../../src/router/dispatch.ts';
import type { Services } from '../../src/services.ts';
import { makeTestServices } from '../support/services.ts';
import { loadEvalSet } from '../../bench/knowledge-eval/load.ts';

/** /ask through the router, as the console, Slack and `armistice ask` run it, on the real corpus and knowledge. */

let services: Services;
beforeAll(async () => {
  services = await makeTestServices();
});
afterAll(async () => {
  await services?.close();
});

const caller: Caller = { user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' } };
const ask = (line: string): Promise<Reply> => dispatchLine(services, line, caller);

describe('/ask answers', () => {
  it('GIVEN a "when" question THEN the dated event comes first with the sentence it rests on, its outlet, date and article id', async () => {
    const reply = await ask('/ask when did Trump and Kim meet at the DMZ?');
    expect(reply.errorCode).toBeUndefined();
    expect(reply.title).toBe('when did Trump and Kim meet at the DMZ?');
    const first = reply.items![0]!;
    expect(first.title).toMatch(/^30 June 2019 — Trump meets Kim at the DMZ/);
    expect(first.text).toMatch(/^“And in June he was the first to step into North Korean territory\.” … “Moon said Trump’s walk with Kim into North Korea .*” — The Associated Press · 2019-09-24 · 004_e776972307e5fca4$/);
    expect(reply.sources?.map((s) => s.articleId)).toContain('004_e776972307e5fca4');
    expect(renderPlainText(reply)).toContain('And in June he was the first to step into North Korean territory.');
  });

  it('GIVEN "what is X?" for a known entry THEN its /whois entry leads, then the sentences that mention it', async () => {
    const reply = await ask('/ask what is the Korea Peace Appeal?');
    expect(reply.title).toBe('Korea Peace Appeal');
    expect(reply.text?.[0]).toMatch(/324 Korean civic groups/);
    expect(reply.fields?.find((f) => f.name === 'Kind')?.value).toBe('Organisation');
    expect(reply.items?.[0]).toMatchObject({ meta: '2020 · 003_d3d20f4a58c752ab', sourceIds: ['003_d3d20f4a58c752ab'] });
    // Quotation marks inside a quoted sentence are single ones, as in print.
    expect(reply.items?.[0]?.title).toContain('as they launched an international ‘Korea Peace Appeal’ to collect 100 million signatures favoring a treaty by 2023.');
    expect(reply.items?.[0]?.title).toMatch(/^“‘Peace efforts on the Korean Peninsula/);
  });

  it('GIVEN "who is X?" for a name several entries share THEN it lists them and says how to pick one, then quotes what the articles say', async () => {
    const reply = await ask('/ask who is Kim?');
    expect(reply.errorCode).toBeUndefined();
    expect(reply.text).toEqual([
      '“Kim” could mean several entries:',
      'Kim Jong-un — Leader of North Korea',
      expect.stringMatching(/^Kim Yo Jong — /),
      '/whois Kim Jong-un (or another full name) describes one.',
    ]);
    expect(reply.items?.length).toBeGreaterThan(0);
    for (const item of reply.items ?? []) expect(item.title).toMatch(/\bKim\b/);
  });

  it('GIVEN a question no article answers THEN it says so, names the missing word and suggests commands that work', async () => {
    const reply = await ask('/ask who called the end-of-war declaration an admirable idea?');
    expect(reply.title).toBe('I found nothing about that in the articles.');
    expect(reply.text).toContain('No article mentions “admirable”.');
    expect(reply.items).toBeUndefined();
    const suggestion = reply.text!.find((t) => t.startsWith('/news '))!;
    expect(suggestion).toBe('/news called end war declaration idea — the articles with these words');
    const news = await ask(suggestion.split(' — ')[0]!);
    expect(news.items?.length).toBeGreaterThan(0);
  });

  it('GIVEN an extracted (unreviewed) event that answers THEN it is marked as such', async () => {
    await mineEvalArticle('eval-21');
    const reply = await ask('/ask when did Yoon mark the 70th anniversary of the armistice?');
    const item = reply.items!.find((i) => i.title.startsWith('27 July 2023 — '))!;
    expect(item.note).toBe(EXTRACTED_NOTE);
    expect(item.text).toContain('President Yoon Suk Yeol said Thursday that South Korea stands on the ‘blood-stained uniforms’ of United Nations troops');
  });
});

describe('/ask and unreviewed entries', () => {
  it('GIVEN "who is X?" for an extracted entry THEN its /whois entry says it is unreviewed, and the article sentence follows', async () => {
    await mineEvalArticle('eval-21');
    const reply = await ask('/ask who is Yoon Suk Yeol?');
    expect(reply.title).toBe('Yoon Suk Yeol');
    expect(reply.text).toContain(`(${EXTRACTED_NOTE}: found by the extractor in a new article, not yet checked by a person)`);
    expect(reply.items?.map((i) => i.title)).toContainEqual(expect.stringContaining('Yoon also promised never to forget the sacrifices'));
  });
});

/** A real article of the evaluation set (Yonhap, 27 July 2023) arriving as a feed item does: stored, then mined. */
async function mineEvalArticle(id: string): Promise<void> {
  const article = (await loadEvalSet()).find((e) => e.article.id === id)!.article;
  if (services.corpus.get(article.id)) return; // mined by an earlier test
  services.corpus.add(article);
  await services.knowledge.ingest(article);
}

describe('/ask with bad input', () => {
  it('GIVEN no question THEN the usage with examples, only to the asker', async () => {
    const reply = await ask('/ask');
    expect(reply).toMatchObject({ errorCode: 'MISSING_OPTION', ephemeral: true, title: '/ask needs question.' });
    expect(reply.text).toContain('Usage: /ask question:<text>');
    expect(reply.text?.join('\n')).toContain('/ask when did Trump and Kim meet at the DMZ?');
  });

  it('GIVEN a question over 300 characters THEN it is refused with the limit', async () => {
    const reply = await ask(`/ask ${'why did the talks stall '.repeat(14)}`);
    expect(reply).toMatchObject({ errorCode: 'BAD_OPTION', ephemeral: true, title: 'The option question is longer than 300 characters.' });
  });

  it('GIVEN a question of only stop words THEN it says there is nothing to look for, with examples', async () => {
    const reply = await ask('/ask what is the?');
    expect(reply).toMatchObject({ errorCode: 'VAGUE_QUESTION', ephemeral: true, title: '“what is the?” has no word I can look for in the articles.' });
    expect(reply.text).toContain('/ask what is the Korea Peace Appeal?');
  });
});

describe('/ask is offered everywhere', () => {
  it('is in /help and registered on Discord with its Korean name', async () => {
    const help = await ask('/help');
    expect(help.items?.map((i) => i.title)).toContain('/ask');
    const command = commandsToJSON(services.commands).find((c) => c.name === 'ask')!;
    expect(command.name_localizations).toEqual({ ko: '질문' });
    expect(command.options).toEqual([
      expect.objectContaining({ name: 'question', type: 3, required: true, max_length: 300, name_localizations: { ko: '내용' } }),
    ]);
  });
});
