/**
 * The reliability diagram: predictions in equal-width bins on [0, 1] (10 unless sumCalibrationTerms was asked
 * for another number), each non-empty bin with its count, mean prediction, observed rate and a 95% Wilson
 * score interval for that rate. Edges are numpy's np.linspace(0, 1, bins + 1), i.e. the doubles i * 0.1 for
 * 10 bins (so 0.30000000000000004, not 0.3). Bins are right-closed, (lower, upper], with 0 in the first bin:
 * a prediction exactly on an inner edge goes to the lower bin. Empty bins are left out.
 *
 * Reference: scikit-learn 1.2 sklearn.calibration.calibration_curve(y, p, n_bins, strategy='uniform'), which
 * bins with np.searchsorted(edges[1:-1], p, side='left'): its prob_pred and prob_true are meanPrediction and
 * observedRate here; intervals as statsmodels proportion_confint(method='wilson').
 *
 * @example calibrationBins(sumCalibrationTerms(Float64Array.of(0.2, 0.5, 0.9), Uint8Array.of(0, 1, 1)))[1]
 * // => { lower: 0.4, upper: 0.5, count: 1, meanPrediction: 0.5, observedRate: 1,
 * //      observedRateLower: 0.20654931437723745, observedRateUpper: 1 }
 */

import { wilsonInterval } from '../wilsonInterval.js';

/** What the reliability bins are read from: calibrationSums accumulates these with the other terms. */
export interface BinSums {
  /** Edges of the equal-width bins (np.linspace(0, 1, bins + 1)). */
  binEdges: Float64Array;
  /** Pairs in each bin. */
  binCounts: Float64Array;
  /** sum p in each bin, added in input order as np.bincount does. */
  binPredictionSums: Float64Array;
  /** sum y in each bin. */
  binOutcomeSums: Float64Array;
}

/** Bins of the reliability diagram and the ECE unless a caller asks for another number. */
export const DEFAULT_CALIBRATION_BIN_COUNT = 10;

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanPrediction: number;
  observedRate: number;
  /** 95% Wilson score interval for the observed rate. */
  observedRateLower: number;
  observedRateUpper: number;
}

/**
 * Edges of binCount equal-width bins on [0, 1] exactly as np.linspace(0, 1, binCount + 1) computes them:
 * i * (1 / binCount) in double precision, the last edge exactly 1.
 *
 * @example uniformBinEdges(10)[3] // => 0.30000000000000004
 */
export function uniformBinEdges(binCount: number): Float64Array {
  if (!Number.isInteger(binCount) || binCount < 1)
    throw new RangeError('uniformBinEdges requires a positive whole number of bins');
  const step = 1 / binCount;
  const edges = Float64Array.from({ length: binCount + 1 }, (_, i) => i * step);
  edges[binCount] = 1;
  return edges;
}

/**
 * Index of the bin (edges[b], edges[b + 1]] holding p in [0, 1], 0 included in the first: the number of inner
 * edges strictly below p, as np.searchsorted(edges[1:-1], p, side='left').
 *
 * @example binIndex(0.1, uniformBinEdges(10)) // => 0
 */
export function binIndex(p: number, edges: Float64Array): number {
  const binCount = edges.length - 1;
  // A guess from p * binCount, off by at most one next to an edge, corrected against the edges themselves.
  let bin = Math.min(Math.floor(p * binCount), binCount - 1);
  if (bin > 0 && p <= edges[bin]!) bin--;
  else if (bin < binCount - 1 && p > edges[bin + 1]!) bin++;
  return bin;
}

export function calibrationBins(sums: BinSums): CalibrationBin[] {
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < sums.binCounts.length; b++) {
    const count = sums.binCounts[b]!;
    if (count === 0) continue;
    const positives = sums.binOutcomeSums[b]!;
    const { lower, upper } = wilsonInterval(positives, count);
    bins.push({
      lower: sums.binEdges[b]!,
      upper: sums.binEdges[b + 1]!,
      count,
      meanPrediction: sums.binPredictionSums[b]! / count,
      observedRate: positives / count,
      // Clamped: at 0 or all positives the Wilson bounds can fall a rounding error outside [0, 1].
      observedRateLower: Math.max(lower, 0),
      observedRateUpper: Math.min(upper, 1),
    });
  }
  return bins;
}
