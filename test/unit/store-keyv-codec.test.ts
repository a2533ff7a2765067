import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { fastDeserialize, fastSerialize, type Deserialize, type Serialize } from '../../src/store/keyv-codec.ts';

// keyv's own functions: what is already on disk was written by them.
const keyv = new Keyv();
const keyvSerialize = keyv.serialize as Serialize;
const keyvDeserialize = keyv.deserialize as Deserialize;
const serialize = fastSerialize(keyvSerialize);
const deserialize = fastDeserialize(keyvDeserialize);

const values: unknown[] = [
  { value: { marks: { i0123456789abcdef: 1717200000000, tfedcba9876543210: 1717200000001 } }, expires: 1733000000000 },
  { value: { id: 'a1', name: 'Yonhap "English"', about: [], enabled: true, etag: '"f1-v0"', nested: { list: [1, null, 'x'] } }, expires: undefined },
  { value: { title: ':starts with a colon', list: [':also', 'fine:', '::two'] } },
  { value: { ':key': 'value with a key starting with a colon' } },
  { value: 'a string with \\":"quotes" and colons' },
  { value: ':top-level colon' },
  { value: { buffer: Buffer.from('bytes') } },
  { value: { date: new Date('2024-06-01T00:00:00Z'), missing: undefined, text: '한국 판문점 \u2028 \\' } },
  { value: [1, 2, { a: 'b' }] },
  { value: null },
];

describe('store: keyv serialization, faster', () => {
  it('writes exactly what keyv itself writes', async () => {
    for (const value of values) expect(await serialize(value)).toBe(await keyvSerialize(value));
  });

  it('reads back what keyv reads back, escaped colons and buffers included', async () => {
    for (const value of values) {
      const text = await keyvSerialize(value);
      expect(deserialize(text)).toEqual(keyvDeserialize(text));
    }
  });
});
