import { describe, expect, it } from 'vitest';
import { createHeapCheck, type HeapFigures } from '../../src/ops/heap-watch.ts';

const MB = 2 ** 20;

describe('the heap watch', () => {
  it('warns once when the heap passes 80 % of its limit, with the limit to raise it to, and again only after it fell below 70 %', () => {
    const warnings: Array<{ details: object; message: string }> = [];
    let figures: HeapFigures = { used: 300 * MB, limit: 1024 * MB };
    const check = createHeapCheck({ warn: (details, message) => warnings.push({ details, message }) }, () => figures);

    expect(check()).toBe(false);
    figures = { used: 850 * MB, limit: 1024 * MB };
    expect(check()).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.details).toEqual({ heapUsedMb: 850, heapLimitMb: 1024 });
    expect(warnings[0]!.message).toContain('the heap holds 850 MB of its 1024 MB limit');
    expect(warnings[0]!.message).toContain('node --max-old-space-size=2048 bin/armistice.mjs start');

    figures = { used: 760 * MB, limit: 1024 * MB }; // garbage collected, still above 70 %
    expect(check()).toBe(false);
    figures = { used: 900 * MB, limit: 1024 * MB };
    expect(check()).toBe(false);
    figures = { used: 500 * MB, limit: 1024 * MB };
    expect(check()).toBe(false);
    figures = { used: 830 * MB, limit: 1024 * MB };
    expect(check()).toBe(true);
    expect(warnings).toHaveLength(2);
  });
});
