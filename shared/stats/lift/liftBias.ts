import type { CampaignOutcome } from './campaign.js';
import { realizedLift } from './realizedLift.js';

/**
 * Lift bias: the treatment-unit-weighted mean of realized minus predicted lift,
 * bias = sum n_i (r_i - p_i) / sum n_i, with n_i campaign i's treatment units. In conversion-rate points:
 * -0.01 means campaigns realize one point less lift than predicted, per treated unit. 0 when realized equals
 * predicted everywhere. NaN for no campaigns (computeCampaignLift refuses an empty list).
 *
 * Reference: the weighted mean error of predicted against realized lift, as in calibration-in-the-large
 * (Van Calster et al. 2016, "A calibration hierarchy for risk models", J Clin Epidemiol 74, 167-176).
 *
 * @example liftBias([{ predictedLift: 0.5, treatment: { units: 100, conversions: 50 }, control: { units: 100, conversions: 25 } }]) // => -0.25
 */
export function liftBias(
  campaigns: readonly Pick<CampaignOutcome, 'predictedLift' | 'treatment' | 'control'>[],
): number {
  let weightedError = 0;
  let units = 0;
  for (const campaign of campaigns) {
    const n = campaign.treatment.units;
    weightedError += n * (realizedLift(campaign) - campaign.predictedLift);
    units += n;
  }
  return weightedError / units;
}
