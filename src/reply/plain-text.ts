import type { Reply, ReplyItem, SourceRef } from './reply.ts';
import { quoted } from './quoted.ts';

/**
 * The plain-text rendering of a Reply: what the console prints and the
 * fallback text on every platform. No markup at all.
 */
export function renderPlainText(reply: Reply): string {
  const out: string[] = [];
  if (reply.title) out.push(reply.errorCode ? `⚠ ${reply.title}` : `== ${reply.title} ==`);
  for (const paragraph of reply.text ?? []) out.push(paragraph);
  for (const field of reply.fields ?? []) out.push(`${field.name}: ${field.value}`);
  if (reply.items && reply.items.length > 0) {
    out.push(reply.items.map(renderItem).join('\n'));
  }
  if (reply.sources && reply.sources.length > 0) {
    out.push(['Sources:', ...reply.sources.map((s) => `  ${renderSource(s)}`)].join('\n'));
  }
  if (reply.paging && reply.paging.pages > 1) {
    const { page, pages, commandLine } = reply.paging;
    const next = page < pages ? ` — next: ${commandLine} page:${page + 1}` : '';
    out.push(`Page ${page} of ${pages}${next}`);
  }
  if (reply.footer) out.push(reply.footer);
  return out.join('\n\n');
}

export function renderItem(item: ReplyItem): string {
  const lines = [`• ${item.title}${item.note ? ` [${item.note}]` : ''}`];
  if (item.meta) lines.push(`  ${item.meta}`);
  if (item.text) lines.push(`  ${item.text}`);
  if (item.url) lines.push(`  ${item.url}`);
  if (item.sourceIds && item.sourceIds.length > 0) lines.push(`  source: ${item.sourceIds.join(', ')}`);
  // Where there are no buttons (the console, fallback text), the line to type.
  for (const action of item.actions ?? []) lines.push(`  ${action.label}: ${action.commandLine}`);
  return lines.join('\n');
}

export function renderSource(source: SourceRef): string {
  const parts = [`[${source.articleId}] ${source.title}`];
  const meta = [source.outlet, source.date].filter(Boolean).join(', ');
  if (meta) parts.push(`(${meta})`);
  if (source.url) parts.push(source.url);
  let line = parts.join(' ');
  if (source.quote) line += `\n    ${quoted(source.quote)}`;
  return line;
}
