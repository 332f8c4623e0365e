import type { ArmCounts, UpliftThresholds } from './rankByUplift.js';

/** A run of `units` units, `treated` of them treated, with the conversions of each arm. */
export function run(
  units: number,
  treated: number,
  treatedConversions: number,
  controlConversions: number,
): ArmCounts {
  return { units, treated, treatedConversions, controlConversions };
}

/**
 * Cumulative thresholds of runs given in ranked order, skipping empty runs (sklift never sees a score no unit
 * has). Used for the perfect curves, whose few runs are known from the totals without sorting.
 *
 * @example thresholdsOfRuns([run(2, 1, 1, 0), run(0, 0, 0, 0), run(1, 0, 0, 1)]).units // => Float64Array [2, 3]
 */
export function thresholdsOfRuns(runs: readonly ArmCounts[]): UpliftThresholds {
  const present = runs.filter((counts) => counts.units > 0);
  const thresholds: UpliftThresholds = {
    units: new Float64Array(present.length),
    treated: new Float64Array(present.length),
    treatedConversions: new Float64Array(present.length),
    controlConversions: new Float64Array(present.length),
  };
  let units = 0;
  let treated = 0;
  let treatedConversions = 0;
  let controlConversions = 0;
  present.forEach((counts, k) => {
    units += counts.units;
    treated += counts.treated;
    treatedConversions += counts.treatedConversions;
    controlConversions += counts.controlConversions;
    thresholds.units[k] = units;
    thresholds.treated[k] = treated;
    thresholds.treatedConversions[k] = treatedConversions;
    thresholds.controlConversions[k] = controlConversions;
  });
  return thresholds;
}
