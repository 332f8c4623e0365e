/**
 * Share of current values outside the reference's range: #{x < reference min or x > reference max} / n, over
 * the n current values (missing ones already removed). The range is closed, so a value equal to the minimum or
 * maximum is in range. In [0, 1]; 0 when the current sample lies within the reference range. Two binary searches
 * on the sorted current values, O(log n).
 *
 * Reference: Evidently's "share of out-of-range values" data-quality test (values outside [min, max] of the
 * reference); numpy: np.mean((x < reference.min()) | (x > reference.max())).
 *
 * @example outOfRangeShare(Float64Array.of(-1, 0, 5, 10, 11), 0, 10) // => 0.4
 */
export function outOfRangeShare(
  sortedCurrent: Float64Array,
  referenceMin: number,
  referenceMax: number,
): number {
  const n = sortedCurrent.length;
  if (n === 0) throw new RangeError('outOfRangeShare requires at least one current value');
  if (!(referenceMin <= referenceMax)) throw new RangeError('outOfRangeShare requires reference min <= max');
  const below = firstIndex(sortedCurrent, (x) => x >= referenceMin);
  const atOrBelowMax = firstIndex(sortedCurrent, (x) => x > referenceMax);
  return (below + (n - atOrBelowMax)) / n;
}

/** Index of the first element satisfying `after` (which holds on a suffix of the sorted array), n if none. */
function firstIndex(sorted: Float64Array, after: (x: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(sorted[middle]!)) high = middle;
    else low = middle + 1;
  }
  return low;
}
