import { qiniCurve } from './qiniCurve.js';
import { overallCounts, type UpliftThresholds } from './rankByUplift.js';
import { run, thresholdsOfRuns } from './thresholdsOfRuns.js';
import type { UpliftCurve } from './upliftCurve.js';

/**
 * The perfect Qini curve of sklift with negative effects (`negative_effect=True`, its default): the Qini curve
 * of the oracle score y t - y (1 - t), so treated responders rank first, every non-responder next and control
 * responders last, where their conversions pull the curve back down. Only the three group sizes matter.
 * (sklift's `negative_effect=False` variant draws [0, r, n] x [0, r, r] with the random-targeting total r as
 * the x of the knee; liftwatch does not use it.)
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `perfect_qini_curve`.
 *
 * @example perfectQiniCurve(rankByUplift(Float64Array.of(0, 0, 0), Uint8Array.of(0, 1, 1), Uint8Array.of(0, 1, 0)).thresholds)
 * // => { units: Float64Array [0, 1, 3], values: Float64Array [0, 1, 1] } (sklift's test_perfect_qini_curve)
 */
export function perfectQiniCurve(thresholds: UpliftThresholds): UpliftCurve {
  const {
    units,
    treated,
    treatedConversions: treatedResponders,
    controlConversions: controlResponders,
  } = overallCounts(thresholds);
  return qiniCurve(
    thresholdsOfRuns([
      run(treatedResponders, treatedResponders, treatedResponders, 0),
      run(units - treatedResponders - controlResponders, treated - treatedResponders, 0, 0),
      run(controlResponders, 0, 0, controlResponders),
    ]),
  );
}
