import { describe, expect, it } from 'vitest';
import { quoted } from '../../src/reply/quoted.ts';

describe('GIVEN a sentence quoted from an article', () => {
  it('THEN it is put in quotation marks', () => {
    expect(quoted('The armistice was signed on July 27, 1953.')).toBe('“The armistice was signed on July 27, 1953.”');
  });

  it('THEN quotation marks inside it become single ones, so a sentence opening with a quote never shows ““', () => {
    expect(quoted('“We will never give up,” Kim said.')).toBe('“‘We will never give up,’ Kim said.”');
    expect(quoted('Moon called it "a new era" of peace.')).toBe('“Moon called it ‘a new era’ of peace.”');
  });

  it('THEN a text already wholly in quotation marks keeps its own', () => {
    expect(quoted(' “An interesting and an admirable idea.” ')).toBe('“An interesting and an admirable idea.”');
  });
});
