/**
 * A numeric feature's fine bins: the fine bins of its non-missing reference values (quantile edges at k/1000, as a
 * prediction baseline's; fineBins.ts) with the reference range as two more edges, its minimum and the next double
 * above its maximum. With left-closed bins the first bin is then exactly x < min and the last exactly x > max, so
 * the share of a binned window outside the reference range is exact (binnedOutOfRangeShare), and every other
 * statistic reads the bins as before (the PSI edges are still among the fine edges). The minimum is not added when
 * it is already the first edge (ties at the minimum); the new outer bins hold no reference value.
 *
 * @example withRangeEdges({ edges: Float64Array.of(2, 3), referenceCounts: [1, 1, 2] }, 1, 4)
 * // => { edges: Float64Array [1, 2, 3, 4.000000000000001], referenceCounts: [0, 1, 1, 2, 0] }
 */
import type { FineBins } from '../drift/baselineSummary.js';

export function withRangeEdges(fine: FineBins, min: number, max: number): FineBins {
  const { edges, referenceCounts } = fine;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max))
    throw new RangeError('withRangeEdges requires a finite reference range, min <= max');
  if (referenceCounts.length !== edges.length + 1)
    throw new RangeError('withRangeEdges requires one reference count per fine bin');
  if (edges.length > 0 && !(min <= edges[0]! && edges[edges.length - 1]! <= max))
    throw new RangeError('withRangeEdges requires the fine edges within [min, max]');
  const addMin = edges.length === 0 || edges[0]! > min;
  const above = nextDoubleUp(max);
  return {
    edges: Float64Array.from([...(addMin ? [min] : []), ...edges, above]),
    referenceCounts: [...(addMin ? [0] : []), ...referenceCounts, 0],
  };
}

/** The smallest double greater than x (finite x): numpy's nextafter(x, inf), Java's Math.nextUp. */
export function nextDoubleUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
