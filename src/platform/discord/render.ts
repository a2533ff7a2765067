import type { Paging, Reply, ReplyAction, ReplyField, ReplyItem, SourceRef } from '../../reply/reply.ts';
import { renderPlainText } from '../../reply/plain-text.ts';
import { isPictureCommand, PICTURE_BUTTON_LABEL } from '../../reply/picture-command.ts';
import { quoted } from '../../reply/quoted.ts';
import { clip, escapeMarkdown, safeUrl } from './escape.ts';

/**
 * Reply → Discord message JSON (API shape, snake_case), built by one small
 * function per element. Every string from the Reply is escaped; links only
 * come from validated `url` fields. When the embed would break one of
 * Discord's limits, the plain-text rendering is sent as message content
 * instead, split into messages of at most 2,000 characters.
 */

export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  content: 2000,
  customId: 100,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  /** A fallback longer than this many messages is cut: nobody reads the sixth. */
  fallbackMessages: 10,
} as const;

export const COLOURS = { answer: 0x3b6ea5, userError: 0xc9a227, failure: 0xb03a2e } as const;

/** Pings nobody: not @everyone/@here, not users, not roles. */
export const NO_MENTIONS = { parse: [] as never[] };

export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  color: number;
  fields?: DiscordEmbedField[];
  footer?: { text: string };
  /** `attachment://name.png`: the picture sent with the message. */
  image?: { url: string };
}

/** A file sent with the message (multipart); `description` is its alt text. */
export interface DiscordFile {
  name: string;
  description: string;
  data: Uint8Array;
}

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface DiscordButton {
  type: 2;
  /** 2 grey (paging, neutral actions), 3 green (approve), 4 red (reject). */
  style: 2 | 3 | 4;
  label: string;
  custom_id: string;
  disabled: boolean;
}

export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

/** One message as the API takes it (interaction callback data, webhook or channel message body). */
export interface DiscordMessage {
  content?: string;
  embeds?: DiscordEmbed[];
  components?: DiscordActionRow[];
  allowed_mentions: typeof NO_MENTIONS;
  files?: DiscordFile[];
}

/** Renders a Reply as one message, or several when the plain-text fallback needs them. */
export function renderReply(reply: Reply): DiscordMessage[] {
  const paging = renderPagingButtons(reply.paging);
  const buttons = withPictureButton(paging, reply.pictureCommand);
  const rows = [...renderActionRows(reply.items ?? [], LIMITS.actionRows - (buttons ? 1 : 0)), ...(buttons ? [buttons] : [])];
  const embed = renderEmbed(reply, paging !== undefined);
  const files = renderFiles(reply);
  if (embed && embedFits(embed)) {
    if (files) embed.image = { url: `attachment://${files[0]!.name}` };
    return [{ embeds: [embed], ...(rows.length > 0 ? { components: rows } : {}), allowed_mentions: NO_MENTIONS, ...(files ? { files } : {}) }];
  }
  const chunks = renderFallback(reply);
  return chunks.map((content, i) => ({
    content,
    // Buttons go under the last part, where the reader ends up.
    ...(rows.length > 0 && i === chunks.length - 1 ? { components: rows } : {}),
    allowed_mentions: NO_MENTIONS,
    ...(files && i === chunks.length - 1 ? { files } : {}),
  }));
}

/** The reply's picture as an attachment: a safe file name, the alt text as its description. */
export function renderFiles(reply: Reply): DiscordFile[] | undefined {
  if (!reply.image) return undefined;
  const name = reply.image.filename.replace(/[^A-Za-z0-9._-]+/g, '-').slice(-80) || 'picture.png';
  return [{ name, description: clip(reply.image.alt, 1024), data: reply.image.bytes }];
}

/** The embed, or undefined when an element cannot fit its own limit. */
export function renderEmbed(reply: Reply, hasButtons: boolean): DiscordEmbed | undefined {
  const description = renderDescription(reply);
  const fields = [...(reply.fields ?? []).map(renderField), ...renderSourceFields(reply.sources ?? [])];
  if (description !== undefined && description.length > LIMITS.description) return undefined;
  if (fields.length > LIMITS.fields || fields.some((f) => f === undefined)) return undefined;
  const footer = renderFooter(reply, hasButtons);
  const embed: DiscordEmbed = {
    ...(reply.title ? { title: renderTitle(reply.title) } : {}),
    ...titleLink(reply.sources),
    ...(description ? { description } : {}),
    color: colourOf(reply),
    ...(fields.length > 0 ? { fields: fields as DiscordEmbedField[] } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  return embed;
}

export function renderTitle(title: string): string {
  return clip(escapeMarkdown(title), LIMITS.title);
}

/** Text paragraphs, then the items as a list. */
export function renderDescription(reply: Reply): string | undefined {
  const blocks = [...(reply.text ?? []).map(escapeMarkdown), ...(reply.items ?? []).map((item) => renderItem(item, reply.sources ?? []))];
  return blocks.length > 0 ? blocks.join('\n\n') : undefined;
}

/** `**Title** [1] *(note)*`, then meta, text and link on their own lines. */
export function renderItem(item: ReplyItem, sources: readonly SourceRef[]): string {
  const url = safeUrl(item.url);
  const title = url ? `[${escapeMarkdown(item.title)}](${url})` : escapeMarkdown(item.title);
  const citations = (item.sourceIds ?? []).map((id) => citationMark(id, sources)).join('');
  const lines = [`**${title}**${citations ? ` ${citations}` : ''}${item.note ? ` *(${escapeMarkdown(item.note)})*` : ''}`];
  if (item.meta) lines.push(escapeMarkdown(item.meta));
  if (item.text) lines.push(escapeMarkdown(item.text));
  return lines.join('\n');
}

/** `[2]` when the cited article is the reply's second source, its id otherwise. */
function citationMark(articleId: string, sources: readonly SourceRef[]): string {
  const index = sources.findIndex((s) => s.articleId === articleId);
  return index >= 0 ? `[${index + 1}]` : `[${escapeMarkdown(articleId)}]`;
}

/** A field, or undefined when its value is too long to show whole. */
export function renderField(field: ReplyField): DiscordEmbedField | undefined {
  const value = escapeMarkdown(field.value);
  if (value.length > LIMITS.fieldValue) return undefined;
  return {
    name: clip(escapeMarkdown(field.name), LIMITS.fieldName) || '\u200b',
    // Discord refuses empty field values.
    value: value || '—',
    ...(field.inline ? { inline: true } : {}),
  };
}

/** `[1] [Title](url) — Outlet, date`, packed into as few ≤1024-character fields as needed. */
export function renderSourceFields(sources: readonly SourceRef[]): Array<DiscordEmbedField | undefined> {
  const fields: Array<DiscordEmbedField | undefined> = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    fields.push({ name: fields.length === 0 ? 'Sources' : 'Sources (continued)', value: lines.join('\n') });
    lines = [];
  };
  sources.forEach((source, i) => {
    const line = renderSource(source, i + 1);
    if (line.length > LIMITS.fieldValue) {
      fields.push(undefined);
      return;
    }
    if ([...lines, line].join('\n').length > LIMITS.fieldValue) flush();
    lines.push(line);
  });
  flush();
  return fields;
}

export function renderSource(source: SourceRef, number: number): string {
  const url = safeUrl(source.url);
  const title = url ? `[${escapeMarkdown(source.title)}](${url})` : escapeMarkdown(source.title);
  const meta = [source.outlet, source.date].filter(Boolean).join(', ');
  let line = `[${number}] ${title}${meta ? ` — ${escapeMarkdown(meta)}` : ''}`;
  if (source.quote) line += `\n> ${escapeMarkdown(quoted(source.quote))}`;
  return line;
}

/**
 * Footer text is shown without markdown, so it is not escaped (a backslash
 * would show). It carries the outlet and date of a single source, the
 * reply's own footer and the page number.
 */
export function renderFooter(reply: Reply, hasButtons: boolean): string | undefined {
  const parts: string[] = [];
  const only = reply.sources?.length === 1 ? reply.sources[0] : undefined;
  if (only) {
    const meta = [only.outlet, only.date].filter(Boolean).join(', ');
    if (meta) parts.push(meta);
  }
  if (reply.footer) parts.push(reply.footer);
  if (reply.paging && reply.paging.pages > 1) parts.push(pageLabel(reply.paging, hasButtons));
  return parts.length > 0 ? clip(parts.join(' · '), LIMITS.footer) : undefined;
}

function pageLabel(paging: Paging, hasButtons: boolean): string {
  const label = `Page ${paging.page} of ${paging.pages}`;
  // Without buttons (command line too long for a button id) say how to go on.
  if (hasButtons || paging.page >= paging.pages) return label;
  return `${label} — next: ${compactLine(paging.commandLine)} page:${paging.page + 1}`;
}

/** The embed title links to the article when the answer rests on exactly one with a URL. */
function titleLink(sources: readonly SourceRef[] | undefined): { url?: string } {
  const url = sources?.length === 1 ? safeUrl(sources[0]!.url) : undefined;
  return url ? { url } : {};
}

function colourOf(reply: Reply): number {
  if (reply.errorCode === 'INTERNAL') return COLOURS.failure;
  return reply.errorCode ? COLOURS.userError : COLOURS.answer;
}

/** Discord counts title, description, field names and values, and footer toward 6,000. */
export function embedSize(embed: DiscordEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0) +
    (embed.footer?.text.length ?? 0)
  );
}

function embedFits(embed: DiscordEmbed): boolean {
  return embedSize(embed) <= LIMITS.embedTotal;
}

// ---- paging buttons -------------------------------------------------------

const PAGE_ID = /^pg:(\d{1,4}):(.+)$/s;

/**
 * The page to show and the command line that makes it, all in the button's
 * custom id, so a press works after a restart with nothing stored.
 */
export function pageButtonId(page: number, commandLine: string): string | undefined {
  const id = `pg:${page}:${compactLine(commandLine)}`;
  return id.length <= LIMITS.customId ? id : undefined;
}

export function parsePageButtonId(customId: string): { page: number; commandLine: string } | undefined {
  const match = PAGE_ID.exec(customId);
  return match ? { page: Number(match[1]), commandLine: match[2]! } : undefined;
}

/** Previous/Next, or undefined when there is one page or the command line is too long for an id. */
export function renderPagingButtons(paging: Paging | undefined): DiscordActionRow | undefined {
  if (!paging || paging.pages <= 1) return undefined;
  const previous = pageButtonId(paging.page - 1, paging.commandLine);
  const next = pageButtonId(paging.page + 1, paging.commandLine);
  if (!previous || !next) return undefined;
  return {
    type: 1,
    components: [
      { type: 2, style: 2, label: 'Previous', custom_id: previous, disabled: paging.page <= 1 },
      { type: 2, style: 2, label: 'Next', custom_id: next, disabled: paging.page >= paging.pages },
    ],
  };
}

// ---- item action buttons --------------------------------------------------

const ACTION_ID = /^do:(\/.+)$/s;
const ACTION_STYLE: Record<NonNullable<ReplyAction['style']>, DiscordButton['style']> = { neutral: 2, approve: 3, reject: 4 };

/** The command line to run, all in the custom id: like paging, nothing is stored. */
export function actionButtonId(commandLine: string): string | undefined {
  const id = `do:${compactLine(commandLine)}`;
  return id.length <= LIMITS.customId ? id : undefined;
}

export function parseActionButtonId(customId: string): { commandLine: string } | undefined {
  const match = ACTION_ID.exec(customId);
  return match ? { commandLine: match[1]! } : undefined;
}

/**
 * One row of buttons per item that has actions, as many rows as `room`.
 * An action whose line is too long for a custom id gets no button: the
 * plain-text rendering still gives the line to type.
 */
export function renderActionRows(items: readonly ReplyItem[], room: number): DiscordActionRow[] {
  const rows: DiscordActionRow[] = [];
  for (const item of items) {
    const buttons = (item.actions ?? []).slice(0, LIMITS.buttonsPerRow).flatMap((action): DiscordButton[] => {
      const id = actionButtonId(action.commandLine);
      return id ? [{ type: 2, style: ACTION_STYLE[action.style ?? 'neutral'], label: clip(action.label, LIMITS.buttonLabel), custom_id: id, disabled: false }] : [];
    });
    if (buttons.length > 0 && rows.length < room) rows.push({ type: 1, components: buttons });
  }
  return rows;
}

// ---- "Show as picture" ------------------------------------------------------

const PICTURE_ID = 'pic:';

/** The paging row (or a new one) with a "Show as picture" button carrying its command line. */
export function withPictureButton(row: DiscordActionRow | undefined, line: string | undefined): DiscordActionRow | undefined {
  const id = line && isPictureCommand(line) ? `${PICTURE_ID}${compactLine(line)}` : undefined;
  if (!id || id.length > LIMITS.customId) return row;
  const button: DiscordButton = { type: 2, style: 2, label: PICTURE_BUTTON_LABEL, custom_id: id, disabled: false };
  return { type: 1, components: [...(row?.components ?? []), button] };
}

/** The command line of a "Show as picture" button, if the id is one and its line is a picture line. */
export function parsePictureButtonId(customId: string): string | undefined {
  const line = customId.startsWith(PICTURE_ID) ? customId.slice(PICTURE_ID.length) : undefined;
  return isPictureCommand(line) ? line : undefined;
}

function compactLine(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

// ---- plain-text fallback --------------------------------------------------

/**
 * The plain-text rendering, escaped, in messages of at most 2,000
 * characters cut at paragraph or line ends. Validated source links are
 * kept clickable.
 */
export function renderFallback(reply: Reply): string[] {
  const links = [...(reply.sources ?? []).map((s) => s.url), ...(reply.items ?? []).map((i) => i.url)]
    .map(safeUrl)
    .filter((u): u is string => u !== undefined);
  const lines = renderPlainText(reply)
    .split('\n')
    .map((line) => restoreLinks(escapeMarkdown(line), links));
  const chunks = packLines(lines, LIMITS.content);
  if (chunks.length <= LIMITS.fallbackMessages) return chunks;
  const kept = chunks.slice(0, LIMITS.fallbackMessages);
  kept[kept.length - 1] = clip(kept[kept.length - 1]!, LIMITS.content - 20) + '\n(answer shortened)';
  return kept;
}

function restoreLinks(escaped: string, links: readonly string[]): string {
  let out = escaped;
  for (const link of links) out = out.split(escapeMarkdown(link)).join(`<${link}>`);
  return out;
}

/** Greedy packing of lines into chunks; a line longer than a chunk is cut. */
export function packLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const push = (piece: string) => {
    if (current === '') current = piece;
    else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
    else {
      chunks.push(current);
      current = piece;
    }
  };
  for (const line of lines) {
    let rest = line;
    while (rest.length > max) {
      let cut = max;
      // Never end a piece on the backslash of an escape.
      while (cut > 1 && rest[cut - 1] === '\\') cut--;
      push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    push(rest);
  }
  if (current.trim() !== '') chunks.push(current);
  return chunks.filter((c) => c.trim() !== '');
}
