import { areaAboveRandom } from './curveArea.js';
import { perfectUpliftCurve } from './perfectUpliftCurve.js';
import type { RankedUnits } from './rankByUplift.js';
import { upliftCurve } from './upliftCurve.js';

/**
 * Normalised area under the uplift curve, sklift's `uplift_auc_score`:
 * (AUC_model - AUC_random) / (AUC_perfect - AUC_random), trapezoidal areas over unit counts, the random line
 * running from (0, 0) to the end of the perfect uplift curve. 1 for an oracle ranking, about 0 for random
 * scores, below 0 for a ranking worse than random. Null where sklift divides by zero (no area between the
 * perfect curve and the random line, e.g. no conversions). Invariant under strictly increasing transforms of
 * the scores (only the ranking and its ties matter).
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `uplift_auc_score`.
 *
 * @example upliftAuc(rankByUplift(Float64Array.of(0.1, 0.3), Uint8Array.of(0, 1), Uint8Array.of(1, 0))) // => 1 (sklift's test_uplift_auc_score)
 */
export function upliftAuc(ranked: RankedUnits): number | null {
  return areaAboveRandom(upliftCurve(ranked.thresholds), perfectUpliftCurve(ranked.thresholds));
}
