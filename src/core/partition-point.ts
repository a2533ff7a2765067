/**
 * Binary search over anything sorted: the first index in [0, count) for
 * which `before(index)` is false, given that every index for which it holds
 * comes first (`count` when it holds for all). With `before` meaning "sorts
 * before x" that is where x goes; with "sorts before or equal", just after
 * its equals.
 */
export function partitionPoint(count: number, before: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}
