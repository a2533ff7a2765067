import { parsePartialDate } from '../core/dates.ts';
import type { OptionSpec, OptionValue } from './command.ts';

export const DEFAULT_MAX_STRING = 200;

export type ParsedValue = { ok: true; value: OptionValue } | { ok: false; problem: string };

/** Turns the text (or platform value) of one option into its typed value. */
export function parseOptionValue(spec: OptionSpec, raw: string | number | boolean): ParsedValue {
  const text = String(raw).trim();
  switch (spec.type) {
    case 'string': {
      const max = spec.maxLength ?? DEFAULT_MAX_STRING;
      if (text === '') return { ok: false, problem: 'is empty' };
      if (text.length > max) return { ok: false, problem: `is longer than ${max} characters` };
      return { ok: true, value: text };
    }
    case 'integer': {
      if (!/^-?\d{1,9}$/.test(text)) return { ok: false, problem: `must be a whole number, not “${clip(text)}”` };
      const n = Number(text);
      if (spec.min !== undefined && n < spec.min) return { ok: false, problem: `must be at least ${spec.min}` };
      if (spec.max !== undefined && n > spec.max) return { ok: false, problem: `must be at most ${spec.max}` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(lower)) return { ok: true, value: true };
      if (['false', 'no', 'off', '0'].includes(lower)) return { ok: true, value: false };
      return { ok: false, problem: `must be yes or no, not “${clip(text)}”` };
    }
    case 'date': {
      const date = parsePartialDate(text);
      if (!date) return { ok: false, problem: `must be a year, a year-month or a date (2018, 2018-04, 2018-04-27), not “${clip(text)}”` };
      return { ok: true, value: date };
    }
    case 'choice': {
      const match = spec.choices?.find((c) => c.toLowerCase() === text.toLowerCase());
      if (match === undefined) return { ok: false, problem: `must be one of ${spec.choices?.join(', ')}, not “${clip(text)}”` };
      return { ok: true, value: match };
    }
  }
}

/** A placeholder for usage lines: `<date>`, `<daily|weekly>`. */
export function placeholder(spec: OptionSpec): string {
  if (spec.type === 'choice' && spec.choices) return `<${spec.choices.join('|')}>`;
  if (spec.type === 'string') return `<${spec.rest ? 'text' : spec.name}>`;
  return `<${spec.type === 'integer' ? 'number' : spec.type}>`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
