import nlp from 'compromise';
import { nameKey } from './normalize.ts';
import { isTitleNoun } from './roles.ts';

/**
 * What makes a run of capitalised words a person's full name, and where a
 * Korean name's surname is (first: Yoon Suk Yeol → Yoon, Kim Yo Jong → Kim).
 */

/** Romanised Korean surnames common in the news, as keys. */
const KOREAN_SURNAMES = new Set(
  [
    'kim', 'lee', 'yi', 'rhee', 'ri', 'park', 'pak', 'choi', 'choe', 'jung', 'chung', 'jeong', 'kang', 'cho', 'jo', 'yoon',
    'yun', 'jang', 'chang', 'lim', 'im', 'han', 'oh', 'seo', 'suh', 'shin', 'kwon', 'hwang', 'ahn', 'an', 'song', 'yoo', 'yu',
    'hong', 'jeon', 'chun', 'ko', 'koh', 'moon', 'mun', 'yang', 'son', 'bae', 'baek', 'paik', 'heo', 'hur', 'nam', 'noh',
    'roh', 'ro', 'ha', 'ban', 'won', 'woo', 'chu', 'choo', 'ryu', 'yoo', 'min', 'ju', 'joo', 'byun', 'um', 'eom', 'cha', 'na',
    'gil', 'kil', 'do', 'jin', 'ok', 'tak', 'pyo', 'hyun', 'hyon', 'sohn', 'so', 'wi', 'pae', 'chae',
  ],
);

/** A romanised Korean syllable, written as a word of its own ("Suk", "Yeol", "Jong"). */
const SYLLABLE = /^[A-Z][a-z]{1,4}$/;
/** A hyphenated given name ("Eui-yong", "Jae-in", "Jong-un", "Suk-yeol"). */
const HYPHENATED_GIVEN = /^[A-Z][a-z]{1,4}-[A-Za-z][a-z]{1,4}$/;

/**
 * The surname of a name written in Korean order, or undefined for a name in
 * Western order ("Sung Kim", "Antony Blinken"): the first word is a Korean
 * surname and the given name follows as one hyphenated word or two syllables.
 */
export function koreanSurname(name: string): string | undefined {
  const words = name.trim().split(/\s+/);
  if (words.length < 2 || words.length > 3 || !KOREAN_SURNAMES.has(nameKey(words[0]!))) return undefined;
  const given = words.slice(1);
  const korean = given.length === 1 ? HYPHENATED_GIVEN.test(given[0]!) : given.every((w) => SYLLABLE.test(w));
  return korean ? words[0] : undefined;
}

/** A person's surname: Korean order when the name is Korean, else the last word. */
export function personSurname(name: string): string {
  const words = name.trim().split(/\s+/);
  return koreanSurname(name) ?? words[words.length - 1]!;
}

/** Words that are never part of a person's name, though capitalised. */
const NOT_NAME_WORDS = new Set(
  [
    'korea', 'korean', 'koreans', 'north', 'south', 'east', 'west', 'asia', 'asian', 'pacific', 'united', 'states', 'nations',
    'american', 'america', 'china', 'chinese', 'japan', 'japanese', 'russia', 'russian', 'seoul', 'pyongyang', 'washington',
    'beijing', 'tokyo', 'moscow', 'panmunjom', 'dmz', 'peninsula', 'war', 'peace', 'armistice', 'day', 'summit', 'treaty',
    'declaration', 'agreement', 'accord', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august',
    'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday',
    'sunday', 'the', 'this', 'that', 'these', 'those', 'it', 'its', 'he', 'she', 'they', 'we', 'i', 'but', 'and', 'or', 'in',
    'on', 'at', 'for', 'of', 'to', 'as', 'if', 'when', 'while', 'after', 'before', 'earlier', 'later', 'last', 'next', 'news',
    'agency', 'ministry', 'institute', 'center', 'centre', 'council', 'committee', 'party', 'command', 'forces', 'army',
    'office', 'house', 'congress', 'senate', 'assembly', 'government', 'university', 'foundation', 'times', 'post',
    'herald', 'daily', 'press', 'reuters', 'yonhap', 'kcna', 'nato', 'g7', 'g20', 'covid',
    'republic', 'democratic', 'people', 'peoples', 'kingdom', 'island', 'islands', 'sea', 'river', 'mount', 'city',
    'province', 'county', 'state', 'street', 'hall', 'zone', 'line', 'front', 'olympics', 'olympic', 'games', 'cup',
    'minister', 'president', 'secretary', 'leader', 'chairman', 'general', 'ambassador', 'envoy', 'senator', 'representative',
    'foreign', 'defense', 'defence', 'unification', 'prime', 'vice', 'deputy', 'special', 'national', 'security', 'adviser',
    'advisor', 'spokesperson', 'spokesman', 'spokeswoman', 'director', 'chief', 'commander', 'official', 'mr', 'mrs', 'ms',
    'dr', 'gen', 'lt', 'col', 'sen', 'rep', 'gov', 'kim', 'lee', 'park', 'moon', 'christ', 'god', 'buddha', 'internet',
    'twitter', 'facebook', 'youtube', 'google', 'covid19', 'coronavirus', 'lord', 'sir',
    // Cities and countries the Korea news names ("a speech in New York" made "New York" a person).
    'new', 'york', 'london', 'paris', 'geneva', 'singapore', 'hanoi', 'vietnam', 'brussels', 'berlin', 'stockholm',
    'ulaanbaatar', 'mongolia', 'vladivostok', 'busan', 'incheon', 'gyeonggi', 'kaesong', 'sinuiju', 'wonsan', 'britain',
    'france', 'germany', 'india', 'canada', 'australia', 'sweden', 'switzerland', 'europe', 'european', 'zealand', 'delhi',
  ].map(nameKey),
);

/** Korean surnames may stand first in a name even though they are on the list above. */
const SURNAMES_ALLOWED_FIRST = new Set(['kim', 'lee', 'park', 'moon']);

/**
 * Whether the words make a person's full name: two to four name-shaped words
 * ("Antony Blinken", "Patrick J. Smith", "Chung Eui-yong", "Kim Yo Jong"),
 * none of them a place, title, month or common word, not ending in an initial.
 */
export function isFullPersonName(name: string): boolean {
  const words = name.trim().split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  if (/^\p{Lu}\.?$/u.test(words[words.length - 1]!) || ORGANISATION_WORD.test(name)) return false;
  // A Korean name, or one opening with a known first name ("Lindsey Ford"), is a name whatever its other words mean.
  // "Regarding Pope Francis", "According Trump": a participle opening a sentence is no first name.
  if (/^\p{Lu}\p{Ll}{3,}ing$/u.test(words[0]!) && !isFirstName(words[0]!)) return false;
  if (PLACE_NAME_WORD.test(name) || words.some(isTitleNoun)) return false;
  const trusted = koreanSurname(name) !== undefined || isFirstName(words[0]!);
  if (!trusted && words.some((w, i) => !/\./.test(w) && notAName(w, i === 0))) return false;
  // "Annual Gala Dinner": no first name anywhere and a common noun last is a thing, not a person.
  if (!trusted && !words.some(isFirstName) && isCommonNoun(words[words.length - 1]!)) return false;
  return words.every((word, i) => {
    if (/^\p{Lu}\.$/u.test(word)) return i > 0;
    if (!/^\p{Lu}[\p{Ll}’'`]+(?:-\p{L}[\p{Ll}’']*)?$/u.test(word) && !/^(?:Mc|Mac|O['’]|De|Di|La|Le)\p{Lu}\p{Ll}+$/u.test(word)) return false;
    const key = nameKey(word);
    if (!NOT_NAME_WORDS.has(key)) return true;
    return SURNAMES_ALLOWED_FIRST.has(key) && (i === 0 || i === words.length - 1);
  });
}

/** Venues ("Marriott Hotel") are places, not people. */
const PLACE_NAME_WORD = /\b(?:Hotel|Palace|Stadium|Square|Airport|Bridge|Tower|Station|Cemetery|Museum|Church|Temple|Cinema|Hall|Building|Mission|Embassy)\b/u;

/** Words that make a name an organisation's ("… Institute", "… Ministry", "… Times"). */
export const ORGANISATION_WORD =
  /\b(?:Institute|Institution|Center|Centre|Council|Committee|Commission|Ministry|Department|Agency|Party|Command|Forces|Army|Navy|Association|Foundation|University|Office|Assembly|Union|Alliance|Organization|Organisation|Bank|Corporation|Group|Network|Coalition|Federation|Society|Fund|Program|Programme|Service|Bureau|Court|Parliament|Congress|Senate|Times|Post|Herald|News|Daily|Journal|Tribune|Mission|Embassy|Delegation|Secretariat|Solidarity|Academy|Forum|Movement|Appeal)\b/u;

/** A word after which a name can stop: one that is never part of a name ("Tuesday", "Korea", "said"). */
export function endsName(word: string): boolean {
  return NOT_NAME_WORDS.has(nameKey(word)) || isTitleNoun(word) || notAName(word, true);
}

/** compromise's dictionary: what an English word is when it is not a name. */
const LEXICON = (nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon;
/** Kinds of words that never make part of a person's name ("Although Trump", "Both Moon", "Women Cross"). */
const NEVER_NAMES = new Set([
  'Determiner', 'Condition', 'Conjunction', 'QuestionWord', 'Preposition', 'Adverb', 'Pronoun', 'Modal', 'Copula',
  'Auxiliary', 'Negative', 'Superlative', 'Comparative', 'Plural', 'Demonym', 'Cardinal', 'PresentTense', 'PastTense', 'Ordinal', 'Month', 'WeekDay', 'Date', 'Expression',
]);

function isFirstName(word: string): boolean {
  const tags = LEXICON[word.toLowerCase()];
  return tags !== undefined && (Array.isArray(tags) ? tags : [tags]).some((tag) => /^(?:FirstName|MaleName|FemaleName)$/.test(tag));
}

function isCommonNoun(word: string): boolean {
  const tags = LEXICON[word.toLowerCase()];
  return tags !== undefined && (Array.isArray(tags) ? tags : [tags]).some((tag) => /^(?:Singular|Noun|Uncountable)$/.test(tag));
}

/** Places that are also surnames ("John Bolton") name a person unless they come first ("California Democrat"). */
const PLACES = new Set(['Region', 'Country', 'City', 'Place']);

function notAName(word: string, first: boolean): boolean {
  const tags = LEXICON[word.toLowerCase()];
  if (tags === undefined) return false;
  return (Array.isArray(tags) ? tags : [tags]).some((tag) => NEVER_NAMES.has(tag) || (first && PLACES.has(tag)));
}
