/**
 * Reference-quantile bins shared by PSI and Jensen-Shannon.
 *
 * Edges are the unique values of the reference quantiles at k/B, k = 1..B-1 (numpy linear interpolation);
 * bin i of a value x is the number of edges <= x, so bins are left-closed, the first and last bins are open
 * (-inf, e_1) and [e_last, +inf), and a current value outside the reference range is still counted.
 * This is `np.searchsorted(edges, x, side='right')`, the convention of quantile PSI (mwburke's psi.py with
 * open outer bins; see ../shared/reference/stats-references.md 1.1 and 5.1).
 *
 * @example quantileEdges(Float64Array.of(1, 2, 3, 4, 5), 4) // => Float64Array [2, 3, 4]
 */
import { quantileSorted } from '../quantileSorted.js';

export const DEFAULT_BIN_COUNT = 10;

export function quantileEdges(sortedReference: Float64Array, binCount = DEFAULT_BIN_COUNT): Float64Array {
  if (!Number.isInteger(binCount) || binCount < 2)
    throw new RangeError('quantileEdges requires at least 2 bins');
  const edges: number[] = [];
  for (let k = 1; k < binCount; k++) edges.push(quantileSorted(sortedReference, k / binCount));
  edges.sort((a, b) => a - b);
  return Float64Array.from(edges.filter((edge, i) => i === 0 || edge !== edges[i - 1]));
}

/**
 * Counts of an ascending-sorted sample in the bins defined by `edges` (edges.length + 1 bins), by binary search
 * on each edge: O(B log n), no pass over the sample.
 *
 * @example binCountsSorted(Float64Array.of(1, 2, 2, 5), Float64Array.of(2, 4)) // => [1, 2, 1]
 */
export function binCountsSorted(sorted: Float64Array, edges: Float64Array): number[] {
  const counts: number[] = [];
  let previous = 0;
  for (const edge of edges) {
    const below = lowerBound(sorted, edge); // values < edge fall left of it
    counts.push(below - previous);
    previous = below;
  }
  counts.push(sorted.length - previous);
  return counts;
}

/** Index of the first element >= value (values < value come before it). */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
