import type { CampaignOutcome } from './campaign.js';
import { realizedLift } from './realizedLift.js';

/**
 * Mean absolute miss: the treatment-unit-weighted mean absolute difference between realized and predicted
 * lift, MAM = sum n_i |r_i - p_i| / sum n_i, with n_i campaign i's treatment units. In conversion-rate points:
 * 0.005 means a treated unit's campaign missed its prediction by half a point, in one direction or the other.
 * Unlike lift bias, misses in opposite directions do not cancel, so MAM >= |bias|; unlike the significant miss
 * rate, it does not grow with campaign size, since it measures how far predictions miss, not whether a miss is
 * proven. It includes the sampling noise of r_i (about 0.8 standard errors on average for a perfect model).
 * 0 when realized equals predicted everywhere. NaN for no campaigns (computeCampaignLift refuses an empty list).
 *
 * Reference: the weighted mean absolute error, Willmott & Matsuura (2005), "Advantages of the mean absolute
 * error (MAE) over the root mean square error (RMSE) in assessing average model performance", Climate
 * Research 30, 79-82.
 *
 * @example meanAbsoluteMiss([
 *   { predictedLift: 0.5, treatment: { units: 100, conversions: 50 }, control: { units: 100, conversions: 25 } },
 *   { predictedLift: 0, treatment: { units: 100, conversions: 50 }, control: { units: 100, conversions: 25 } },
 * ]) // => 0.25
 */
export function meanAbsoluteMiss(
  campaigns: readonly Pick<CampaignOutcome, 'predictedLift' | 'treatment' | 'control'>[],
): number {
  let weightedMiss = 0;
  let units = 0;
  for (const campaign of campaigns) {
    const n = campaign.treatment.units;
    weightedMiss += n * Math.abs(realizedLift(campaign) - campaign.predictedLift);
    units += n;
  }
  return weightedMiss / units;
}
