/**
 * Quantile of an ascending-sorted sample with linear interpolation between order statistics, computed exactly
 * as numpy's default (`np.quantile(x, q, method='linear')`, Hyndman & Fan 1996 type 7):
 * h = (n - 1) q, j = floor(h), g = h - j, Q(q) = x[j] + g (x[j+1] - x[j]), evaluated as numpy's `_lerp` does
 * (from the upper point when g >= 0.5) so that results agree to the last bit.
 *
 * Reference: Hyndman, R. J. & Fan, Y. (1996), "Sample quantiles in statistical packages", The American
 * Statistician 50(4); numpy `lib/_function_base_impl.py` (`_quantile`, `_lerp`).
 *
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5) // => 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted requires at least one data point');
  if (!(q >= 0 && q <= 1)) throw new RangeError('quantileSorted requires q in [0, 1]');
  const virtualIndex = (n - 1) * q;
  const below = Math.floor(virtualIndex);
  const above = Math.min(below + 1, n - 1);
  const gamma = virtualIndex - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}
