/**
 * Bounds of the first Wasserstein distance W1 = integral |F_R(x) - F_C(x)| dx from bin counts alone.
 *
 * Bins are [t_i, t_{i+1}) with t = (low, e_0, ..., e_{B-1}, high): the inner bins between edges, the outer ones
 * closed at `low` and `high` (the reference minimum and maximum). On bin i the CDFs are monotone with F_R in
 * [R_{i-1}, R_i] and F_C in [C_{i-1}, C_i] (cumulative shares at the edges, 0 below the first, 1 above the last;
 * see binnedKolmogorovSmirnov), so with width w_i = t_{i+1} - t_i:
 *   lower = sum_i w_i max(0, R_{i-1} - C_i, C_{i-1} - R_i)     (the gap between the two ranges)
 *   upper = sum_i w_i max(R_i - C_{i-1}, C_i - R_{i-1})          (the widest difference the ranges allow)
 * Both are sharp per bin. `lower` holds for any samples: the outer bins add 0 to it (both ranges contain 0 below
 * the first edge and 1 above the last). `upper` holds when the current values lie within [low, high]; current values
 * outside the reference range make the distance larger than any bound the counts can give (they are not seen).
 *
 * Reference: Ramdas, Garcia & Cuturi (2017), "On Wasserstein two-sample testing and related families of
 * nonparametric tests", Entropy 19(2) (W1 as the L1 distance of the CDFs).
 *
 * @example binnedWasserstein(Float64Array.of(1), [1, 1], [0, 2], 0, 2) // => { lower: 0, upper: 1.5 }
 */
import { cumulativeShares } from './cumulativeShares.js';

export interface WassersteinBounds {
  lower: number;
  upper: number;
}

export function binnedWasserstein(
  edges: Float64Array,
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  low: number,
  high: number,
): WassersteinBounds {
  const bins = edges.length + 1;
  if (referenceCounts.length !== bins || currentCounts.length !== bins)
    throw new RangeError('binnedWasserstein requires one count per bin in both samples');
  if (!(low <= (edges[0] ?? high) && high >= (edges[edges.length - 1] ?? low)))
    throw new RangeError('binnedWasserstein requires low <= every edge <= high');
  const r = cumulativeShares(referenceCounts, 'binnedWasserstein');
  const c = cumulativeShares(currentCounts, 'binnedWasserstein');
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < bins; i++) {
    const width = (i === bins - 1 ? high : edges[i]!) - (i === 0 ? low : edges[i - 1]!);
    const belowR = r[i - 1] ?? 0;
    const belowC = c[i - 1] ?? 0;
    lower += width * Math.max(0, belowR - c[i]!, belowC - r[i]!);
    upper += width * Math.max(r[i]! - belowC, c[i]! - belowR);
  }
  return { lower, upper };
}
