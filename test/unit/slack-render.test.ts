import { describe, expect, it } from 'vitest';
import { userError, type Reply } from '../../src/reply/reply.ts';
import { renderSlackMessage, SLACK_LIMITS, withAsker } from '../../src/platform/slack/render.ts';
import { escapeMrkdwn, safeLinkUrl, mrkdwnLink, clipEscaped, unescapeSlackText } from '../../src/platform/slack/escape.ts';
import { markStalePage, parsePageValue } from '../../src/platform/slack/paging.ts';

describe('Slack Block Kit rendering', () => {
  it('GIVEN a full answer WHEN rendered THEN each element becomes its block, in order, with the text fallback', () => {
    const reply: Reply = {
      title: 'Timeline: summit',
      text: ['Two summits in 2018.'],
      fields: [{ name: 'From', value: '2018' }, { name: 'To', value: '2019' }],
      items: [
        { title: 'Panmunjom summit', meta: '2018-04-27 · event', text: 'Moon and Kim meet.', url: 'https://example.org/a?x=1&y=2', sourceIds: ['003_abc'], note: 'extracted, unreviewed' },
      ],
      sources: [{ articleId: '003_abc', title: 'Leaders meet', outlet: 'Yonhap', date: '2018-04-27', url: 'https://example.org/a', quote: 'We will end the war.' }],
      footer: '1 event',
      paging: { page: 2, pages: 3, commandLine: '/timeline about:summit' },
    };
    expect(renderSlackMessage(reply)).toEqual({
      text:
        '== Timeline: summit ==\n\nTwo summits in 2018.\n\nFrom: 2018\n\nTo: 2019\n\n• Panmunjom summit [extracted, unreviewed]\n  2018-04-27 · event\n  Moon and Kim meet.\n  https://example.org/a?x=1&amp;y=2\n  source: 003_abc\n\nSources:\n  [003_abc] Leaders meet (Yonhap, 2018-04-27) https://example.org/a\n    “We will end the war.”\n\nPage 2 of 3 — next: /timeline about:summit page:3\n\n1 event',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Timeline: summit', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Two summits in 2018.' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*From*\n2018' },
            { type: 'mrkdwn', text: '*To*\n2019' },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*<https://example.org/a?x=1&amp;y=2|Panmunjom summit>*  _extracted, unreviewed_\n2018-04-27 · event\nMoon and Kim meet.\nSource: 003_abc',
          },
        },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '[003_abc] <https://example.org/a|Leaders meet> (Yonhap, 2018-04-27) — “We will end the war.”' }],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '1 event' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Page 2 of 3' }] },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'armistice_page_prev', text: { type: 'plain_text', text: '‹ Previous', emoji: true }, value: '/timeline about:summit page:1' },
            { type: 'button', action_id: 'armistice_page_next', text: { type: 'plain_text', text: 'Next ›', emoji: true }, value: '/timeline about:summit page:3' },
          ],
        },
      ],
    });
  });

  it('GIVEN a user error WHEN rendered THEN it reads as a warning section, not a header', () => {
    const message = renderSlackMessage(userError('BAD_DATE', 'I could not read “2018-13” as a date.', ['Try 2018-12 or 2018.']));
    expect(message).toEqual({
      text: '⚠ I could not read “2018-13” as a date.\n\nTry 2018-12 or 2018.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':warning: *I could not read “2018-13” as a date.*' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Try 2018-12 or 2018.' } },
      ],
    });
  });

  it('GIVEN feed text carrying mentions and disguised links WHEN rendered THEN none survives as markup anywhere', () => {
    const evil = 'Breaking <!channel> <!here> <@U123> <#C1> <https://evil.example|https://good.example> & more';
    const reply: Reply = {
      title: evil,
      text: [evil],
      fields: [{ name: evil, value: evil }],
      items: [{ title: evil, meta: evil, text: evil, note: evil, sourceIds: [evil], url: 'javascript:alert(1)' }],
      sources: [{ articleId: evil, title: evil, outlet: evil, date: evil, quote: evil, url: 'https://ok.example/<!channel>|x' }],
      footer: evil,
    };
    const message = renderSlackMessage(reply);
    const strings = [message.text, ...collectText(message.blocks)];
    for (const text of strings) {
      expect(text).not.toMatch(/<!|<@|<#|<https:\/\/evil/);
      // The only `<` left opens a link we made from a validated URL.
      for (const match of text.matchAll(/<([^>]*)>/g)) expect(match[1]).toMatch(/^https:\/\/ok\.example\/%3C!channel%3E%7Cx\|/);
    }
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: escapeMrkdwn(evil), emoji: true },
    });
    expect(collectText(message.blocks).join('\n')).toContain('Breaking &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt;');
  });

  it('GIVEN more items than fit in 50 blocks WHEN rendered THEN 50 blocks at most, the rest counted', () => {
    const items = Array.from({ length: 80 }, (_, i) => ({ title: `Item ${i + 1}` }));
    const message = renderSlackMessage({ title: 'Many', items, footer: 'f' });
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(message.blocks.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 33 more not shown.' }] });
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'f' }] });
  });

  it('GIVEN over-long text WHEN rendered THEN every block stays within Slack limits and nothing is lost from paragraphs', () => {
    const long = `${'word '.repeat(1500)}end`;
    const fields = Array.from({ length: 12 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(2500) }));
    const message = renderSlackMessage({ title: 'T'.repeat(400), text: [long, 'second'], fields });
    const header = message.blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(SLACK_LIMITS.headerText);
    expect(header.text.text.endsWith('…')).toBe(true);
    const sections = message.blocks.filter((b) => b.type === 'section' && 'text' in b && b.text) as Array<{ text: { text: string } }>;
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(sections.map((s) => s.text.text).join(' ').replace(/\s+/g, ' ')).toBe(`${long} second`.replace(/\s+/g, ' '));
    const fieldSections = message.blocks.filter((b) => 'fields' in b && b.fields) as Array<{ fields: Array<{ text: string }> }>;
    expect(fieldSections.map((s) => s.fields.length)).toEqual([10, 2]);
    for (const f of fieldSections.flatMap((s) => s.fields)) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('GIVEN the first or last page WHEN rendered THEN only the button that leads somewhere is shown', () => {
    const first = renderSlackMessage({ title: 'x', paging: { page: 1, pages: 2, commandLine: '/news peace' } });
    expect(first.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'armistice_page_next', text: { type: 'plain_text', text: 'Next ›', emoji: true }, value: '/news peace page:2' }],
    });
    const single = renderSlackMessage({ title: 'x', paging: { page: 1, pages: 1, commandLine: '/news peace' } });
    expect(single.blocks).toHaveLength(1);
  });

  it('GIVEN an answer for the channel WHEN the asker is added THEN a context line names them and the line, escaped', () => {
    const message = withAsker({ text: 't', blocks: [] }, 'kim<!here>', '/news <b>');
    expect(message.blocks).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Asked by kim&lt;!here&gt;: /news &lt;b&gt;' }] }]);
  });
});

describe('Slack escaping helpers', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  it('links only absolute http(s) URLs, made safe inside <url|label>', () => {
    expect(safeLinkUrl('https://example.org/a b?q=1&r=2')).toBe('https://example.org/a%20b?q=1&amp;r=2');
    expect(safeLinkUrl('https://example.org/x|y')).toBe('https://example.org/x%7Cy');
    expect(safeLinkUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeLinkUrl('mailto:a@b.c')).toBeUndefined();
    expect(safeLinkUrl('https://user:pw@example.org/')).toBeUndefined();
    expect(safeLinkUrl('/relative')).toBeUndefined();
    expect(mrkdwnLink('ftp://x', 'a<b')).toBe('a&lt;b');
  });

  it('clips without breaking an entity or a link', () => {
    expect(clipEscaped('abc &amp; def', 6)).toBe('abc …');
    expect(clipEscaped('see <https://x.example|x> now', 12)).toBe('see …');
    expect(clipEscaped('short', 10)).toBe('short');
  });

  it('reads typed slash-command text back as typed', () => {
    expect(unescapeSlackText('a &lt;b&gt; &amp;amp;')).toBe('a <b> &amp;');
  });
});

describe('Slack paging state', () => {
  it('reads a button value back into the line and the page', () => {
    expect(parsePageValue('/news peace treaty page:3')).toEqual({ line: '/news peace treaty page:3', page: 3 });
    expect(parsePageValue('news page:3')).toBeUndefined();
    expect(parsePageValue('/news peace')).toBeUndefined();
    expect(parsePageValue(undefined)).toBeUndefined();
  });

  it('says so when the page shown is not the one the button promised', () => {
    const moved = markStalePage({ title: 'x', paging: { page: 2, pages: 2, commandLine: '/news' } }, 3);
    expect(moved.text).toEqual(['The results changed since this message was posted. Showing page 2 of 2 instead of page 3.']);
    const gone = markStalePage(userError('PAGE_OUT_OF_RANGE', 'There is only 1 page of results.', ['Try /news page:1']), 2);
    expect(gone.text).toEqual(['The results changed since this message was posted.', 'Try /news page:1']);
    const same = { title: 'x', paging: { page: 2, pages: 3, commandLine: '/news' } };
    expect(markStalePage(same, 2)).toBe(same);
  });
});

function collectText(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectText);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (key === 'text' || typeof v === 'object' ? collectText(v) : []));
  }
  return [];
}
