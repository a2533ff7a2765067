import type { types } from '@slack/bolt';
import type { Paging, Reply, ReplyField, ReplyItem, SourceRef } from '../../reply/reply.ts';
import { isPictureCommand, PICTURE_BUTTON_LABEL } from '../../reply/picture-command.ts';
import { renderPlainText } from '../../reply/plain-text.ts';
import { quoted } from '../../reply/quoted.ts';
import { clipEscaped, escapeClipped, escapeMrkdwn, mrkdwnLink } from './escape.ts';

/**
 * Reply -> Block Kit, one small function per element of the Reply model.
 * Every string is escaped (see escape.ts); links come only from `url`
 * fields that pass safeLinkUrl. The `text` fallback (notifications, screen
 * readers, old clients) is the plain-text rendering, escaped the same way.
 */

export type Block = types.KnownBlock;

export interface SlackMessage {
  /** Fallback and notification text. Always set. */
  text: string;
  blocks: Block[];
}

/** Slack's documented Block Kit limits. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  buttonValue: 2000,
  /** Ours: enough for a notification, short of Slack's 40k truncation. */
  fallbackText: 3000,
} as const;

/** action_id prefix of the paging buttons; app.ts routes block_actions by it. */
export const PAGE_ACTION_PREFIX = 'armistice_page_';
/** action_id prefix of the buttons acting on an item (`/review approve:<id>`), routed the same way. */
export const ITEM_ACTION_PREFIX = 'armistice_do_';

export function renderSlackMessage(reply: Reply): SlackMessage {
  const tail = [...sourceBlocks(reply.sources), ...footerBlocks(reply.footer), ...pagingBlocks(reply.paging), ...pictureBlocks(reply.pictureCommand)];
  const head = [...titleBlocks(reply), ...textBlocks(reply.text), ...fieldBlocks(reply.fields)].slice(
    0,
    SLACK_LIMITS.blocks - tail.length,
  );
  const items = itemBlocks(reply.items ?? [], SLACK_LIMITS.blocks - head.length - tail.length);
  return { text: fallbackText(reply), blocks: [...head, ...items, ...tail] };
}

export function fallbackText(reply: Reply): string {
  return clipEscaped(escapeMrkdwn(renderPlainText(reply)), SLACK_LIMITS.fallbackText);
}

// ---- per-element renderers -------------------------------------------------

export function titleBlocks(reply: Reply): Block[] {
  if (!reply.title) return [];
  if (reply.errorCode) {
    // User errors read as a warning, not as a headline.
    return [section(`:warning: *${escapeClipped(reply.title, SLACK_LIMITS.sectionText - 20)}*`)];
  }
  return [
    {
      type: 'header',
      text: { type: 'plain_text', text: escapeClipped(reply.title, SLACK_LIMITS.headerText), emoji: true },
    },
  ];
}

/** Paragraphs packed into as few sections as fit Slack's 3000-character limit. */
export function textBlocks(paragraphs: readonly string[] | undefined): Block[] {
  if (!paragraphs || paragraphs.length === 0) return [];
  const pieces = paragraphs.flatMap((p) => splitEscaped(escapeMrkdwn(p), SLACK_LIMITS.sectionText));
  const chunks: string[] = [];
  for (const piece of pieces) {
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 2 + piece.length <= SLACK_LIMITS.sectionText) {
      chunks[last] = `${chunks[last]}\n\n${piece}`;
    } else {
      chunks.push(piece);
    }
  }
  return chunks.map(section);
}

/** Labelled values as section fields, ten per section. */
export function fieldBlocks(fields: readonly ReplyField[] | undefined): Block[] {
  if (!fields || fields.length === 0) return [];
  const blocks: Block[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn' as const,
        text: clipEscaped(`*${escapeMrkdwn(f.name)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
      })),
    });
  }
  return blocks;
}

/**
 * One section per item, each followed by its buttons when it has actions;
 * when they do not fit in `room` blocks, the rest is counted.
 */
export function itemBlocks(items: readonly ReplyItem[], room: number): Block[] {
  if (items.length === 0 || room <= 0) return [];
  const groups = items.map((item, i) => [itemBlock(item), ...actionBlocks(item, i)]);
  if (groups.flat().length <= room) return groups.flat();
  const shown: Block[] = [];
  let count = 0;
  for (const group of groups) {
    if (shown.length + group.length > room - 1) break;
    shown.push(...group);
    count++;
  }
  return [...shown, context([`…and ${items.length - count} more not shown.`])];
}

const ACTION_STYLE = { approve: 'primary', reject: 'danger' } as const;

/** The item's buttons; each carries the command line it runs, so a click works after a restart and on any instance. */
export function actionBlocks(item: ReplyItem, index: number): Block[] {
  const buttons = (item.actions ?? [])
    .filter((action) => action.commandLine.length <= SLACK_LIMITS.buttonValue)
    .map((action, k): types.Button => ({
      type: 'button',
      action_id: `${ITEM_ACTION_PREFIX}${index}_${k}`,
      text: { type: 'plain_text', text: escapeClipped(action.label, 75), emoji: true },
      value: action.commandLine,
      ...(action.style && action.style !== 'neutral' ? { style: ACTION_STYLE[action.style] } : {}),
    }));
  return buttons.length > 0 ? [{ type: 'actions', elements: buttons }] : [];
}

export function itemBlock(item: ReplyItem): Block {
  const title = `*${mrkdwnLink(item.url, item.title)}*${item.note ? `  _${escapeMrkdwn(item.note)}_` : ''}`;
  const lines = [title];
  if (item.meta) lines.push(escapeMrkdwn(item.meta));
  if (item.text) lines.push(escapeMrkdwn(item.text));
  if (item.sourceIds && item.sourceIds.length > 0) lines.push(`Source: ${escapeMrkdwn(item.sourceIds.join(', '))}`);
  return section(clipEscaped(lines.join('\n'), SLACK_LIMITS.sectionText));
}

/** The cited articles, one context element each (Slack allows ten). */
export function sourceBlocks(sources: readonly SourceRef[] | undefined): Block[] {
  if (!sources || sources.length === 0) return [];
  const max = SLACK_LIMITS.contextElements;
  const shown = sources.length <= max ? sources : sources.slice(0, max - 1);
  const elements = shown.map(sourceText);
  if (shown.length < sources.length) elements.push(escapeMrkdwn(`…and ${sources.length - shown.length} more sources.`));
  return [{ type: 'context', elements: elements.map(mrkdwn) }];
}

export function sourceText(source: SourceRef): string {
  const meta = [source.outlet, source.date].filter(Boolean).join(', ');
  let text = `[${escapeMrkdwn(source.articleId)}] ${mrkdwnLink(source.url, source.title)}`;
  if (meta) text += ` (${escapeMrkdwn(meta)})`;
  if (source.quote) text += ` — ${escapeMrkdwn(quoted(source.quote))}`;
  return clipEscaped(text, SLACK_LIMITS.contextText);
}

export function footerBlocks(footer: string | undefined): Block[] {
  return footer ? [context([footer])] : [];
}

/**
 * "Page 2 of 5" and Previous/Next buttons. Each button carries the whole
 * command line for its page in its value, so a click works after a restart
 * and on any instance.
 */
export function pagingBlocks(paging: Paging | undefined): Block[] {
  if (!paging || paging.pages <= 1) return [];
  const { page, pages } = paging;
  const buttons: types.Button[] = [];
  if (page > 1) buttons.push(pageButton('prev', '‹ Previous', pageLine(paging.commandLine, page - 1)));
  if (page < pages) buttons.push(pageButton('next', 'Next ›', pageLine(paging.commandLine, page + 1)));
  const fitting = buttons.filter((b) => (b.value ?? '').length <= SLACK_LIMITS.buttonValue);
  const blocks: Block[] = [context([`Page ${page} of ${pages}`])];
  if (fitting.length > 0) blocks.push({ type: 'actions', elements: fitting });
  return blocks;
}

/** action_id of the "Show as picture" button; its value is the command line that draws the picture. */
export const PICTURE_ACTION_ID = 'armistice_picture';

export function pictureBlocks(line: string | undefined): Block[] {
  if (!isPictureCommand(line)) return [];
  return [{ type: 'actions', elements: [{ type: 'button', action_id: PICTURE_ACTION_ID, text: { type: 'plain_text', text: PICTURE_BUTTON_LABEL, emoji: true }, value: line }] }];
}

/** The command line that shows `page` (the router's `page:` option). */
export function pageLine(commandLine: string, page: number): string {
  return `${commandLine.trim()} page:${page}`;
}

function pageButton(direction: 'prev' | 'next', label: string, value: string): types.Button {
  return {
    type: 'button',
    action_id: `${PAGE_ACTION_PREFIX}${direction}`,
    text: { type: 'plain_text', text: label, emoji: true },
    value,
  };
}

/**
 * Under an answer posted in the channel: who asked and what, because Slack
 * does not show the slash command itself to the others.
 */
export function withAsker(message: SlackMessage, askerName: string, line: string): SlackMessage {
  if (message.blocks.length >= SLACK_LIMITS.blocks) return message;
  return { ...message, blocks: [...message.blocks, context([`Asked by ${askerName}: ${line}`])] };
}

// ---- small builders --------------------------------------------------------

function section(text: string): Block {
  return { type: 'section', text: mrkdwn(text) };
}

/** A context block from unescaped strings. */
function context(texts: string[]): Block {
  return { type: 'context', elements: texts.map((t) => mrkdwn(escapeClipped(t, SLACK_LIMITS.contextText))) };
}

function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/** Splits escaped text into pieces of at most `max` characters, at whitespace when possible. */
function splitEscaped(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf(' ', max);
    if (at < max / 2) {
      at = max;
      // Never split inside an entity or a surrogate pair.
      const entity = /&[a-z]{0,3}$/.exec(rest.slice(0, at));
      if (entity) at -= entity[0].length;
      if (/[\ud800-\udbff]/.test(rest[at - 1]!)) at -= 1;
    }
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
