/**
 * keyv's own serialization format, written and read faster.
 *
 * keyv (through @keyv/serialize) stores `{ value, expires }` as JSON in which
 * a string starting with ':' is escaped with one more ':' and a Buffer is a
 * `":base64:…"` string. It builds that JSON by string concatenation and reads
 * it back with a JSON.parse reviver, a JS call per value: on a feed poll round
 * those two were a third of the store's cost.
 *
 * For plain JSON data — everything the bot stores — the format is exactly
 * what the native JSON.stringify writes, unless some string starts with ':'
 * or a Buffer is inside; and reading needs the reviver only if such a string
 * is in the text. Both are recognisable in compact JSON: a string value or
 * key starting with ':' shows as `":` right after `{`, `[`, `,` or `:` (a
 * quote inside a string is always escaped as `\"`). Those rare values go
 * through keyv's own functions, so what is on disk never changes.
 */

export type Serialize = (data: unknown) => string | Promise<string>;
export type Deserialize = (text: string) => unknown;

/** A string (value or key) starting with ':' somewhere in compact JSON. */
const COLON_STRING = /[[{,:]":/;
/** How JSON.stringify writes a Buffer (keyv writes base64 instead). */
const BUFFER_JSON = '"type":"Buffer","data":[';

export function fastSerialize(fallback: Serialize): Serialize {
  return (data) => {
    const text = JSON.stringify(data);
    if (typeof text !== 'string' || COLON_STRING.test(text) || text.includes(BUFFER_JSON)) return fallback(data);
    return text;
  };
}

export function fastDeserialize(fallback: Deserialize): Deserialize {
  return (text) => (COLON_STRING.test(text) ? fallback(text) : JSON.parse(text));
}
