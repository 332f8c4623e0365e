import { areaAboveRandom } from './curveArea.js';
import { perfectQiniCurve } from './perfectQiniCurve.js';
import { qiniCurve } from './qiniCurve.js';
import type { RankedUnits } from './rankByUplift.js';

/**
 * Normalised area under the Qini curve (the Qini coefficient as sklift computes it), sklift's
 * `qini_auc_score(negative_effect=True)`: (AUC_model - AUC_random) / (AUC_perfect - AUC_random), trapezoidal
 * areas over unit counts, the perfect curve ranking control responders last, the random line running from
 * (0, 0) to its end. 1 for an oracle ranking, about 0 for random scores. Null where sklift divides by zero.
 * Invariant under strictly increasing transforms of the scores.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `qini_auc_score`; Radcliffe (2007).
 *
 * @example qiniAuc(rankByUplift(Float64Array.of(0.1, 0.3), Uint8Array.of(1, 0), Uint8Array.of(0, 1))) // => 1 (sklift's test_qini_auc_score)
 */
export function qiniAuc(ranked: RankedUnits): number | null {
  return areaAboveRandom(qiniCurve(ranked.thresholds), perfectQiniCurve(ranked.thresholds));
}
