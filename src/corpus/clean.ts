import { boilerplateRuleFor, MAX_CAPTION_LENGTH } from './boilerplate.ts';

export interface CleanedText {
  /** The headline, when the text opens with one (some pages start with the body). */
  title?: string;
  /** Every paragraph of the article, in order, boilerplate removed. */
  paragraphs: string[];
  /** What was dropped and why: for tests and for check-data's diagnostics. */
  removed: RemovedLine[];
}

export interface RemovedLine {
  /** 1-based line number in the raw text. */
  line: number;
  text: string;
  /** A rule name from boilerplate.ts, or `photo-caption` / `duplicate-line`. */
  reason: string;
}

interface Line {
  number: number;
  text: string;
}

/**
 * Raw article text as received -> headline and paragraphs. Pure.
 *
 * Each non-empty line is a paragraph (some pages put blank lines between
 * paragraphs, some do not). Lines are only ever dropped whole, so every
 * sentence of the article survives verbatim.
 */
export function cleanArticleText(raw: string): CleanedText {
  const removed: RemovedLine[] = [];
  const kept: Line[] = [];
  const seen = new Set<string>();

  raw.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const text = rawLine.trim();
    if (text === '') return;
    const line = { number: index + 1, text };
    const rule = boilerplateRuleFor(text);
    if (rule) {
      removed.push({ line: line.number, text, reason: rule.name });
      // A photo's caption is the short line right above its credit (not the headline).
      const last = kept[kept.length - 1];
      if (rule.dropsCaptionAbove && last && kept.length > 1 && last.number === line.number - 1 && last.text.length <= MAX_CAPTION_LENGTH) {
        kept.pop();
        removed.push({ line: last.number, text: last.text, reason: 'photo-caption' });
      }
    } else {
      // Pages repeat the headline, standfirst or date above the body.
      const key = text.replace(/\s+/g, ' ');
      if (seen.has(key)) {
        removed.push({ line: line.number, text, reason: 'duplicate-line' });
      } else {
        seen.add(key);
        kept.push(line);
      }
    }
  });

  removed.sort((a, b) => a.line - b.line);
  const first = kept[0];
  const hasTitle = first !== undefined && looksLikeHeadline(first.text);
  return {
    title: hasTitle ? first.text : undefined,
    paragraphs: kept.slice(hasTitle ? 1 : 0).map((l) => l.text),
    removed,
  };
}

/** A headline is short and does not end like a sentence. */
function looksLikeHeadline(text: string): boolean {
  return text.length <= 200 && !/[.,;:]["”’]?$/.test(text);
}
