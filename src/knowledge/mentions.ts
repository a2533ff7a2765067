import { isTitleWord, stripHonorifics } from './normalize.ts';
import { endsName, isFullPersonName, ORGANISATION_WORD } from './person-names.ts';
import { isRoleWord, roleAfter, roleBefore } from './roles.ts';
import type { EntityKind } from './schema.ts';

/**
 * The names a sentence mentions, each with what it may be:
 * - people's full names found by shape ("Chung Eui-yong", "Antony Blinken"),
 *   titles stripped and kept as the role the sentence gives them;
 * - organisations whose name says so ("… Institute", "Ministry of …");
 * - other capitalised runs ("Chung", "Pompeo", "Seoul"), which count only
 *   when they name someone or something already known.
 *
 * compromise's tagger is not run: measured on the evaluation set it found
 * fewer organisations than the name-word rule, mistook "State Antony" for a
 * place, and cost ten times the rest of the extractor (≈ 200 ms per
 * 1,000 words against ≈ 20 ms). Only its dictionary is used (person-names.ts).
 */

export interface Mention {
  /** The name as cleaned (titles, punctuation and possessives removed). */
  text: string;
  /** 'person' for a full name, 'organisation' for a name that says so; undefined for another capitalised run. */
  kind?: EntityKind;
  sentence: string;
  /** Offsets in the sentence. */
  start: number;
  end: number;
  /** The role the sentence gives a person ("South Korean foreign minister"). */
  role?: string;
}

interface Token {
  core: string;
  start: number;
  end: number;
  /** Punctuation after the word (a comma, a period) ends a name. */
  closes: boolean;
}

const NAME_WORD = /^(?:\p{Lu}[\p{L}'’`]*(?:-\p{L}[\p{L}'’]*)*|\p{Lu}\.)$/u;

function tokens(sentence: string): Token[] {
  const out: Token[] = [];
  for (const match of sentence.matchAll(/\S+/gu)) {
    const raw = match[0];
    const lead = /^["“‘'(\[]*/u.exec(raw)![0].length;
    let core = raw.slice(lead);
    const initial = /^\p{Lu}\.$/u.test(core);
    const trail = initial ? '' : /[)"”’'\],.;:!?—–]*$/u.exec(core)![0];
    core = core.slice(0, core.length - trail.length).replace(/['’]s$/u, '');
    const start = match.index! + lead;
    out.push({ core, start, end: start + core.length, closes: trail !== '' || core.length < raw.length - lead - trail.length });
  }
  return out;
}

/** Runs of name-shaped words not broken by punctuation: "U.S. Secretary", "State Antony Blinken". */
function nameRuns(list: Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  for (const token of list) {
    if (NAME_WORD.test(token.core) && !/^(?:\p{Lu}\.){2,}$/u.test(token.core)) {
      run.push(token);
      if (token.closes) {
        runs.push(run);
        run = [];
      }
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** People's names by shape, with their roles. */
function findPeople(sentence: string): Mention[] {
  const out: Mention[] = [];
  const list = tokens(sentence);
  for (const run of nameRuns(list)) {
    // "Institute for Responsible Statecraft", "Center for the National Interest": the tail of a longer name.
    const at = list.indexOf(run[0]!);
    const before = list.slice(Math.max(0, at - 3), at).map((t) => t.core);
    if (/^(?:for|of|on)$/.test(before[before.length - 1] ?? '') || (before[before.length - 1] === 'the' && /^(?:for|of)$/.test(before[before.length - 2] ?? ''))) {
      const owner = before[before.length - (before[before.length - 1] === 'the' ? 3 : 2)];
      if (owner && /^\p{Lu}/u.test(owner) && !isTitleWord(owner)) continue;
    }
    if (ORGANISATION_WORD.test(run.map((t) => t.core).join(' '))) continue;
    let first = 0;
    while (first < run.length - 1 && (isTitleWord(run[first]!.core) || isRoleWord(run[first]!.core))) first++;
    const words = run.slice(first);
    if (words.length === 1 && first > 0 && !isTitleWord(words[0]!.core) && isHonorific(run[first - 1]!.core)) {
      // "Minister Chung", "Mr. Moon": a titled single name, resolved later against the article's people.
      const { core: text, start, end } = words[0]!;
      out.push({ text, sentence, start, end, role: roleBefore(sentence, start, isFullPersonName) });
      continue;
    }
    const found = longestName(words);
    if (found) {
      const text = found.map((t) => t.core).join(' ');
      const start = found[0]!.start;
      const end = found[found.length - 1]!.end;
      out.push({ text, kind: 'person', sentence, start, end, role: roleBefore(sentence, start, isFullPersonName) ?? roleAfter(sentence, end) });
    }
  }
  return out;
}

/**
 * The first full name in a run, the longest at its start: "Moon Jae-in" of
 * "Moon Jae-in Tuesday", "Rafael Grossi" of "IAEA Director General Rafael Grossi".
 */
function longestName(words: Token[]): Token[] | undefined {
  for (let start = 0; start + 1 < words.length; start++) {
    for (let last = Math.min(words.length, start + 4); last >= start + 2; last--) {
      // A name cut short must stop at a word that cannot go on a name ("… Tuesday"), not inside a longer
      // capitalised phrase that is no name ("Annual Gala" of "Annual Gala Dinner").
      if (last < words.length && !endsName(words[last]!.core)) continue;
      const name = words.slice(start, last);
      if (isFullPersonName(name.map((t) => t.core).join(' '))) return name;
    }
  }
  return undefined;
}

/** "Minister Chung", "Mr. Moon", "President Yoon": a title that makes a lone word a person's name. */
function isHonorific(word: string): boolean {
  return /^(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|Gov|Amb|Prof|President|Minister|Secretary|Chairman|Chairwoman|Ambassador|Envoy|Leader|General|Senator|Representative|Governor|Mayor|Premier|Director|Commissioner)\.?$/u.test(word);
}

/** Organisation names run on over "for"/"of" ("Quincy Institute for Responsible Statecraft"). */
const CONNECTED_NAME = /^(?:\s+(?:for|of)(?:\s+the)?(?:\s+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)[A-Z][\p{L}’'-]*)+)/u;
/**
 * Capitalised words joined by "of", "for", "to" (and "and" before a last
 * word): "Organization for Economic Cooperation and Development". A
 * possessive ends a run ("Seoul’s"), so the owner stays out of the name.
 */
const CAP = String.raw`(?:(?:People|Women|Workers|Children|Veterans|Citizens)['’]s?|[A-Z][\p{L}.-]*(?:['’](?!s\b)[\p{L}]+)*)`;
const ORGANISATION_RUN = new RegExp(String.raw`${CAP}(?:\s+(?:(?:of|for|to)\s+(?:the\s+)?)?${CAP})*(?:\s+and\s+(?!The\b)${CAP}(?:\s+${CAP})?(?![\s-]+\p{L}))?`, 'gu');
/** Venues and buildings: places, not organisations or people ("Marriott Hotel", "Busan Cinema Center"). */
const PLACE_WORD = /\b(?:Hotel|Palace|Stadium|Square|Airport|Bridge|Tower|Station|Cemetery|Museum|Church|Temple|Cinema|Hall|Building|Village|Island|Hill|Mountain)\b/u;
/** A weekday or month run onto a name ("… General Assembly on Tuesday"). */
const TRAILING_DATE = /\s+(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/u;
const CAPITALISED_RUN = /(?:[A-Z][\p{L}’'.-]*)(?:\s+(?:[A-Z][\p{L}’'.-]*))*/gu;

export function findMentions(sentence: string): Mention[] {
  const people = findPeople(sentence);
  const spans: Mention[] = [...people];
  const free = (start: number, end: number) => !spans.some((s) => start < s.end && end > s.start);
  const take = (start: number, length: number, kind?: EntityKind) => {
    let end = start + length;
    while (end < sentence.length && /[\p{L}-]/u.test(sentence[end]!) && /[\p{L}-]/u.test(sentence[end - 1]!)) end++;
    const more = kind === 'organisation' ? CONNECTED_NAME.exec(sentence.slice(end)) : undefined;
    if (more) end += more[0].length;
    const text = cleanName(sentence.slice(start, end));
    if (text && free(start, end)) spans.push({ text, kind, sentence, start, end });
  };
  // Runs that say they are organisations come first: "New York Post" is not the place "New York";
  // "Ministry of Patriots and Veterans Affairs" is one name, "Seoul’s Unification Ministry" is the ministry.
  for (const run of sentence.matchAll(ORGANISATION_RUN)) {
    if (!ORGANISATION_WORD.test(run[0]) || PLACE_WORD.test(run[0])) continue;
    let start = run.index!;
    let text = run[0].replace(TRAILING_DATE, '');
    // "Annual Gala Dinner of the Korea Society", "Head of Cambridge University": the organisation is after "of".
    const joint = /\s(?:of|for)\s(?:the\s)?/u.exec(text);
    if (joint && !ORGANISATION_WORD.test(text.slice(0, joint.index))) {
      start += joint.index + joint[0].length;
      text = text.slice(joint.index + joint[0].length);
    }
    take(start, text.length, 'organisation');
  }
  for (const run of sentence.matchAll(CAPITALISED_RUN)) take(run.index!, run[0].length);
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * "Chairman Kim Jong-un," → "Kim Jong-un". Undefined for what is not a name:
 * a bare title, a lower-case word ("Trump administration"), a compound
 * adjective ("US-ROK alliance") or a span running over a sentence end.
 */
function cleanName(raw: string): string | undefined {
  let text = raw
    .replace(/\s*\(.*$/u, '')
    .replace(/^[\s"“”'‘’(—–-]+|[\s"“”'‘’),.;:!?—–-]+$/gu, '')
    .replace(/['’]s$/u, '')
    .replace(/^The\s+(?=\p{Lu})/u, '')
    .replace(/^(?!(?:People|Women|Workers|Children|Veterans|Citizens)['’])\p{Lu}[\p{L}.]*['’]s\s+(?=\p{Lu})/u, '')
    .replace(TRAILING_DATE, '')
    .replace(/^[\p{L}.]+-(?:led|backed|based)\s+/u, '');
  text = stripHonorifics(text);
  if (text.length < 2 || /[.!?]["”’]?\s/u.test(text) || /^(?:US|U\.S\.|UN|U\.N\.)[-–]/u.test(text)) return undefined;
  const words = text.split(/\s+/);
  if (!words.every((w, i) => /^[\p{Lu}\p{Lo}\d]/u.test(w) || (i > 0 && CONNECTORS.has(w)))) return undefined;
  if (words.every(isTitleWord)) return undefined;
  return text;
}

const CONNECTORS = new Set(['for', 'of', 'on', 'the', 'and', 'de']);
