/**
 * The role an article gives a person, in the two ways news writes it: a
 * title before the name ("Foreign Minister Chung Eui-yong", "U.S. Secretary
 * of State Antony Blinken", "North Korean leader Kim Jong Un") and an
 * appositive after it ("Chung Eui-yong, South Korea's foreign minister,").
 * Roles come out in one form: nationality first, title in lower case
 * ("South Korean foreign minister", "US secretary of state").
 */

/** Nouns that make a phrase a role. */
const TITLE_NOUNS = new Set([
  'president', 'minister', 'secretary', 'secretary-general', 'leader', 'chairman', 'chairwoman', 'chair', 'spokesperson',
  'spokesman', 'spokeswoman', 'envoy', 'representative', 'ambassador', 'adviser', 'advisor', 'director', 'director-general',
  'chief', 'head', 'commander', 'general', 'senator', 'congressman', 'congresswoman', 'lawmaker', 'governor', 'mayor',
  'professor', 'analyst', 'fellow', 'researcher', 'scholar', 'official', 'diplomat', 'negotiator', 'sister', 'brother',
  'wife', 'daughter', 'son', 'founder', 'co-founder', 'editor', 'correspondent', 'premier', 'king', 'pope', 'emperor',
  'speaker', 'lawyer', 'activist', 'coordinator', 'commissioner', 'administrator', 'strategist', 'economist', 'expert',
  'premier', 'candidate', 'nominee', 'member', 'vice-chairman', 'dictator', 'ruler', 'chancellor', 'president-elect',
  'soldier', 'veteran', 'journalist', 'reporter', 'historian', 'writer', 'author', 'student', 'survivor', 'defector',
  'pastor', 'priest', 'monk', 'attorney', 'judge', 'prosecutor', 'secretary-general', 'ceo', 'chairperson',
]);

/** Words allowed inside a role phrase besides title nouns and proper nouns. */
const ROLE_WORDS = new Set([
  'foreign', 'defense', 'defence', 'unification', 'vice', 'deputy', 'first', 'prime', 'special', 'national', 'security',
  'senior', 'former', 'chief', 'top', 'supreme', 'state', 'of', 'for', 'the', 'on', 'policy', 'affairs', 'executive',
  'press', 'general', 'assistant', 'principal', 'acting', 'then', 'current', 'nuclear', 'north', 'south', 'korean',
  'korea', 'military', 'joint', 'chiefs', 'staff', 'trade', 'finance', 'interior', 'justice', 'research', 'program',
  'programme', 'studies', 'visiting', 'associate', 'nonresident', 'non-resident', 'party', 'ruling', 'opposition',
  'presidential', 'intelligence', 'human', 'rights', 'democratic', 'republican', 'conservative', 'liberal', 'progressive',
  'younger', 'older', 'elder', 'powerful', 'influential', 'longtime', 'retired', 'deceased', 'late', 'war', 'to', 'new', 'incoming', 'outgoing',
  'second', 'third', 'high-ranking', 'at', 'and', 'public', 'international', 'relations', 'director', 'managing',
]);

/** Adjectives dropped from a role: they judge rather than name it. */
const EVALUATIVE = new Set(['powerful', 'influential', 'longtime', 'then', 'current', 'deceased', 'late']);

/** A place's possessive or adjective → the nationality a role is written with. */
const NATIONALITY: Array<[RegExp, string]> = [
  [/\b(?:U\.S\.|US|United States['’]s?|American|America['’]s|Washington['’]s)(?=\s|$)/gu, 'US'],
  [/\b(?:South Korea['’]s|South Korean|Seoul['’]s|ROK)(?=\s|$)|\bSouth Korea(?=\s+\p{Ll})/gu, 'South Korean'],
  [/\b(?:North Korea['’]s|North Korean|Pyongyang['’]s|DPRK)(?=\s|$)|\bNorth Korea(?=\s+\p{Ll})/gu, 'North Korean'],
  [/\b(?:China['’]s|Chinese|Beijing['’]s)(?=\s|$)/gu, 'Chinese'],
  [/\b(?:Japan['’]s|Japanese|Tokyo['’]s)(?=\s|$)/gu, 'Japanese'],
  [/\b(?:Russia['’]s|Russian|Moscow['’]s)(?=\s|$)/gu, 'Russian'],
  [/\b(?:U\.N\.|UN|United Nations['’]?)(?=\s|$)/gu, 'UN'],
  [/\b(?:British|Britain['’]s|U\.K\.|UK)(?=\s|$)/gu, 'British'],
];
const NATIONALITY_NAMES = new Set(['US', 'South', 'North', 'Korean', 'Chinese', 'Japanese', 'Russian', 'UN', 'British']);

/**
 * A role written just before a name: the words before `nameStart` that are
 * all role words or proper nouns and include a title noun.
 */
export function roleBefore(sentence: string, nameStart: number, isPersonName: (words: string) => boolean = () => false): string | undefined {
  const before = sentence.slice(0, nameStart).replace(/\s+$/u, '');
  // "Minister of Foreign Affairs of South Korea, Chung Eui-yong said …": the role opens the sentence.
  const opening = /^([^,;:]{3,90}),$/u.exec(before);
  if (opening) return roleBefore(`${opening[1]} `, opening[1]!.length + 1, isPersonName);
  const words = before.split(/\s+/);
  // "… Programme Dr. John Nilsson-Wright": a title of address between the role and the name.
  let end = words.length;
  while (end > 0 && /^(?:Dr|Mr|Mrs|Ms|Prof)\.?$/.test(words[end - 1]!)) end--;
  let first = end;
  for (let i = end - 1; i >= 0 && end - i <= 14; i--) {
    const word = words[i]!;
    if (/[,;:()"“”]$/.test(word) || /^[,;:()"“”]/.test(word)) break;
    if (!isRoleToken(word)) break;
    first = i;
  }
  let phrase = words.slice(first, end);
  // "President Moon Jae-in and U.S. President Joe Biden": another person's name and "and" end the role before it.
  const and = phrase.lastIndexOf('and');
  if (and > 0 && [2, 3].some((n) => and - n >= 0 && isPersonName(phrase.slice(and - n, and).join(' ')))) phrase = phrase.slice(and + 1);
  // "sister of North Korean leader Kim Jong Un": the role of the name is what follows the last "of" that
  // still leaves a title ("Secretary of State Antony Blinken" keeps its "of").
  const lastOf = phrase.map((w) => w.toLowerCase()).lastIndexOf('of');
  if (lastOf >= 0 && phrase.slice(lastOf + 1).some((w) => TITLE_NOUNS.has(bare(w)))) phrase = phrase.slice(lastOf + 1);
  // The phrase must not start with a connector ("of", "the") left dangling.
  while (phrase.length > 0 && /^(?:of|for|on|at|and|the|to)$/i.test(phrase[0]!)) phrase = phrase.slice(1);
  // A title, then only its complement ("Ambassador to the US", "Head of … Programme"), right before the name.
  const head = phrase.map((w) => TITLE_NOUNS.has(bare(w))).lastIndexOf(true);
  if (head < 0) return undefined;
  const complement = phrase.slice(head + 1);
  if (!complement.every((w) => /^(?:of|for|to|the|and|on)$/i.test(w) || /^\p{Lu}/u.test(w))) return undefined;
  if (complement.length > 0 && !/^(?:of|for|to|on)$/i.test(complement[0]!)) return undefined;
  return normalizeRole(phrase.join(' '));
}

/** The appositive after a name (", South Korea's foreign minister,"): a role phrase up to the next comma or period. */
export function roleAfter(sentence: string, nameEnd: number): string | undefined {
  const match = /^\s*,\s+((?:the|a|an)\s+)?([^,;:()“”"]{3,90}?)(?=\s*(?:,|;|\.(?:\s|$)|$|\s+(?:and|who|said|says|told)\b))/iu.exec(sentence.slice(nameEnd));
  if (!match) return undefined;
  const phrase = match[2]!.trim();
  const words = phrase.split(/\s+/);
  if (words.length > 10) return undefined;
  // A phrase that starts with a verb or a clause word is not a role.
  if (/^(?:who|which|that|said|says|told|was|is|has|had|will|would|and|but)$/i.test(words[0]!)) return undefined;
  // The title noun comes first among lower-case words, before any "of"/"at" complement.
  const head = words.findIndex((w) => TITLE_NOUNS.has(bare(w)));
  if (head < 0) return undefined;
  const lead = words.slice(0, head);
  if (!lead.every(isRoleToken)) return undefined;
  return normalizeRole(phrase);
}

/** "U.S. Secretary of State" → "US secretary of state"; undefined without a title noun. */
export function normalizeRole(raw: string): string | undefined {
  let text = raw.trim().replace(/^(?:the|a|an)\s+/i, '');
  if (text === '') return undefined;
  for (const [pattern, nationality] of NATIONALITY) text = text.replace(pattern, nationality);
  const words = text.split(/\s+/).filter((w) => !EVALUATIVE.has(w.toLowerCase()));
  if (!words.some((w) => TITLE_NOUNS.has(bare(w)))) return undefined;
  const out = words.map((w) => (NATIONALITY_NAMES.has(w) || !isLowerable(w) ? w : w.toLowerCase()));
  const role = out.join(' ').replace(/\s+/g, ' ').trim();
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** A role phrase's words lower-case unless they are a proper noun that is not a title word. */
function isLowerable(word: string): boolean {
  const key = bare(word);
  if (/^(?:korea|korean|north|south)$/.test(key)) return false;
  return TITLE_NOUNS.has(key) || ROLE_WORDS.has(key) || /^\p{Ll}/u.test(word);
}

/** A noun that names an office or a relation ("Governor", "minister", "sister"): never part of a person's name. */
export function isTitleNoun(word: string): boolean {
  return TITLE_NOUNS.has(bare(word));
}

/** A word of a title ("Defense", "Secretary", "Vice"): stripped from the front of a name. */
export function isRoleWord(word: string): boolean {
  const key = bare(word);
  return TITLE_NOUNS.has(key) || (ROLE_WORDS.has(key) && !/^(?:of|for|the|on|at|and|new)$/.test(key));
}

/** Capitalised at a sentence start but never part of a title. */
const NOT_ROLE = new Set(['in', 'on', 'at', 'when', 'after', 'before', 'earlier', 'later', 'meanwhile', 'but', 'as', 'while', 'since', 'during', 'with', 'by', 'from', 'said', 'says', 'met', 'told']);

function isRoleToken(word: string): boolean {
  const key = bare(word);
  if (NOT_ROLE.has(key) && key !== 'of') return false;
  if (TITLE_NOUNS.has(key) || ROLE_WORDS.has(key)) return true;
  // Nationalities and possessives of places or organisations ("U.S.", "South Korea's", "Stimson Center's").
  return /^(?:U\.S\.|U\.N\.|U\.K\.|US|UN|UK|EU|ROK|DPRK)$/.test(word) || /^\p{Lu}[\p{L}.-]*(?:['’]s?)?$/u.test(word);
}

function bare(word: string): string {
  return word.toLowerCase().replace(/['’]s$/u, '').replace(/[^\p{L}-]/gu, '');
}

/**
 * Of the roles an article gives one person, the most specific ones: a role
 * whose words all appear in another ("Foreign minister" within "South Korean
 * foreign minister") is dropped.
 */
export function mostSpecificRoles(roles: readonly string[]): string[] {
  const unique = [...new Set(roles)];
  const words = (r: string) => new Set(r.toLowerCase().split(/\s+/));
  return unique.filter((role) => {
    const mine = words(role);
    return !unique.some((other) => other !== role && other.length > role.length && [...mine].every((w) => words(other).has(w)));
  });
}
