/**
 * Expected calibration error over the reliability-diagram bins:
 * ECE = sum over non-empty bins of (count_b / N) |observedRate_b - meanPrediction_b|, the count-weighted mean
 * absolute gap between what was predicted and what happened. In [0, 1]; 0 when every bin's mean prediction
 * equals its observed rate. Binning as calibrationBins (10 equal-width, right-closed bins, sklearn's edges);
 * other peers bin differently (torchmetrics left-closed with 15 bins, NannyML equal-mass), so their ECEs
 * differ.
 *
 * Reference: Naeini, Cooper & Hauskrecht (2015), "Obtaining well calibrated probabilities using Bayesian
 * binning", AAAI; bins from scikit-learn 1.2 calibration_curve(n_bins=10, strategy='uniform').
 *
 * @example expectedCalibrationError(calibrationBins(sumCalibrationTerms(Float64Array.of(0.2, 0.5, 0.9),
 *   Uint8Array.of(0, 1, 1)))) // => 0.26666666666666666
 */
import type { CalibrationBin } from './calibrationBins.js';

export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  let n = 0;
  let weightedGap = 0;
  for (const bin of bins) {
    n += bin.count;
    weightedGap += bin.count * Math.abs(bin.observedRate - bin.meanPrediction);
  }
  if (n === 0) throw new RangeError('expectedCalibrationError requires at least one non-empty bin');
  return weightedGap / n;
}
