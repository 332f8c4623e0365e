/**
 * The 97.5% standard normal quantile, scipy.stats.norm.isf(0.025) = 1.9599639845400545: the z of two-sided 95%
 * intervals (Wilson, Newcombe, the lift ratio). The O/E interval uses the literal 1.959963984540054, one
 * ulp below; see shared/stats/calibration/observedExpectedRatio.ts.
 */
export const NORMAL_QUANTILE_975 = 1.9599639845400545;
