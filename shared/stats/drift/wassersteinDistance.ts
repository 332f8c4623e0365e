/**
 * First Wasserstein (earth mover's) distance between two samples, from their sorted values:
 * W1 = integral |F_R(x) - F_C(x)| dx = sum_k |F_R(x_k) - F_C(x_k)| (x_{k+1} - x_k) over the sorted pooled values,
 * with right-continuous empirical CDFs. One merge pass, O(n + m); compensated (Neumaier) summation keeps the
 * result within a few ulps of the exact sum for millions of values.
 *
 * Reference: Ramdas, Garcia & Cuturi (2017), "On Wasserstein two-sample testing and related families of
 * nonparametric tests", Entropy 19(2); equals scipy.stats.wasserstein_distance(R, C) (`_cdf_distance`, p = 1).
 *
 * @example wassersteinDistance(Float64Array.of(0, 1, 2), Float64Array.of(1, 2, 3)) // => 1
 */
export function wassersteinDistance(sortedReference: Float64Array, sortedCurrent: Float64Array): number {
  const m = sortedReference.length;
  const n = sortedCurrent.length;
  if (m === 0 || n === 0) throw new RangeError('wassersteinDistance requires non-empty samples');
  let i = 0;
  let j = 0;
  let sum = 0;
  let compensation = 0;
  let x = Math.min(sortedReference[0]!, sortedCurrent[0]!);
  while (i < m || j < n) {
    while (i < m && sortedReference[i]! <= x) i++;
    while (j < n && sortedCurrent[j]! <= x) j++;
    if (i === m && j === n) break;
    const next = Math.min(i < m ? sortedReference[i]! : Infinity, j < n ? sortedCurrent[j]! : Infinity);
    const term = Math.abs(i / m - j / n) * (next - x);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    x = next;
  }
  return sum + compensation;
}
