import type { CampaignOutcome } from './campaign.js';
import { realizedLift } from './realizedLift.js';

/**
 * Interval coverage: the share of campaigns carrying a predicted-lift interval whose interval contains the
 * realized lift, lower <= r_i <= upper (closed). Campaigns without an interval are left out of numerator and
 * denominator; null when none has one. A well-calibrated 90% interval covers about 90%, less the noise of r_i
 * itself, so coverage of a point-prediction-width interval understates calibration.
 *
 * Reference: empirical coverage of prediction intervals, Gneiting & Raftery (2007), "Strictly proper scoring
 * rules, prediction, and estimation", JASA 102(477), section 6.
 *
 * @example intervalCoverage([
 *   { predictedLiftInterval: { lower: 0, upper: 0.2 }, treatment: { units: 10, conversions: 3 }, control: { units: 10, conversions: 2 } },
 *   { predictedLiftInterval: { lower: 0.2, upper: 0.3 }, treatment: { units: 10, conversions: 3 }, control: { units: 10, conversions: 2 } },
 *   { treatment: { units: 10, conversions: 3 }, control: { units: 10, conversions: 2 } },
 * ]) // => 0.5
 */
export function intervalCoverage(
  campaigns: readonly Pick<CampaignOutcome, 'predictedLiftInterval' | 'treatment' | 'control'>[],
): number | null {
  let withInterval = 0;
  let covered = 0;
  for (const campaign of campaigns) {
    const interval = campaign.predictedLiftInterval;
    if (interval === undefined) continue;
    withInterval++;
    const realized = realizedLift(campaign);
    if (interval.lower <= realized && realized <= interval.upper) covered++;
  }
  return withInterval === 0 ? null : covered / withInterval;
}
