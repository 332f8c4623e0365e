/**
 * Bounds of outOfRangeShare (the share of current values below the reference minimum or above its maximum) from
 * counts in bins [t_i, t_{i+1}), t = (-inf, e_0, ..., e_{B-1}, +inf), left-closed as the fine bins are:
 *   lower = (sum of c_i over bins wholly outside [min, max]: t_{i+1} <= min or t_i > max) / n
 *   upper = (sum of c_i over bins holding some double outside it: t_i < min or t_{i+1} > nextUp(max)) / n
 * with n the total count. A numeric feature's fine bins have min and nextUp(max) among their edges
 * (rangeFineBins.ts), so the two agree and the share is exact: numpy's
 * np.mean((x < reference.min()) | (x > reference.max())) on the values counted, as outOfRangeShare computes.
 *
 * @example binnedOutOfRangeShare(Float64Array.of(0, 5, 10.000000000000002), [1, 2, 1, 0], 0, 10)
 * // => { lower: 0.25, upper: 0.25 }
 */
import { nextDoubleUp } from './rangeFineBins.js';

export interface OutOfRangeBounds {
  lower: number;
  upper: number;
}

export function binnedOutOfRangeShare(
  edges: Float64Array,
  counts: ArrayLike<number>,
  referenceMin: number,
  referenceMax: number,
): OutOfRangeBounds {
  if (counts.length !== edges.length + 1)
    throw new RangeError('binnedOutOfRangeShare requires one count per bin');
  if (!(referenceMin <= referenceMax))
    throw new RangeError('binnedOutOfRangeShare requires reference min <= max');
  const above = nextDoubleUp(referenceMax);
  let n = 0;
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    const low = i === 0 ? -Infinity : edges[i - 1]!;
    const high = i === edges.length ? Infinity : edges[i]!;
    n += count;
    if (high <= referenceMin || low > referenceMax) lower += count;
    if (low < referenceMin || high > above) upper += count;
  }
  if (!(n > 0)) throw new RangeError('binnedOutOfRangeShare requires at least one current value');
  return { lower: lower / n, upper: upper / n };
}
