/**
 * Which feed items belong in a bot about the Korean peace process.
 *
 * An item is relevant when its title or opening text mentions one of the
 * default topic keywords (Korea and the peace process, in English and
 * Korean) or a known entity name (people and organisations from the
 * knowledge base). A feed's `about` keywords narrow that further: the item
 * must then also mention one of them.
 *
 * Keywords in scripts with spaces (Latin, Cyrillic...) match at word
 * starts, case-insensitively: `ROK` does not match "broker", `коре*` does
 * not match "скорее". A trailing `*` allows any ending (`korea*` matches
 * "Korean", "Koreas"); without it the keyword must end at a word boundary.
 * An admin's `about` keywords may use `*` the same way.
 * Korean, Japanese and Chinese keywords match anywhere, since particles
 * attach to words (`북한은`, `판문점에서`).
 */

export const DEFAULT_TOPIC_KEYWORDS: readonly string[] = [
  'korea*',
  'dprk',
  'rok',
  'pyongyang',
  'seoul',
  'panmunjom',
  'kaesong',
  'armistice',
  'dmz',
  'demilitarized zone',
  'demilitarised zone',
  'inter-korean',
  'kim jong un',
  'kim jong-un',
  'kim yo jong',
  'kim yo-jong',
  'moon jae-in',
  'moon jae in',
  'yoon suk yeol',
  'lee jae-myung',
  'lee jae myung',
  'denucleari*',
  'peace treaty',
  'peace process',
  'reunification',
  'unification ministry',
  'ministry of unification',
  'korean war',
  'yongbyon',
  'punggye-ri',
  'sohae',
  'hwasong',
  'northern limit line',
  'six-party talks',
  'singapore summit',
  'hanoi summit',
  'sunshine policy',
  '한국',
  '북한',
  '남북',
  '조선',
  '평양',
  '판문점',
  '휴전',
  '정전',
  '비핵화',
  '통일',
  '개성',
  '김정은',
  'коре*',
  'кндр',
  'пхеньян*',
  'панмунджом*',
  '北朝鮮',
  '韓国',
  '朝鮮',
  '板門店',
];

/** How much of an item is read: the title and the opening of the text. */
const SCANNED_CHARACTERS = 1500;

export interface RelevanceInput {
  title: string;
  paragraphs: readonly string[];
}

export type RelevanceTest = (item: RelevanceInput) => boolean;

/** Scripts written without spaces between words: keywords match anywhere. */
const UNSPACED = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const wordEdge = (ch: string) => WORD_CHARACTER.test(ch) && !UNSPACED.test(ch);

function keywordPattern(keyword: string): string | undefined {
  let word = keyword.trim().toLowerCase();
  if (!word) return undefined;
  const openEnded = word.endsWith('*');
  if (openEnded) word = word.slice(0, -1);
  // Spaces and hyphens are interchangeable: "Kim Jong Un" matches "Kim Jong-un".
  const escaped = word
    .split(/[\s-]+/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\-]+');
  const start = wordEdge(word[0]!) ? '(?<![\\p{L}\\p{N}])' : '';
  const end = !openEnded && wordEdge(word[word.length - 1]!) ? '(?![\\p{L}\\p{N}])' : '';
  return `${start}${escaped}${end}`;
}

function compile(keywords: readonly string[]): RegExp | undefined {
  const patterns = keywords.map(keywordPattern).filter((p): p is string => p !== undefined);
  return patterns.length === 0 ? undefined : new RegExp(patterns.join('|'), 'iu');
}

/** `about:"sanctions, summit"` → ["sanctions", "summit"]; without commas each word is a keyword. */
export function parseAbout(about: string | undefined): string[] {
  if (!about) return [];
  const parts = about.includes(',') ? about.split(',') : about.split(/\s+/);
  return [...new Set(parts.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0 && p.length <= 60))].slice(0, 20);
}

export function createRelevanceTest(options: { entityNames?: readonly string[]; about?: readonly string[] } = {}): RelevanceTest {
  // Entity names are whole names (no `*`); very short ones would match too much.
  const entities = (options.entityNames ?? []).map((n) => n.replace(/\*/g, '')).filter((n) => n.trim().length >= 3);
  const topic = compile([...DEFAULT_TOPIC_KEYWORDS, ...entities]);
  const narrowing = compile(options.about ?? []);
  return (item) => {
    const text = `${item.title}\n${item.paragraphs.join('\n')}`.slice(0, SCANNED_CHARACTERS);
    if (!topic || !topic.test(text)) return false;
    return narrowing === undefined || narrowing.test(text);
  };
}
