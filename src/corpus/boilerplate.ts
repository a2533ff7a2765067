/**
 * What a web page wraps around an article: one named pattern per kind of
 * boilerplate line. A new outlet's boilerplate is one more entry here.
 *
 * Every pattern matches a WHOLE line (after trimming), never part of one, so
 * a rule can drop a line but never cut a sentence out of the article.
 */
export interface BoilerplateRule {
  name: string;
  pattern: RegExp;
  /**
   * The line just before a match is a caption when it is short: a photo
   * credit line ends the caption it belongs to.
   */
  dropsCaptionAbove?: boolean;
}

export const BOILERPLATE_RULES: readonly BoilerplateRule[] = [
  // A stray HTML comment of an analytics snippet: `!-- Google tag (gtag.js) -->`.
  { name: 'tracking-tag', pattern: /^<?!--.*-->$/ },
  { name: 'tag-archive-header', pattern: /^(Tag|Category) Archives?:/i },
  // WordPress comment form.
  { name: 'comment-prompt', pattern: /^(Be the first to comment|Leave a Reply|Leave a Comment)\.?$/i },
  { name: 'comment-form-notice', pattern: /^Your email address will not be published\b.*$/i },
  { name: 'popular-widget-header', pattern: /^(Popular|Most Popular|Trending)$/i },
  // `"swipe left below to view more authors"Swipe →` and the like: short carousel prompts.
  { name: 'swipe-widget', pattern: /^["“]?swipe (left|right|up)\b.{0,80}$|^Swipe\s*[→←]?$/i },
  // A video or other link on a line of its own: the page embedded it.
  { name: 'bare-link', pattern: /^https?:\/\/\S+$/ },
  { name: 'related-link', pattern: /^\[(RELATED|READ MORE|SEE ALSO)\b.*\]$/i },
  { name: 'photo-credit', pattern: /^(SOURCE|PHOTO|CREDIT|IMAGE)\s*:(?=.{0,120}$).*\b(IMAGES?|PHOTOS?|GETTY|AP|REUTERS|AFP|SHUTTERSTOCK)\b.*$/i, dropsCaptionAbove: true },
  { name: 'copyright-notice', pattern: /^(Copyright|©)\s*(©\s*)?\d{4}\b.*$/i },
  { name: 'archive-notice', pattern: /^This is an archived article\b.*$/i },
  // A date on a line of its own is the page's dateline; articles.yaml holds the date.
  {
    name: 'dateline',
    pattern:
      /^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$/,
  },
];

/** A caption is one short line; longer lines above a credit are article text. */
export const MAX_CAPTION_LENGTH = 200;

/** The name of the rule a line falls under, or undefined for article text. */
export function boilerplateRuleFor(line: string): BoilerplateRule | undefined {
  const trimmed = line.trim();
  return BOILERPLATE_RULES.find((rule) => rule.pattern.test(trimmed));
}
