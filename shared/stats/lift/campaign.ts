/** The per-campaign counts every campaign-level lift statistic reads. */

/** Units exposed in one arm of a campaign and how many of them converted. */
export interface ArmOutcome {
  units: number;
  conversions: number;
}

/** Bounds the model gave around its predicted lift. */
export interface LiftInterval {
  lower: number;
  upper: number;
}

/**
 * One campaign: the model's predicted lift (an absolute difference in conversion rate, treatment minus
 * control) and the observed treatment and control arms. Statistics assume units >= 1 and
 * 0 <= conversions <= units in each arm; computeCampaignLift checks that once.
 */
export interface CampaignOutcome {
  campaignId: string;
  predictedLift: number;
  predictedLiftInterval?: LiftInterval | undefined;
  treatment: ArmOutcome;
  control: ArmOutcome;
  /** Share of units the randomisation assigns to treatment, in (0, 1): what the SRM test checks the arms against. */
  plannedTreatmentShare?: number | undefined;
}
