import type { UpliftThresholds } from './rankByUplift.js';
import type { UpliftCurve } from './upliftCurve.js';

/**
 * Qini curve: at each run end k of the ranking, the incremental conversions among the top units,
 * y(k) = Y_t(k) - Y_c(k) * N_t(k) / N_c(k) (control conversions scaled to the treated count). The scale is 0
 * while no control unit is ranked (np.divide with where=), so y = Y_t there; ties form one point; (0, 0) is
 * prepended.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `qini_curve`; Radcliffe, N. J. (2007),
 * "Using control groups to target on predicted lift", Direct Marketing Analytics Journal 1, 14-21.
 *
 * @example qiniCurve(rankByUplift(Float64Array.of(0, 0, 0), Uint8Array.of(0, 1, 1), Uint8Array.of(0, 1, 0)).thresholds)
 * // => { units: Float64Array [0, 3], values: Float64Array [0, 1] } (sklift's test_qini_curve)
 */
export function qiniCurve(thresholds: UpliftThresholds): UpliftCurve {
  const { units, treated, treatedConversions, controlConversions } = thresholds;
  const points = units.length + 1;
  const curve = { units: new Float64Array(points), values: new Float64Array(points) };
  for (let k = 0; k < units.length; k++) {
    const n = units[k]!;
    const nt = treated[k]!;
    const nc = n - nt;
    curve.units[k + 1] = n;
    curve.values[k + 1] = treatedConversions[k]! - controlConversions[k]! * (nc !== 0 ? nt / nc : 0);
  }
  return curve;
}
