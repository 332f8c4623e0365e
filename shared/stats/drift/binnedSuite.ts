/**
 * The drift suite of a pre-aggregated window: bin counts of the current values in the baseline's fine bins.
 *
 * Exact (equal to computeDrift on the same values): n, PSI, psiNull99, psiPValue and JS, from the fine counts summed
 * into the PSI bins (see fineBins.ts). Approximate, reported in `approximate` with their bounds:
 * - ksStatistic is D at the fine edges, a lower bound of the true D; ksStatisticUpperBound bounds it from above
 *   (at most ksStatistic + the largest single-bin share of either sample; binnedKolmogorovSmirnov.ts);
 * - ksPValue is the KS p-value of that edge statistic: at least the p-value of the true D, so it never shows more
 *   evidence than the values carry;
 * - wasserstein is its lower bound from the counts, wassersteinUpperBound the upper one (which assumes the window's
 *   values within the reference range; binnedWasserstein.ts); wassersteinNormed and its bound divide both by the
 *   reference's standard deviation (floored as in computeDrift), which is exact.
 * Every approximate value written as a metric is the one that errs towards "no drift": an alert on it cannot fire
 * because of binning.
 */
import type { BaselineSummary } from './baselineSummary.js';
import { binnedKolmogorovSmirnov } from './binnedKolmogorovSmirnov.js';
import { binnedWasserstein } from './binnedWasserstein.js';
import { coarseCounts } from './fineBins.js';
import { ksTwoSamplePValue } from './ksTwoSample.js';
import { countStatistics, type DriftStatistics, WASSERSTEIN_STD_FLOOR } from './suite.js';

/** The statistics of a binned window that are bounds rather than exact values. */
export const APPROXIMATE_BINNED_STATISTICS = [
  'ksStatistic',
  'ksPValue',
  'wasserstein',
  'wassersteinNormed',
] as const;

export interface BinnedDriftStatistics extends DriftStatistics {
  approximate: string[];
  ksStatisticUpperBound: number;
  wassersteinUpperBound: number;
  wassersteinNormedUpperBound: number;
}

/** Computes the drift suite from `counts`, one per fine bin of `baseline.fine` (fine edges + 1 of them). */
export function computeBinnedDrift(
  baseline: BaselineSummary,
  counts: ArrayLike<number>,
): BinnedDriftStatistics {
  const fine = baseline.fine;
  if (!fine) throw new RangeError('computeBinnedDrift requires a baseline summarised with fine bins');
  if (counts.length !== fine.edges.length + 1)
    throw new RangeError('computeBinnedDrift requires one count per fine bin');
  if (!Array.prototype.some.call(counts, (count: number) => count > 0))
    throw new RangeError('computeBinnedDrift requires at least one prediction');
  const exact = countStatistics(baseline, coarseCounts(fine.edges, counts, baseline.edges));
  const ks = binnedKolmogorovSmirnov(fine.referenceCounts, counts);
  const sorted = baseline.sortedReference;
  // The outer bins close at the reference range; a feature's fine edges include the range itself (its upper edge
  // the next double above the maximum: rangeFineBins.ts), whose outer bins then hold no reference value.
  const edges = fine.edges;
  const wasserstein = binnedWasserstein(
    edges,
    fine.referenceCounts,
    counts,
    Math.min(sorted[0]!, edges[0] ?? Infinity),
    Math.max(sorted[sorted.length - 1]!, edges[edges.length - 1] ?? -Infinity),
  );
  const spread = Math.max(baseline.referenceStd, WASSERSTEIN_STD_FLOOR);
  return {
    ...exact,
    ksStatistic: ks.lower,
    ksPValue: ksTwoSamplePValue(ks.lower, exact.nReference, exact.n),
    wasserstein: wasserstein.lower,
    wassersteinNormed: wasserstein.lower / spread,
    approximate: [...APPROXIMATE_BINNED_STATISTICS],
    ksStatisticUpperBound: ks.upper,
    wassersteinUpperBound: wasserstein.upper,
    wassersteinNormedUpperBound: wasserstein.upper / spread,
  };
}
