import { describe, expect, it } from 'vitest';
import { escapeMarkdown, safeUrl } from '../../src/platform/discord/escape.ts';
import {
  LIMITS,
  pageButtonId,
  parsePageButtonId,
  renderReply,
  packLines,
} from '../../src/platform/discord/render.ts';
import { userError, type Reply } from '../../src/reply/reply.ts';

describe('escapeMarkdown: feed text shows as text on Discord', () => {
  it('GIVEN markup, a masked link and mentions WHEN escaped THEN none of them can render', () => {
    expect(escapeMarkdown('**bold** _it_ ~~s~~ `code` ||spoiler|| [click](https://evil.example) <@123> @everyone @here'))
      .toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[click\\]\\(https\\://evil.example\\) \\<@123\\> @\u200beveryone @\u200bhere');
  });

  it('GIVEN block markup at line starts WHEN escaped THEN headings, lists and numbered lists stay text', () => {
    expect(escapeMarkdown('# Title\n- item\n1953. Armistice\n-# small\nJae-in')).toBe(
      '\\# Title\n\\- item\n\\1953. Armistice\n\\-# small\nJae-in',
    );
  });

  it('GIVEN a bare URL WHEN escaped THEN it no longer auto-links', () => {
    expect(escapeMarkdown('see https://example.com/x')).toBe('see https\\://example.com/x');
  });

  it('accepts only http(s) URLs that cannot break out of a link', () => {
    expect(safeUrl('https://www.example.com/a?b=1')).toBe('https://www.example.com/a?b=1');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://en.wikipedia.org/wiki/Panmunjom_(village)')).toBe('https://en.wikipedia.org/wiki/Panmunjom_%28village%29');
    expect(safeUrl('https://example.com/a b')).toBeUndefined();
    expect(safeUrl('ftp://example.com/')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
  });
});

describe('renderReply: Reply → Discord message JSON', () => {
  it('GIVEN a cited answer WHEN rendered THEN title, description, items, source links and footer are exact', () => {
    const reply: Reply = {
      title: 'Panmunjom Declaration',
      text: ['Moon and Kim met at *Panmunjom*.'],
      items: [
        { title: '2018-04-27 Inter-Korean summit', meta: 'summit', text: 'Both leaders crossed the line.', sourceIds: ['a1'], note: 'extracted' },
      ],
      fields: [{ name: 'Where', value: 'Peace House', inline: true }],
      sources: [{ articleId: 'a1', title: 'Leaders meet', outlet: 'Hankyoreh', date: '2018-04-27', url: 'https://example.com/a1' }],
      footer: '1 result',
    };
    expect(renderReply(reply)).toEqual([
      {
        embeds: [
          {
            title: 'Panmunjom Declaration',
            url: 'https://example.com/a1',
            description:
              'Moon and Kim met at \\*Panmunjom\\*.\n\n**2018-04-27 Inter-Korean summit** [1] *(extracted)*\nsummit\nBoth leaders crossed the line.',
            color: 0x3b6ea5,
            fields: [
              { name: 'Where', value: 'Peace House', inline: true },
              { name: 'Sources', value: '[1] [Leaders meet](https://example.com/a1) — Hankyoreh, 2018-04-27' },
            ],
            footer: { text: 'Hankyoreh, 2018-04-27 · 1 result' },
          },
        ],
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('GIVEN a feed title with @everyone and a masked link WHEN rendered THEN it is escaped and mentions are off', () => {
    const [message] = renderReply({
      title: '@everyone [win](https://evil.example)',
      sources: [{ articleId: 'f1', title: 'x', url: 'javascript:alert(1)' }],
    });
    expect(message).toEqual({
      embeds: [
        {
          title: '@\u200beveryone \\[win\\]\\(https\\://evil.example\\)',
          color: 0x3b6ea5,
          fields: [{ name: 'Sources', value: '[1] x' }],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('GIVEN a user error WHEN rendered THEN it is an embed in the warning colour with the hints as text', () => {
    expect(renderReply(userError('BAD_DATE', 'That date is not valid.', ['Try 2018-04-27.']))).toEqual([
      {
        embeds: [{ title: 'That date is not valid.', description: 'Try 2018-04-27.', color: 0xc9a227 }],
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('GIVEN page 2 of 3 WHEN rendered THEN Previous/Next buttons carry the page and command line', () => {
    const [message] = renderReply({ title: 'News', text: ['…'], paging: { page: 2, pages: 3, commandLine: '/news  peace treaty' } });
    expect(message!.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Previous', custom_id: 'pg:1:/news peace treaty', disabled: false },
          { type: 2, style: 2, label: 'Next', custom_id: 'pg:3:/news peace treaty', disabled: false },
        ],
      },
    ]);
    expect(message!.embeds![0]!.footer).toEqual({ text: 'Page 2 of 3' });
  });

  it('GIVEN a command line too long for a button id WHEN rendered THEN no buttons and the footer says how to go on', () => {
    const line = `/news ${'x'.repeat(120)}`;
    const [message] = renderReply({ title: 'News', paging: { page: 1, pages: 2, commandLine: line } });
    expect(message!.components).toBeUndefined();
    expect(message!.embeds![0]!.footer!.text).toBe(`Page 1 of 2 — next: ${line} page:2`);
  });

  it('GIVEN a page button id WHEN parsed THEN page and command line come back; foreign ids do not parse', () => {
    expect(parsePageButtonId(pageButtonId(4, '/timeline about:summit')!)).toEqual({ page: 4, commandLine: '/timeline about:summit' });
    expect(parsePageButtonId('other:1')).toBeUndefined();
  });

  it('GIVEN more than 25 fields WHEN rendered THEN the plain text is sent as content in ≤2000-character messages', () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(90) }));
    const messages = renderReply({ title: 'Many', fields });
    expect(messages.length).toBe(2);
    for (const m of messages) {
      expect(m.embeds).toBeUndefined();
      expect(m.content!.length).toBeLessThanOrEqual(LIMITS.content);
      expect(m.allowed_mentions).toEqual({ parse: [] });
    }
    expect(messages[0]!.content!.startsWith('== Many ==\n\nf0: ')).toBe(true);
    expect(messages.map((m) => m.content).join('\n')).toContain('f39: ');
  });

  it('GIVEN an embed over 6000 characters in total WHEN rendered THEN it falls back and keeps source links clickable', () => {
    const reply: Reply = {
      title: 'Long',
      text: Array.from({ length: 2 }, () => 'w'.repeat(1900)),
      fields: Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(1000) })),
      sources: [{ articleId: 'a1', title: 'Src_title', url: 'https://example.com/a_1' }],
    };
    const contents = renderReply(reply).map((m) => m.content!);
    expect(contents.length).toBe(5);
    expect(contents.join('\n')).toContain('\\[a1\\] Src\\_title <https://example.com/a_1>');
  });

  it('never cuts a chunk on an escaping backslash', () => {
    const chunks = packLines(['ab\\*cd'], 3);
    expect(chunks).toEqual(['ab', '\\*c', 'd']);
  });
});
