/**
 * The 99th percentile of PSI under no drift, for a reference of m and a current sample of n values in B bins:
 * psiNull99 = chi2_{0.99}(B - 1) * (1/n + 1/m).
 * Under the null, PSI * nm/(n+m) is asymptotically chi-squared with B - 1 degrees of freedom (PSI is a
 * symmetrised Kullback-Leibler divergence, twice the G statistic's scale), so a PSI below this is what noise
 * alone produces 99% of the time: 0.1 from 80 predictions is noise, from 80,000 it is not.
 *
 * Reference: Yurdakul, B. (2018), "Statistical properties of population stability index", section 3.
 *
 * @example psiNullQuantile(10, 1000, 1000) // => 0.04333198866692385
 */
import chiSquaredQuantile from '@stdlib/stats-base-dists-chisquare-quantile';

export function psiNullQuantile(
  bins: number,
  currentSize: number,
  referenceSize: number,
  probability = 0.99,
): number {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError('psiNullQuantile requires at least 2 bins');
  if (!(currentSize > 0 && referenceSize > 0))
    throw new RangeError('psiNullQuantile requires positive sample sizes');
  return chiSquaredQuantile(probability, bins - 1) * (1 / currentSize + 1 / referenceSize);
}
