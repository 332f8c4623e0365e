import { numpySum } from './numpySum.js';
import type { UpliftCurve } from './upliftCurve.js';

/**
 * Area under a curve by the trapezoidal rule, sum_k (x_{k+1} - x_k)(y_{k+1} + y_k) / 2, with the terms formed
 * and summed as `np.trapz` forms and sums them (what sklearn.metrics.auc calls), so sklift's areas are
 * reproduced to the last bit or two. 0 for a single point.
 *
 * Reference: sklearn.metrics.auc (scikit-learn 1.2), numpy.trapz (numpy 1.24).
 *
 * @example trapezoidArea({ units: Float64Array.of(0, 1, 3), values: Float64Array.of(0, 1, 1) }) // => 2.5
 */
export function trapezoidArea(curve: UpliftCurve): number {
  const { units, values } = curve;
  const terms = new Float64Array(Math.max(units.length - 1, 0));
  for (let k = 0; k < terms.length; k++) {
    terms[k] = ((units[k + 1]! - units[k]!) * (values[k + 1]! + values[k]!)) / 2;
  }
  return numpySum(terms);
}

/**
 * sklift's normalised area: (A_model - A_random) / (A_perfect - A_random), where A_random is the area under
 * the straight line from (0, 0) to the last point of the perfect curve. 1 for a model ranking like the oracle,
 * about 0 for a random ranking, negative for one worse than random. Null when the perfect curve has no area
 * above the random line (for example no conversions at all), where sklift returns nan or inf.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `uplift_auc_score` and `qini_auc_score`.
 *
 * @example areaAboveRandom(
 *   { units: Float64Array.of(0, 1, 2), values: Float64Array.of(0, 0.5, 1) },
 *   { units: Float64Array.of(0, 1, 2), values: Float64Array.of(0, 1, 1) },
 * ) // => 0
 */
export function areaAboveRandom(model: UpliftCurve, perfect: UpliftCurve): number | null {
  return normalisedArea(trapezoidArea(model), perfect);
}

/** areaAboveRandom for a model curve whose area is already known (the bootstrap sums it in its one pass). */
export function normalisedArea(modelArea: number, perfect: UpliftCurve): number | null {
  const last = perfect.units.length - 1;
  const random = trapezoidArea({
    units: Float64Array.of(0, perfect.units[last]!),
    values: Float64Array.of(0, perfect.values[last]!),
  });
  const score = (modelArea - random) / (trapezoidArea(perfect) - random);
  return Number.isFinite(score) ? score : null;
}
