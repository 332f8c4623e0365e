/**
 * Probability of a PSI at least this large under no drift: the chi-squared survival function
 * p = Q((B - 1)/2, PSI * nm/(n+m) / 2), the regularised upper incomplete gamma function, with B - 1 degrees
 * of freedom for B bins, n current and m reference values (see psiNullQuantile for why).
 * Computed directly as the upper tail (no 1 - cdf), so tiny p-values keep their relative precision.
 *
 * Reference: Yurdakul, B. (2018), "Statistical properties of population stability index"; equals
 * scipy.stats.chi2.sf(psi * n * m / (n + m), B - 1).
 *
 * @example psiPValue(0.1, 10, 1000, 1000) // => 1.0772382022574712e-7, scipy.stats.chi2.sf(50, 9)
 */
import incompleteGamma from '@stdlib/math-base-special-gammainc';

export function psiPValue(psi: number, bins: number, currentSize: number, referenceSize: number): number {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError('psiPValue requires at least 2 bins');
  if (!(currentSize > 0 && referenceSize > 0))
    throw new RangeError('psiPValue requires positive sample sizes');
  if (!(psi >= 0)) throw new RangeError('psiPValue requires a non-negative PSI');
  const statistic = (psi * currentSize * referenceSize) / (currentSize + referenceSize);
  return incompleteGamma(statistic / 2, (bins - 1) / 2, true, true);
}
