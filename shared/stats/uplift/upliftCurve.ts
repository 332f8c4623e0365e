import type { UpliftThresholds } from './rankByUplift.js';

/** Points of an uplift or Qini curve: x is a count of ranked units (not a share), starting at (0, 0). */
export interface UpliftCurve {
  units: Float64Array;
  values: Float64Array;
}

/**
 * Uplift curve (sklift's cumulative gain): at each run end k of the ranking,
 * y(k) = (Y_t(k) / N_t(k) - Y_c(k) / N_c(k)) * N(k), where N(k) counts the top units and N_t, N_c, Y_t, Y_c
 * their treated and control units and conversions. A rate whose arm is still empty counts as 0 (np.divide
 * with where=), not NaN; ties form one point; (0, 0) is prepended. The last value is the overall difference
 * in rates times n.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `uplift_curve`; Devriendt, Guns &
 * Verbeke (2020), "Learning to rank for uplift modeling", arXiv:2002.05897.
 *
 * @example upliftCurve(rankByUplift(Float64Array.of(0, 0, 0), Uint8Array.of(0, 1, 1), Uint8Array.of(0, 1, 0)).thresholds)
 * // => { units: Float64Array [0, 3], values: Float64Array [0, 1.5] } (sklift's test_uplift_curve)
 */
export function upliftCurve(thresholds: UpliftThresholds): UpliftCurve {
  const { units, treated, treatedConversions, controlConversions } = thresholds;
  const points = units.length + 1;
  const curve = { units: new Float64Array(points), values: new Float64Array(points) };
  for (let k = 0; k < units.length; k++) {
    const n = units[k]!;
    const nt = treated[k]!;
    const nc = n - nt;
    const treatedRate = nt !== 0 ? treatedConversions[k]! / nt : 0;
    const controlRate = nc !== 0 ? controlConversions[k]! / nc : 0;
    curve.units[k + 1] = n;
    curve.values[k + 1] = (treatedRate - controlRate) * n;
  }
  return curve;
}
