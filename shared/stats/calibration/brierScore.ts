/**
 * Brier score: the mean squared difference between prediction and outcome, B = (1/N) sum (p_i - y_i)^2.
 * In [0, 1]; 0 for perfect predictions, 0.25 for a constant 0.5. It mixes calibration with discrimination,
 * so read it next to the calibration-specific statistics. p is not clipped.
 *
 * Reference: Brier, G. W. (1950), "Verification of forecasts expressed in terms of probability", Monthly
 * Weather Review 78(1); equals sklearn.metrics.brier_score_loss(y, p).
 *
 * @example brierScore(sumCalibrationTerms(Float64Array.of(0.1, 0.9, 0.8, 0.3), Uint8Array.of(0, 1, 1, 0)))
 * // => 0.03749999999999999
 */
import type { CalibrationSums } from './calibrationSums.js';

export function brierScore(sums: Pick<CalibrationSums, 'n' | 'squaredErrorSum'>): number {
  if (!(sums.n > 0)) throw new RangeError('brierScore requires at least one pair');
  return sums.squaredErrorSum / sums.n;
}
