import { beforeAll, describe, expect, it } from 'vitest';
import whois from '../../commands/whois.ts';
import { readConfig } from '../../src/config.ts';
import type { Article } from '../../src/corpus/corpus.ts';
import { readCorpus } from '../../src/corpus/load.ts';
import { createCorpus } from '../../src/corpus/memory-corpus.ts';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { CommandContext } from '../../src/router/command.ts';
import type { Services } from '../../src/services.ts';

let kb: KnowledgeBase;
let articles: Article[];
let ctx: CommandContext;

beforeAll(async () => {
  articles = (await readCorpus('data')).articles;
  kb = await loadKnowledgeBase('data');
  const services = { corpus: createCorpus(articles), knowledge: kb, config: readConfig({}) } as unknown as Services;
  ctx = { services, user: { id: 'u1', isAdmin: false }, channel: { id: 'console', platform: 'console' }, positional: new Set(['name']), now: new Date('2026-06-20T00:00:00Z') };
});

const ask = (name: string) => whois.run!(ctx, { name }) as Reply;
const collapse = (text: string) => text.replace(/\s+/g, ' ');
const field = (reply: Reply, name: string) => reply.fields?.find((f) => f.name === name)?.value;

describe('/whois for every curated entity', () => {
  it('answers each by its name with the canonical name, description, kind and quoted sources that occur in the articles', () => {
    for (const entity of kb.entities()) {
      const reply = ask(entity.name);
      expect(reply.errorCode, entity.name).toBeUndefined();
      expect(reply.title).toBe(entity.name);
      expect(reply.text?.[0]).toBe(entity.description);
      expect(field(reply, 'Kind')).toMatch(/^(Person|Organisation|Place)$/);
      expect(reply.sources?.length).toBe(entity.sources.length);
      for (const source of reply.sources ?? []) {
        const article = articles.find((a) => a.id === source.articleId)!;
        expect(source.title).toBe(article.title);
        // Spaces compare loosely: the articles carry no-break spaces a curator cannot see.
        expect(collapse(article.paragraphs.join('\n'))).toContain(collapse(source.quote!));
      }
    }
  });

  it('answers each alias with the entity it names (ambiguous aliases list the candidates)', () => {
    for (const entity of kb.entities()) {
      for (const alias of entity.aliases) {
        const reply = ask(alias.name);
        if (alias.ambiguous) {
          expect(reply.errorCode, alias.name).toBe('AMBIGUOUS_NAME');
          expect(reply.text?.join('\n')).toContain(entity.name);
        } else {
          expect(reply.title, `${entity.id}: ${alias.name}`).toBe(entity.name);
        }
      }
    }
  });

  it('forgives titles, case, hyphens, surnames and Korean script', () => {
    expect(ask('President Moon').title).toBe('Moon Jae-in');
    expect(ask('kim jong un').title).toBe('Kim Jong-un');
    expect(ask('KimJongUn').title).toBe('Kim Jong-un');
    expect(ask('김여정').title).toBe('Kim Yo Jong');
    expect(ask('Secretary of State Pompeo').title).toBe('Mike Pompeo');
    expect(ask('Bolton').title).toBe('John Bolton');
    expect(ask('평양').title).toBe('Pyongyang');
  });
});

describe('/whois details', () => {
  it('shows roles with their periods and related entities', () => {
    const bolton = ask('John Bolton');
    expect(field(bolton, 'Roles')).toBe('US National Security Adviser (until 10 September 2019)');
    expect(field(bolton, 'Related')).toContain('Donald Trump');
    expect(field(ask('Daniel Davis'), 'Roles')).toContain('Adviser to the South Korean military (1990 – 1999)');
  });

  it('shows what a source got wrong beside the correct fact, and says when a misspelling was matched', () => {
    const biegun = ask('Beigun');
    expect(biegun.title).toBe('Stephen Biegun');
    expect(biegun.text?.join(' ')).toContain('spells his name "Beigun"');
    expect(biegun.footer).toBe('“Beigun”: misspelling in article 003');
    expect(field(biegun, 'Also known as')).toContain('Stephen Beigun (misspelling in article 003)');
    expect(ask('Kim Jong Un').text?.join(' ')).toContain('"North Korean President Kim Jong Un"');
    expect(ask('Gaesong').text?.join(' ')).toContain('spells it "Gaesong"');
  });

  it('reads well as plain text', () => {
    const text = renderPlainText(ask('Koh Yu-hwan'));
    expect(text).toContain('Koh Yu-hwan');
    expect(text).toContain('Professor of North Korean studies, Dongguk University');
    expect(text).toContain('Report: North Korea May Seek Peace Treaty to Formally End Korean War');
  });
});

describe('/whois errors', () => {
  it('GIVEN an ambiguous surname THEN it lists the candidates (AMBIGUOUS_NAME, only to the asker)', () => {
    const reply = ask('Kim');
    expect(reply.errorCode).toBe('AMBIGUOUS_NAME');
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toEqual(expect.arrayContaining(['Kim Jong-un — Leader of North Korea', "Kim Yo Jong — Kim Jong-un's influential sister."]));
    expect(ask('Washington').errorCode).toBe('AMBIGUOUS_NAME');
  });

  it('GIVEN an unknown name THEN it says so and suggests the nearest names (UNKNOWN_ENTITY)', () => {
    const reply = ask('Pompeio');
    expect(reply.errorCode).toBe('UNKNOWN_ENTITY');
    expect(reply.ephemeral).toBe(true);
    expect(reply.title).toContain('Pompeio');
    expect(reply.text?.[0]).toBe('Did you mean: Mike Pompeo?');
    const nothing = ask('Zyxwv Qrst');
    expect(nothing.errorCode).toBe('UNKNOWN_ENTITY');
    expect(nothing.text?.[0]).toMatch(/^Try a full name/);
  });
});

describe('/whois autocomplete', () => {
  it('offers the names that start with what was typed', async () => {
    expect(await whois.autocomplete!(ctx, 'name', 'pomp')).toEqual(['Mike Pompeo']);
    expect(await whois.autocomplete!(ctx, 'name', 'Kim')).toEqual(expect.arrayContaining(['Kim Jong-un', 'Kim Yo Jong']));
    expect((await whois.autocomplete!(ctx, 'name', '')).length).toBe(25);
  });
});
