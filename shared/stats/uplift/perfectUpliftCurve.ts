import { overallCounts, type UpliftThresholds } from './rankByUplift.js';
import { run, thresholdsOfRuns } from './thresholdsOfRuns.js';
import { type UpliftCurve, upliftCurve } from './upliftCurve.js';

/**
 * The perfect (optimum) uplift curve of sklift: the uplift curve of the oracle score
 * 2 [y = t] + s, where s = y if control responders outnumber treated non-responders, else s = t. So treated
 * responders rank first, then control non-responders, then (s = y) control responders before treated
 * non-responders, or (s = t) the other way round. Only the four group sizes matter, so no sort is needed.
 *
 * Reference: maks-sh/scikit-uplift v0.5.1, sklift/metrics/metrics.py, `perfect_uplift_curve`.
 *
 * @example perfectUpliftCurve(rankByUplift(Float64Array.of(0, 0, 0), Uint8Array.of(0, 1, 1), Uint8Array.of(0, 1, 0)).thresholds)
 * // => { units: Float64Array [0, 1, 2, 3], values: Float64Array [0, 1, 2, 1.5] } (sklift's test_perfect_uplift_curve)
 */
export function perfectUpliftCurve(thresholds: UpliftThresholds): UpliftCurve {
  const {
    units,
    treated,
    treatedConversions: treatedResponders,
    controlConversions: controlResponders,
  } = overallCounts(thresholds);
  const treatedNonResponders = treated - treatedResponders;
  const responders = run(treatedResponders, treatedResponders, treatedResponders, 0);
  const controlQuiet = run(units - treated - controlResponders, 0, 0, 0);
  const controlConverted = run(controlResponders, 0, 0, controlResponders);
  const treatedQuiet = run(treatedNonResponders, treatedNonResponders, 0, 0);
  const runs =
    controlResponders > treatedNonResponders
      ? [responders, controlQuiet, controlConverted, treatedQuiet]
      : [responders, controlQuiet, treatedQuiet, controlConverted];
  return upliftCurve(thresholdsOfRuns(runs));
}
