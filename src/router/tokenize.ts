/**
 * Splits a command line into words and `name:value` pairs. Values may be
 * quoted: `about:"peace treaty"`. Quotes around bare words group them too.
 */
export interface Token {
  /** Set for `name:value` tokens. */
  name?: string;
  value: string;
}

const OPTION_NAME = /^([a-z][a-z0-9_-]{0,31}):(.*)$/i;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let raw = '';
    let quoted = false;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === '"' || ch === '“' || ch === '”') {
        const close = ch === '“' ? '”' : ch;
        const end = text.indexOf(close, i + 1);
        if (end === -1) {
          raw += text.slice(i + 1);
          i = text.length;
        } else {
          raw += text.slice(i + 1, end);
          i = end + 1;
        }
        quoted = true;
      } else {
        raw += ch;
        i++;
      }
    }
    const named = quoted && !raw.includes(':') ? null : OPTION_NAME.exec(raw);
    // URLs (`https://...`) look like `name:value`; only a name followed by
    // something other than `//` counts as an option.
    if (named && !named[2]!.startsWith('//')) tokens.push({ name: named[1]!.toLowerCase(), value: named[2]! });
    else tokens.push({ value: raw });
  }
  return tokens;
}
