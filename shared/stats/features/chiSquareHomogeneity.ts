/**
 * Pearson's chi-squared test of homogeneity of two histograms over the same buckets: are the reference counts
 * r_k and the current counts c_k draws from one distribution? The 2 x K table's buckets empty in both are
 * dropped; with row totals m = sum r_k, n = sum c_k, column totals t_k = r_k + c_k and N = m + n, the expected
 * counts are E_rk = m t_k / N and E_ck = n t_k / N, and
 *   X^2 = sum_k (r_k - E_rk)^2 / E_rk + (c_k - E_ck)^2 / E_ck,   dof = K - 1,
 *   p = P(chi2_dof >= X^2) = Q(dof / 2, X^2 / 2), the regularised upper incomplete gamma function (a tail, not
 *   1 - cdf, so small p-values keep their relative precision).
 * No continuity correction. With one bucket (K = 1, dof = 0) X^2 = 0 and p = 1, as scipy reports. The terms are
 * summed in numpy's order (reference row, then current row), so X^2 matches scipy to the last bit or two.
 *
 * Reference: Pearson, K. (1900), Philosophical Magazine 50(302); equals
 * `scipy.stats.chi2_contingency([r, c], correction=False)` (statistic, dof, pvalue).
 *
 * @example chiSquareHomogeneity([30, 20], [20, 30])
 * // => { statistic: 4, degreesOfFreedom: 1, pValue: 0.04550026389635841 } (scipy: 0.04550026389635857)
 */
import incompleteGamma from '@stdlib/math-base-special-gammainc';
import { numpySum } from '../uplift/numpySum.js';

export interface ChiSquareTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

export function chiSquareHomogeneity(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareTest {
  const length = referenceCounts.length;
  if (length === 0 || length !== currentCounts.length) {
    throw new RangeError('chiSquareHomogeneity requires the same non-zero number of buckets in both samples');
  }
  let m = 0;
  let n = 0;
  let buckets = 0;
  for (let k = 0; k < length; k++) {
    const r = referenceCounts[k]!;
    const c = currentCounts[k]!;
    if (!(r >= 0 && c >= 0)) throw new RangeError('chiSquareHomogeneity requires non-negative counts');
    m += r;
    n += c;
    if (r + c > 0) buckets++;
  }
  if (!(m > 0 && n > 0)) throw new RangeError('chiSquareHomogeneity requires non-empty samples');
  const degreesOfFreedom = buckets - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom, pValue: 1 };
  const total = m + n;
  const terms = new Float64Array(2 * buckets);
  for (let k = 0, j = 0; k < length; k++) {
    const r = referenceCounts[k]!;
    const c = currentCounts[k]!;
    const column = r + c;
    if (column === 0) continue;
    const expectedReference = (m * column) / total;
    const expectedCurrent = (n * column) / total;
    terms[j] = square(r - expectedReference) / expectedReference;
    terms[buckets + j] = square(c - expectedCurrent) / expectedCurrent;
    j++;
  }
  const statistic = numpySum(terms);
  return {
    statistic,
    degreesOfFreedom,
    pValue: incompleteGamma(statistic / 2, degreesOfFreedom / 2, true, true),
  };
}

/** x * x, which numpy's `** 2` computes. */
function square(x: number): number {
  return x * x;
}
