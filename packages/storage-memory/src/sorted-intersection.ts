/**
 * The values in both ascending lists, ascending. Each value of `small` is binary-searched in `large` from
 * the previous hit on, so the cost is O(small × log large): cheap when one posting list is rare.
 */
export const intersectSorted = (small: ArrayLike<number>, large: ArrayLike<number>): number[] => {
  const both: number[] = [];
  let low = 0;
  for (let i = 0; i < small.length; i++) {
    const value = small[i]!;
    let high = large.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (large[mid]! < value) low = mid + 1;
      else high = mid;
    }
    if (low === large.length) break;
    if (large[low] === value) both.push(value);
  }
  return both;
};
