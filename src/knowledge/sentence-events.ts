import { formatPartialDate, precisionOf, type PartialDate } from '../core/dates.ts';
import type { Article } from '../corpus/corpus.ts';
import { nameKey } from './normalize.ts';
import { findRelativeDates } from './relative-dates.ts';
import type { KnowledgeEvent } from './schema.ts';

/**
 * The event a sentence tells, when it says when (and, where it names them,
 * who took part: "the Korean War ended in 1953" names nobody and is one): its date
 * as precise as the words allow, resolved against the article's own date,
 * or — for "two days after the summit", "a week later" — counted from the
 * event of the article it refers to, never from the article's date.
 */

/**
 * Years alone ("in 2017"): chrono-node does not take a bare year for a date.
 * "by 2023", "until 2023" are deadlines, not when something happened.
 */
const BARE_YEAR = /\b(?:in|since|of|from|during)\s+((?:19|20)\d{2})\b(?![-–]\d)/u;
/** Words chrono reads as dates that say nothing about when an event happened. */
const VAGUE = /^(?:now|today|tonight|right now|soon|recently|in recent (?:days|weeks|months))$/i;
/** An offset from another event: "two days after", "a week later", "three months before". */
const OFFSET = /^(?:in\s+|for\s+)?(an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|a few|several)\s+(days?|weeks?|months?|years?)\s+(after|later|before|earlier)$/i;
/** Durations chrono reads as offsets from the article ("for the first time in 13 years"). */
const DURATION = /^(?:in\s+|for\s+)?\d+\s+(?:years?|months?|weeks?|days?)$/i;

const NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };

export function datedEvent(article: Article, sentence: string, entities: string[], id: string, earlier: readonly KnowledgeEvent[]): KnowledgeEvent | undefined {
  let date: PartialDate | undefined;
  let phrase: string | undefined;
  let anchor: KnowledgeEvent | undefined;
  let best: { date: PartialDate; phrase: string; anchor: KnowledgeEvent | undefined } | undefined;
  if (article.published) {
    for (const found of findRelativeDates(sentence, article.published)) {
      const text = found.text.trim();
      if (VAGUE.test(text) || DURATION.test(text)) continue;
      const offset = OFFSET.exec(text);
      if (offset) {
        anchor = anchorOf(sentence.slice(found.index + found.text.length), earlier);
        const count = Number(NUMBERS[offset[1]!.toLowerCase()] ?? offset[1]);
        // "A few days later": no count, so no day; the anchor's month (or year) at most.
        const counted = anchor && (Number.isNaN(count) ? vaguely(anchor.date, offset[2]!) : shift(anchor.date, count, offset[2]!, /after|later/i.test(offset[3]!)));
        if (!counted) continue;
        date = counted;
      } else {
        date = found.date;
      }
      const candidate = date;
      // The most precise of the sentence's dates; the first among equals ("this week, and next month" → next month).
      if (!best || precisionRank(candidate) > precisionRank(best.date)) best = { date: candidate, phrase: text, anchor };
      anchor = undefined;
    }
    if (best) ({ date, phrase, anchor } = best);
  }
  if (!date) {
    const year = BARE_YEAR.exec(sentence);
    if (year) {
      date = { year: Number(year[1]) };
      phrase = year[0];
    }
  }
  if (!date || !phrase) return undefined;
  const stated = /\b(?:19|20)\d{2}\b/.test(phrase);
  const summary = sentence.length > 220 ? `${sentence.slice(0, sentence.lastIndexOf(' ', 217))}…` : sentence;
  const dateNote = anchor
    ? `"${phrase}" counted from ${formatPartialDate(anchor.date)}, the date of: ${anchor.summary.slice(0, 80)}`
    : stated
      ? undefined
      : `"${phrase}" resolved against the article's date (${formatPartialDate(article.published!)})`;
  return {
    id,
    date,
    derivation: stated ? 'stated' : 'relative',
    phrase,
    relativeTo: stated ? undefined : article.id,
    ...(dateNote ? { dateNote } : {}),
    summary,
    entities,
    anniversary: false,
    sources: [{ article: article.id, quote: sentence }],
    status: 'extracted',
  };
}

function precisionRank(date: PartialDate): number {
  return ['year', 'month', 'day'].indexOf(precisionOf(date));
}

/**
 * The earlier event of the article that "after X" refers to: the latest one
 * sharing a word of X ("after the summit" → the sentence about the summit);
 * for a bare "later"/"earlier", the latest event told before.
 */
function anchorOf(rest: string, earlier: readonly KnowledgeEvent[]): KnowledgeEvent | undefined {
  const words = (/^\s*(?:the|a|an|his|her|their|its)?\s*([^,.;]{0,60})/iu.exec(rest)?.[1] ?? '')
    .split(/\s+/)
    .map(nameKey)
    .filter((w) => w.length > 3)
    .slice(0, 4);
  if (words.length === 0) return earlier[earlier.length - 1];
  for (let i = earlier.length - 1; i >= 0; i--) {
    const text = earlier[i]!.summary.toLowerCase();
    if (words.some((w) => text.includes(w))) return earlier[i];
  }
  return undefined;
}

/** "A few days later" than the anchor: its month for days and weeks, its year for months; nothing for years. */
function vaguely(anchor: PartialDate, unit: string): PartialDate | undefined {
  if (/^(?:day|week)/i.test(unit)) return anchor.month === undefined ? { year: anchor.year } : { year: anchor.year, month: anchor.month };
  return /^month/i.test(unit) ? { year: anchor.year } : undefined;
}

/** The anchor's date moved by the offset, no more precise than the anchor (a day only from a day). */
function shift(anchor: PartialDate, count: number, unit: string, forward: boolean): PartialDate | undefined {
  const sign = forward ? 1 : -1;
  const precision = precisionOf(anchor);
  if (/^day|^week/i.test(unit)) {
    if (precision !== 'day') return undefined;
    const days = count * (/^week/i.test(unit) ? 7 : 1);
    const at = new Date(Date.UTC(anchor.year, anchor.month! - 1, anchor.day! + sign * days));
    const date = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
    return /^week/i.test(unit) ? { year: date.year, month: date.month } : date;
  }
  if (/^month/i.test(unit)) {
    if (precision === 'year') return undefined;
    const at = new Date(Date.UTC(anchor.year, anchor.month! - 1 + sign * count, 1));
    return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 };
  }
  return { year: anchor.year + sign * count };
}
