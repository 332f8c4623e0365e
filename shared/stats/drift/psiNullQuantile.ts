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
import { createRequire } from 'node:module';

/**
 * chi2.ppf(0.99, k) for k = 1..20 degrees of freedom, from scipy 1.17.1 (test/shared/stats/drift checks them
 * against @stdlib's quantile). The table spares every function instance the load of @stdlib's quantile (hundreds
 * of small modules, ~50 ms of cold start); other probabilities and degrees of freedom still use it.
 */
export const CHI_SQUARED_99: readonly number[] = [
  6.6348966010212145, 9.21034037197618, 11.344866730144373, 13.276704135987622, 15.08627246938899,
  16.811893829770927, 18.475306906582357, 20.090235029663233, 21.665994333461924, 23.209251158954356,
  24.724970311318277, 26.216967305535853, 27.68824961045705, 29.141237740672796, 30.57791416689249,
  31.999926908815176, 33.40866360500461, 34.805305734705065, 36.19086912927004, 37.56623478662507,
];

const require = createRequire(import.meta.url);
let stdlibQuantile: ((probability: number, degreesOfFreedom: number) => number) | undefined;

/** The chi-squared quantile: from the table at 0.99, else from @stdlib (loaded on first use). */
export function chiSquaredQuantile(probability: number, degreesOfFreedom: number): number {
  const tabulated = probability === 0.99 ? CHI_SQUARED_99[degreesOfFreedom - 1] : undefined;
  if (tabulated !== undefined) return tabulated;
  stdlibQuantile ??= require('@stdlib/stats-base-dists-chisquare-quantile') as typeof stdlibQuantile;
  return stdlibQuantile!(probability, degreesOfFreedom);
}

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
