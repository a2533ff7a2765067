/**
 * Which feed items belong in a bot about the Korean peace process and the
 * two Koreas. An item is relevant on real evidence in its title or opening
 * (the title and the first OPENING_CHARACTERS of its text):
 *
 * 1. a term that names the Korean question itself — North Korea, Pyongyang,
 *    Panmunjom, inter-Korean, the Korean War, Kim Jong Un, denuclearisation…
 *    (TOPIC_TERMS): enough alone;
 * 2. a word naming Korea — Korea, Korean, Seoul, ROK, DMZ, 한국… (KOREA_WORDS) —
 *    together with a word of state affairs — president, military, talks,
 *    sanctions, election, armistice… (STATE_WORDS): Korea as a state, not as
 *    a market, a football team, a concert venue or a stock index;
 * 3. the full name of a person or organisation the knowledge base ties to
 *    Korea (koreaEvidenceNames): "Kwon Jong Gun", "KCNA", never a bare
 *    surname ("Kim"), a generic place alias ("Demilitarized Zone") or a name
 *    Korea has no claim on ("Donald Trump", "Congress", "UN").
 *
 * Words that are not Korean by themselves (armistice, demilitarized zone,
 * peace, reunification, summit) are only state words: a WWI Armistice Day,
 * a Ukrainian demilitarised zone or the Middle East peace process is not
 * about Korea. "DMZ" alone names Korea's. bench/relevance-quality.ts measures all this on a labelled set
 * of real feed items.
 *
 * A feed's `about` keywords narrow that further: the item must then also
 * mention one of them.
 *
 * Keywords in scripts with spaces (Latin, Cyrillic...) match at word
 * starts, case-insensitively: `ROK` does not match "broker", `коре*` does
 * not match "скорее". A trailing `*` allows any ending (`korea*` matches
 * "Korean", "Koreas"); without it the keyword must end at a word boundary.
 * An admin's `about` keywords may use `*` the same way.
 * Korean, Japanese and Chinese keywords match anywhere, since particles
 * attach to words (`북한은`, `판문점에서`); they are chosen long enough not to
 * hide inside unrelated words (`개성공단`, not `개성`, "individuality").
 */

/** Terms that are about the Korean question on their own. */
export const TOPIC_TERMS: readonly string[] = [
  'north korea*',
  'koreas',
  'dprk',
  'pyongyang',
  'panmunjom',
  'panmunjeom',
  'kaesong',
  'inter-korean',
  'korean war',
  'korean peninsula',
  'korean armistice',
  'military armistice commission',
  'kim jong un',
  'kim yo jong',
  'kim il sung',
  'kim jong il',
  'moon jae-in',
  'yoon suk yeol',
  'lee jae-myung',
  'denucleari*',
  'yongbyon',
  'punggye-ri',
  'sohae',
  'hwasong',
  'northern limit line',
  'six-party talks',
  'unification ministry',
  'ministry of unification',
  'sunshine policy',
  '북한',
  '남북',
  '평양',
  '판문점',
  '김정은',
  '비핵화',
  '개성공단',
  '정전협정',
  '휴전선',
  '통일부',
  '한반도',
  'кндр',
  'пхеньян*',
  'панмунджом*',
  '北朝鮮',
  '朝鲜',
  '板門店',
  '金正恩',
  '朝鮮半島',
];

/** Words naming Korea: evidence only next to a word of state affairs. */
export const KOREA_WORDS: readonly string[] = ['korea*', 'seoul', 'rok', 'dmz', '한국', '대한민국', '서울', 'коре*', '韓国', '韩国', 'ソウル', '首尔'];

/** Words of state affairs: what makes a mention of Korea news about the two Koreas. */
export const STATE_WORDS: readonly string[] = [
  'president*',
  'government',
  'minister*',
  'ministry',
  'military',
  'army',
  'troops',
  'soldier*',
  'forces',
  'defense',
  'defence',
  'war',
  'wartime',
  'nuclear',
  'missile*',
  'sanction*',
  'summit*',
  'talks',
  'diplomat*',
  'envoy*',
  'ambassador*',
  'alliance',
  'allies',
  'border',
  'election*',
  'impeach*',
  'parliament*',
  'national assembly',
  'lawmaker*',
  'martial law',
  'treaty',
  'peace',
  'ceasefire',
  'truce',
  'armistice',
  'demilitarized zone',
  'demilitarised zone',
  'veteran*',
  'spy',
  'regime',
  'leader*',
  'unification',
  'reunification',
  'provocation*',
  'drills',
  'defector*',
  'human rights',
  'forced labor',
  'forced labour',
  'comfort women',
  'colonial',
  '대통령',
  '정부',
  '국방',
  '군사',
  '외교',
  '미사일',
  '국회',
  '탄핵',
  '선거',
  '장관',
  'президент*',
  'переговор*',
  'войн*',
  'ракет*',
  'войск*',
  'санкци*',
  'саммит*',
  'ミサイル',
  '大統領',
  '政府',
  '首脳',
  '导弹',
  '总统',
  '峰会',
];

/** How much of an item is read: the title and the opening of the text. */
const OPENING_CHARACTERS = 600;

export interface RelevanceInput {
  title: string;
  paragraphs: readonly string[];
}

export type RelevanceTest = (item: RelevanceInput) => boolean;

/** Scripts written without spaces between words: keywords match anywhere. */
const UNSPACED = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const wordEdge = (ch: string) => WORD_CHARACTER.test(ch) && !UNSPACED.test(ch);

function keywordPattern(keyword: string, caseSensitive = false): string | undefined {
  let word = keyword.trim();
  if (!caseSensitive) word = word.toLowerCase();
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

function compile(keywords: readonly string[], caseSensitive = false): RegExp | undefined {
  const patterns = keywords.map((k) => keywordPattern(k, caseSensitive)).filter((p): p is string => p !== undefined);
  return patterns.length === 0 ? undefined : new RegExp(patterns.join('|'), caseSensitive ? 'u' : 'iu');
}

// Compiled on first use, not at import: building these Unicode patterns costs
// tens of ms, and a process that only answers commands never needs them.
let fixed: { TOPIC: RegExp; KOREA: RegExp; STATE: RegExp } | undefined;
const fixedPatterns = () => (fixed ??= { TOPIC: compile(TOPIC_TERMS)!, KOREA: compile(KOREA_WORDS)!, STATE: compile(STATE_WORDS)! });

/** `about:"sanctions, summit"` → ["sanctions", "summit"]; without commas each word is a keyword. */
export function parseAbout(about: string | undefined): string[] {
  if (!about) return [];
  const parts = about.includes(',') ? about.split(',') : about.split(/\s+/);
  return [...new Set(parts.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0 && p.length <= 60))].slice(0, 20);
}

/**
 * `entityNames` are trusted as evidence as they are (whole names, matched
 * case-sensitively: a proper noun is capitalised); the composition root
 * passes koreaEvidenceNames of the knowledge base.
 */
export function createRelevanceTest(options: { entityNames?: readonly string[]; about?: readonly string[] } = {}): RelevanceTest {
  const names = compile((options.entityNames ?? []).map((n) => n.replace(/\*/g, '')).filter((n) => n.trim().length >= 3), true);
  const narrowing = compile(options.about ?? []);
  const { TOPIC, KOREA, STATE } = fixedPatterns();
  return (item) => {
    const text = opening(item);
    const evidence = TOPIC.test(text) || (KOREA.test(text) && STATE.test(text)) || (names !== undefined && names.test(text));
    return evidence && (narrowing === undefined || narrowing.test(text));
  };
}

/** The title and the first OPENING_CHARACTERS of the text, without joining more paragraphs than needed. */
function opening(item: RelevanceInput): string {
  let text = item.title;
  let left = OPENING_CHARACTERS;
  for (const paragraph of item.paragraphs) {
    if (left <= 0) break;
    text += `\n${paragraph.length > left ? paragraph.slice(0, left) : paragraph}`;
    left -= paragraph.length;
  }
  return text;
}

/** The parts of a knowledge-base entity the evidence rule reads (src/knowledge's Entity has them). */
export interface EntityEvidence {
  name: string;
  kind: string;
  surname?: string;
  roles: ReadonlyArray<{ title: string }>;
  aliases: ReadonlyArray<{ name: string; ambiguous?: boolean }>;
}

/**
 * The names of the knowledge base that show an item is about Korea. An
 * entity counts when it is a person or organisation that its own name, an
 * alias or a role ties to Korea ("Kwon Jong Gun", North Korean diplomat;
 * "Korean Central News Agency"), not one that merely appears in Korea news
 * ("Donald Trump", President of the United States). Places are left to
 * TOPIC_TERMS: their Korean names are there already and their other aliases
 * are generic ("Demilitarized Zone", "Washington"). Of its names, only
 * unambiguous ones: not marked ambiguous, not its bare surname, a person's
 * Latin-script name of at least two words, at least four characters
 * (three-letter acronyms like KPA or UNC name many things), Hangul or Han
 * names of at least three characters (국군 hides inside 미국군).
 */
export function koreaEvidenceNames(entities: readonly EntityEvidence[]): string[] {
  const names = new Set<string>();
  const { TOPIC, KOREA } = fixedPatterns();
  for (const entity of entities) {
    if (entity.kind !== 'person' && entity.kind !== 'organisation') continue;
    const candidates = [entity.name, ...entity.aliases.filter((a) => !a.ambiguous).map((a) => a.name)];
    const tied = [...candidates, ...entity.roles.map((r) => r.title)].some((text) => TOPIC.test(text) || KOREA.test(text));
    if (!tied) continue;
    for (const name of candidates) if (distinctive(name, entity)) names.add(name);
  }
  return [...names];
}

function distinctive(name: string, entity: EntityEvidence): boolean {
  const trimmed = name.trim();
  if (trimmed === entity.surname) return false;
  if (UNSPACED.test(trimmed)) return [...trimmed.replace(/\s/g, '')].length >= 3;
  if (trimmed.length < 4) return false;
  return entity.kind !== 'person' || trimmed.split(/\s+/).length >= 2;
}
