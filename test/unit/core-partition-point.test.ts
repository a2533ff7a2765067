import { describe, expect, it } from 'vitest';
import { partitionPoint } from '../../src/core/partition-point.ts';

describe('partitionPoint', () => {
  it('finds where a value goes in a sorted list: before its equals, after them, at either end', () => {
    const sorted = [1, 3, 3, 3, 7, 9];
    expect(partitionPoint(sorted.length, (i) => sorted[i]! < 3)).toBe(1);
    expect(partitionPoint(sorted.length, (i) => sorted[i]! <= 3)).toBe(4);
    expect(partitionPoint(sorted.length, (i) => sorted[i]! < 0)).toBe(0);
    expect(partitionPoint(sorted.length, (i) => sorted[i]! < 10)).toBe(6);
    expect(partitionPoint(0, () => true)).toBe(0);
  });
});
