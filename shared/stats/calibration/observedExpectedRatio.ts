/**
 * Observed-to-expected ratio O/E (O = sum y, E = sum p) with a 95% interval from the Poisson approximation on
 * the log scale: exp(ln(O/E) -+ 1.959963984540054 / sqrt(O)). 1 when the model predicts as many positives as
 * occur; > 1 when it under-predicts.
 * Edges: O = 0 gives ratio 0, lower bound 0 and the exact (Garwood) Poisson upper bound
 * -ln(0.025) / E = 3.688879454113936 / E, since the log-scale interval needs O > 0. E = 0 (every prediction
 * 0) leaves the ratio undefined: all three are null, as is any value that overflows (E below ~1e-308).
 *
 * Reference: Debray, T. P. A. et al. (2017), "A guide to systematic review and meta-analysis of prediction
 * model performance", BMJ 356:i6460 (var ln(O/E) ~ 1/O); Garwood, F. (1936), "Fiducial limits for the Poisson
 * distribution", Biometrika 28.
 *
 * @example observedExpectedRatio(30, 25)
 * // => { ratio: 1.2, lower: 0.8390229054870809, upper: 1.716282106939657 }
 */

/** The z the issue defines the O/E interval with (one ulp below scipy's norm.isf(0.025), shared/stats/normalQuantile.ts). */
export const OE_INTERVAL_Z = 1.959963984540054;

export interface ObservedExpectedRatio {
  ratio: number | null;
  lower: number | null;
  upper: number | null;
}

/** Expected events whose Poisson probability of none is 0.025: -ln(0.025). */
const POISSON_UPPER_975_AT_ZERO = 3.688879454113936;

export function observedExpectedRatio(observed: number, expected: number): ObservedExpectedRatio {
  if (!(observed >= 0 && expected >= 0 && Number.isFinite(observed) && Number.isFinite(expected)))
    throw new RangeError('observedExpectedRatio requires finite non-negative counts');
  if (expected === 0) return { ratio: null, lower: null, upper: null };
  if (observed === 0)
    return { ratio: 0, lower: 0, upper: finiteOrNull(POISSON_UPPER_975_AT_ZERO / expected) };
  const ratio = observed / expected;
  const halfWidth = OE_INTERVAL_Z / Math.sqrt(observed);
  return {
    ratio: finiteOrNull(ratio),
    lower: finiteOrNull(ratio * Math.exp(-halfWidth)),
    upper: finiteOrNull(ratio * Math.exp(halfWidth)),
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
