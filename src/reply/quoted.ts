/**
 * A sentence from an article, in quotation marks. Quotation marks inside it
 * become single ones, as in print — a sentence that itself opens with a quote
 * (“‘We will not give up,’ he said.”) would otherwise show as ““We will not
 * give up,” he said.” A text already wholly in quotation marks keeps its own.
 */
export function quoted(text: string): string {
  const trimmed = text.trim();
  if (/^“[^“”]*”$/u.test(trimmed)) return trimmed;
  const inner = trimmed.replace(/“/gu, '‘').replace(/”/gu, '’').replace(/"([^"]*)"/gu, '‘$1’');
  return `“${inner}”`;
}
