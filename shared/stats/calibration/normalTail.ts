/** Standard normal tail probabilities for the calibration tests. */
import incompleteGamma from '@stdlib/math-base-special-gammainc';

/**
 * Two-sided p-value of a standard normal statistic, P(|Z| >= |z|) = 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2),
 * evaluated as Q(1/2, z^2 / 2), the regularised upper incomplete gamma function (z^2 is chi-squared with one
 * degree of freedom). Computed as a tail, not 1 - cdf, so tiny p-values keep their relative precision
 * (within 1e-13 of scipy up to z = 37, where the p-value reaches the bottom of the double range; 0 beyond).
 *
 * Reference: Abramowitz & Stegun (1964), 6.5.17 and 26.2.30; equals 2 * scipy.stats.norm.sf(abs(z)).
 *
 * @example twoSidedNormalPValue(1.959963984540054) // => 0.05000000000000003
 */
export function twoSidedNormalPValue(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('twoSidedNormalPValue requires a number');
  const halfSquare = (z * z) / 2;
  // Beyond |z| ~ 1e154 z^2 overflows; the tail underflowed to 0 long before (|z| > 38.5).
  return halfSquare === Infinity ? 0 : incompleteGamma(halfSquare, 0.5, true, true);
}
