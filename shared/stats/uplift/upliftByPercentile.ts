import { numpySum } from './numpySum.js';
import { countRange, type RankedUnits } from './rankByUplift.js';

/** One bin of units ranked by predicted uplift. */
export interface UpliftBin {
  /** Units in the bin. */
  n: number;
  /** Mean predicted uplift (score) of the bin's units. */
  meanPredicted: number;
  /** Treated units in the bin. */
  treated: number;
  /** Control units in the bin. */
  control: number;
  /** Conversion rate of the treated units; null when the bin has none. */
  treatedRate: number | null;
  /** Conversion rate of the control units; null when the bin has none. */
  controlRate: number | null;
  /** treatedRate - controlRate; null when either is. */
  realizedUplift: number | null;
}

/**
 * Realized against predicted uplift by bins of the ranking, sklift's `uplift_by_percentile(strategy='overall')`
 * plus each bin's mean score. Bins: the units in sklift's order (descending score, equal scores in reverse
 * input order) cut as `np.array_split` cuts, into `bins` consecutive parts whose sizes differ by at most one,
 * the first n mod bins parts one unit longer. Cuts fall at positions, not score values, so a run of equal
 * scores may straddle two bins. Empty parts (n < bins) are dropped, where sklift refuses bins >= n.
 * A bin's realized uplift is its treated conversion rate minus its control conversion rate, null when an arm
 * is absent from the bin (sklift: nan).
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `response_rate_by_percentile` and
 * `uplift_by_percentile`.
 *
 * @example upliftByPercentile(
 *   rankByUplift(Float64Array.of(0.4, 0.3, 0.2, 0.1), Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 0, 0, 0)),
 *   2,
 * )
 * // => [{ n: 2, meanPredicted: 0.35, treated: 1, control: 1, treatedRate: 1, controlRate: 0, realizedUplift: 1 },
 * //     { n: 2, meanPredicted: 0.15000000000000002, treated: 1, control: 1, treatedRate: 0, controlRate: 0, realizedUplift: 0 }]
 */
export function upliftByPercentile(ranked: RankedUnits, bins: number): UpliftBin[] {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError('upliftByPercentile requires a positive whole number of bins');
  const n = ranked.scores.length;
  const base = Math.floor(n / bins);
  const longer = n % bins;
  const result: UpliftBin[] = [];
  let start = 0;
  for (let b = 0; b < bins; b++) {
    const end = start + base + (b < longer ? 1 : 0);
    if (end === start) break;
    result.push(binOf(ranked, start, end));
    start = end;
  }
  return result;
}

function binOf(ranked: RankedUnits, start: number, end: number): UpliftBin {
  const { units: n, treated, treatedConversions, controlConversions } = countRange(ranked, start, end);
  const control = n - treated;
  const treatedRate = treated === 0 ? null : treatedConversions / treated;
  const controlRate = control === 0 ? null : controlConversions / control;
  return {
    n,
    // np.mean: numpy's pairwise sum over the slice, then one division.
    meanPredicted: numpySum(ranked.scores, start, end) / n,
    treated,
    control,
    treatedRate,
    controlRate,
    realizedUplift: treatedRate === null || controlRate === null ? null : treatedRate - controlRate,
  };
}
