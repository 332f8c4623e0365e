/**
 * Sample ratio mismatch (SRM): is a campaign's split of units between treatment and control the split it planned?
 * Pearson's chi-squared goodness-of-fit test of the observed arms (n_t, n_c) against the expected
 * (N s, N (1 - s)), N = n_t + n_c and s the planned treatment share, with 1 degree of freedom:
 *   X^2 = (n_t - N s)^2 / (N s) + (n_c - N (1 - s))^2 / (N (1 - s)) = (n_t - N s)^2 / (N s (1 - s)),
 *   p = P(chi2_1 >= X^2) = erfc(sqrt(X^2 / 2)),
 * evaluated as Q(1/2, X^2 / 2), the regularised upper incomplete gamma function, directly as a tail (no 1 - cdf),
 * with n_t - N s formed exactly (double-double), so p-values down to ~1e-300 keep their relative precision
 * (within 1e-12 of the exact value). Below the smallest normal double (2.2250738585072014e-308, X^2 > ~1410)
 * the p-value is reported as 0: an imbalance that large is certain, and subnormals carry no precision.
 * The one-term form gives exactly 1 for an exact match (n_t = N s). A small p-value means the assignment or
 * the per-arm logging is broken, and the campaign's realized lift cannot be trusted.
 *
 * Reference: Fabijan et al. (2019), "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD;
 * equals scipy.stats.chisquare([n_t, n_c], [N * s, N * (1 - s)]).pvalue (scipy's two terms round N s, so
 * it may differ by 3e-12 relative near 1e-300, and leaves 1 - 2e-15 for some exact matches).
 *
 * @example srmPValue(5100, 4900, 0.5) // => 0.04550026389635841 (scipy: 0.04550026389635857)
 */
import incompleteGamma from '@stdlib/math-base-special-gammainc';
import { dd, ddAddNumber, ddMulNumber, ddNeg } from '../drift/doubleDouble.js';

/** The smallest normal double: below it a p-value has lost its precision, and is reported as 0. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

export function srmPValue(
  treatmentUnits: number,
  controlUnits: number,
  plannedTreatmentShare: number,
): number {
  if (
    !(
      Number.isInteger(treatmentUnits) &&
      treatmentUnits >= 0 &&
      Number.isInteger(controlUnits) &&
      controlUnits >= 0
    )
  )
    throw new RangeError('srmPValue requires whole, non-negative unit counts');
  if (treatmentUnits + controlUnits === 0) throw new RangeError('srmPValue requires at least one unit');
  if (!(plannedTreatmentShare > 0 && plannedTreatmentShare < 1))
    throw new RangeError('srmPValue requires a planned treatment share in (0, 1)');
  const total = treatmentUnits + controlUnits;
  // n_t - N s in double-double: N s rounded would cost ~3e-12 of relative precision in p near 1e-300.
  const excess = ddAddNumber(ddNeg(ddMulNumber(dd(total), plannedTreatmentShare)), treatmentUnits).hi;
  const statistic = (excess * excess) / (total * plannedTreatmentShare * (1 - plannedTreatmentShare));
  // A share as small as 1e-300 with a unit in its arm overflows X^2: the split is then impossible under the plan.
  if (statistic === Infinity) return 0;
  const p = incompleteGamma(statistic / 2, 0.5, true, true);
  return p < SMALLEST_NORMAL ? 0 : p;
}
