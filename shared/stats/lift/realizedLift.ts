import type { CampaignOutcome } from './campaign.js';

/**
 * Realized lift of one campaign: the treatment conversion rate minus the control conversion rate,
 * r = conv_t / units_t - conv_c / units_c.
 * Ranges over [-1, 1]; NaN when an arm has no units (computeCampaignLift refuses such campaigns).
 *
 * @example realizedLift({ treatment: { units: 100, conversions: 50 }, control: { units: 100, conversions: 25 } }) // => 0.25
 */
export function realizedLift(campaign: Pick<CampaignOutcome, 'treatment' | 'control'>): number {
  const { treatment, control } = campaign;
  return treatment.conversions / treatment.units - control.conversions / control.units;
}
