import { describe, expect, it } from 'vitest';
import { parseActionButtonId, renderReply } from '../../src/platform/discord/render.ts';
import { renderSlackMessage } from '../../src/platform/slack/render.ts';
import { parseActionValue } from '../../src/platform/slack/paging.ts';
import { renderPlainText } from '../../src/reply/plain-text.ts';
import type { Reply, ReplyItem } from '../../src/reply/reply.ts';

/**
 * Buttons on items (approve / reject in /review): each carries the command
 * line it runs, on Discord in the custom id, on Slack in the value, and the
 * plain text gives the line to type.
 */

const item = (n: number, id = `x-fact-${n}`): ReplyItem => ({
  title: `${n}. Person: Someone ${n}`,
  actions: [
    { label: `Approve ${n}`, commandLine: `/review approve:${id}`, style: 'approve' },
    { label: `Reject ${n}`, commandLine: `/review reject:${id}`, style: 'reject' },
  ],
});

describe('item actions', () => {
  it('GIVEN four items and paging WHEN rendered for Discord THEN one row per item (green, red) and the paging row: five rows', () => {
    const reply: Reply = { title: 'Unreviewed facts (9)', items: [1, 2, 3, 4].map((n) => item(n)), paging: { page: 1, pages: 3, commandLine: '/review' } };
    const [message] = renderReply(reply);
    expect(message!.components).toHaveLength(5);
    expect(message!.components![0]).toEqual({
      type: 1,
      components: [
        { type: 2, style: 3, label: 'Approve 1', custom_id: 'do:/review approve:x-fact-1', disabled: false },
        { type: 2, style: 4, label: 'Reject 1', custom_id: 'do:/review reject:x-fact-1', disabled: false },
      ],
    });
    expect(message!.components![4]!.components.map((b) => b.custom_id)).toEqual(['pg:0:/review', 'pg:2:/review']);
    expect(parseActionButtonId('do:/review approve:x-fact-1')).toEqual({ commandLine: '/review approve:x-fact-1' });
    expect(parseActionButtonId('pg:2:/review')).toBeUndefined();
  });

  it('GIVEN more items than rows, or a line too long for a custom id THEN those get no button on Discord but keep their line in the text', () => {
    const long = item(6, `x-${'a'.repeat(100)}`);
    const reply: Reply = { items: [1, 2, 3, 4, 5].map((n) => item(n)).concat(long) };
    const [message] = renderReply(reply);
    expect(message!.components!.map((row) => row.components[0]!.label)).toEqual(['Approve 1', 'Approve 2', 'Approve 3', 'Approve 4', 'Approve 5']);
    expect(renderPlainText({ items: [long] })).toContain(`  Approve 6: /review approve:x-${'a'.repeat(100)}\n  Reject 6: /review reject:x-${'a'.repeat(100)}`);
  });

  it('GIVEN items with actions WHEN rendered for Slack THEN each section is followed by its buttons (primary, danger) carrying the line', () => {
    const { blocks } = renderSlackMessage({ items: [item(1)] });
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*1. Person: Someone 1*' } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'armistice_do_0_0', text: { type: 'plain_text', text: 'Approve 1', emoji: true }, value: '/review approve:x-fact-1', style: 'primary' },
          { type: 'button', action_id: 'armistice_do_0_1', text: { type: 'plain_text', text: 'Reject 1', emoji: true }, value: '/review reject:x-fact-1', style: 'danger' },
        ],
      },
    ]);
    expect(parseActionValue('/review approve:x-fact-1')).toEqual({ line: '/review approve:x-fact-1' });
    expect(parseActionValue('approve everything')).toBeUndefined();
  });

  it('GIVEN more items with buttons than fit in 50 Slack blocks THEN no item is cut from its buttons, and the rest are counted', () => {
    const { blocks } = renderSlackMessage({ items: Array.from({ length: 30 }, (_, i) => item(i + 1)) });
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.at(-2)!.type).toBe('actions');
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 6 more not shown.' }] });
  });
});
