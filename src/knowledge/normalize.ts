/**
 * How names are compared: people type "kim jong un", "Kim Jong-Un",
 * "KimJongUn" or "Kím Jong-un" and mean the same person.
 */

/**
 * The comparison key of a name: diacritics dropped, lower case, and only
 * letters and digits kept (spaces, hyphens, dots and apostrophes vanish).
 * Hangul survives: NFD splits syllables into jamo, NFC puts them back.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Words that come before a name and are not part of it ("South Korean
 * President Moon", "Secretary of State Pompeo", "Mr. Moon"). Compared as keys.
 */
const TITLE_WORDS = new Set(
  [
    'president', 'vice', 'chairman', 'chairwoman', 'chair', 'mr', 'mrs', 'ms', 'miss', 'dr', 'doctor',
    'prof', 'professor', 'rep', 'representative', 'congressman', 'congresswoman', 'sen', 'senator',
    'secretary', 'deputy', 'state', 'of', 'minister', 'foreign', 'prime', 'leader', 'supreme', 'general',
    'gen', 'lt', 'colonel', 'col', 'adviser', 'advisor', 'national', 'security', 'ambassador', 'envoy',
    'special', 'chief', 'negotiator', 'the', 'former', 'us', 'american', 'south', 'north', 'korean',
    'dprk', 'rok', 'comrade', 'marshal', 'diplomat', 'founder', 'sister', 'senior', 'retired', 'officer',
  ].map(nameKey),
);

/** Titles of address, which precede a name but never begin one ("Chairman Kim", "sister Kim Yo Jong"). */
const HONORIFICS = new Set(
  [
    'president', 'chairman', 'chairwoman', 'mr', 'mrs', 'ms', 'dr', 'prof', 'professor', 'rep', 'representative',
    'congressman', 'congresswoman', 'sen', 'senator', 'secretary', 'minister', 'leader', 'general', 'gen',
    'ambassador', 'envoy', 'comrade', 'marshal', 'sister', 'brother',
  ].map(nameKey),
);

/** The name without leading titles of address ("President Donald Trump" → "Donald Trump"); unlike stripTitles, "North Korea" stays whole. */
export function stripHonorifics(name: string): string {
  const words = name.trim().split(/\s+/);
  let start = 0;
  while (start < words.length - 1 && HONORIFICS.has(nameKey(words[start]!))) start++;
  return words.slice(start).join(' ');
}

/**
 * The name without leading titles and a trailing possessive
 * ("President Moon's" → "Moon"); undefined when there was nothing to strip.
 * At least one word always remains.
 */
export function stripTitles(name: string): string | undefined {
  const words = name.trim().replace(/['’]s$/u, '').split(/\s+/).filter(Boolean);
  let start = 0;
  while (start < words.length - 1 && TITLE_WORDS.has(nameKey(words[start]!))) start++;
  const stripped = words.slice(start).join(' ');
  return stripped !== name.trim() ? stripped : undefined;
}

/** True for a word that is only a title ("President", "Mr."): alone, it names no one. */
export function isTitleWord(word: string): boolean {
  return TITLE_WORDS.has(nameKey(word));
}

/** The words of a text as keys, for keyword matching ("Peace treaty!" → ["peace", "treaty"]). */
export function keywordKeys(text: string): string[] {
  return text
    .split(/[\s,;:!?()"“”]+/u)
    .map(nameKey)
    .filter((w) => w.length > 0);
}

/**
 * Levenshtein distance, giving up (returning max + 1) as soon as it must
 * exceed `max`: the fuzzy fallback compares against thousands of keys.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
