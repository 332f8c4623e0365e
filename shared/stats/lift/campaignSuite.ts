/**
 * The campaign-level lift suite: how the lift each campaign realized compares with the lift the model predicted.
 * Each campaign's arms are read once into its realized lift and Newcombe interval; the aggregates follow.
 */
import type { CampaignOutcome } from './campaign.js';
import { intervalCoverage } from './intervalCoverage.js';
import { liftBias } from './liftBias.js';
import { liftRatio } from './liftRatio.js';
import { meanAbsoluteMiss } from './meanAbsoluteMiss.js';
import { newcombeInterval } from './newcombeInterval.js';
import { significantMissRate } from './significantMissRate.js';
import { spearmanCorrelation } from './spearmanCorrelation.js';

export interface CampaignLift {
  campaignId: string;
  treatmentUnits: number;
  controlUnits: number;
  predictedLift: number;
  /** Treatment conversion rate minus control conversion rate. */
  realizedLift: number;
  /** 95% Newcombe hybrid score interval of the realized lift. */
  realizedLiftLower: number;
  realizedLiftUpper: number;
}

export interface CampaignLiftStatistics {
  campaigns: number;
  /** sum n_i r_i / sum n_i p_i over treatment units n_i; null when sum n_i p_i <= 0 (see liftRatio). */
  liftRatio: number | null;
  liftRatioLower: number | null;
  liftRatioUpper: number | null;
  realizedIncrementalConversions: number;
  predictedIncrementalConversions: number;
  /** sum n_i (r_i - p_i) / sum n_i. */
  liftBias: number;
  /** sum n_i |r_i - p_i| / sum n_i: how far predictions miss, in conversion-rate points (see meanAbsoluteMiss). */
  meanAbsoluteMiss: number;
  /** Share of campaigns with a predicted interval whose interval contains r_i; null when none has one. */
  intervalCoverage: number | null;
  /** Spearman correlation of predicted and realized lift; null for one campaign or a constant vector. */
  rankCorrelation: number | null;
  /** Share of campaigns whose predicted lift lies outside the Newcombe interval of the realized lift. */
  significantMissRate: number;
  perCampaign: CampaignLift[];
}

/** Computes the campaign suite; throws a RangeError naming the first campaign whose counts are impossible. */
export function computeCampaignLift(campaigns: readonly CampaignOutcome[]): CampaignLiftStatistics {
  if (campaigns.length === 0) throw new RangeError('computeCampaignLift requires at least one campaign');
  campaigns.forEach(checkCounts);
  const perCampaign = campaigns.map((campaign): CampaignLift => {
    const { treatment, control } = campaign;
    const interval = newcombeInterval(treatment, control);
    return {
      campaignId: campaign.campaignId,
      treatmentUnits: treatment.units,
      controlUnits: control.units,
      predictedLift: campaign.predictedLift,
      realizedLift: interval.difference,
      realizedLiftLower: interval.lower,
      realizedLiftUpper: interval.upper,
    };
  });
  const ratio = liftRatio(campaigns);
  return {
    campaigns: campaigns.length,
    liftRatio: ratio.ratio,
    liftRatioLower: ratio.lower,
    liftRatioUpper: ratio.upper,
    realizedIncrementalConversions: ratio.realizedIncrementalConversions,
    predictedIncrementalConversions: ratio.predictedIncrementalConversions,
    liftBias: liftBias(campaigns),
    meanAbsoluteMiss: meanAbsoluteMiss(campaigns),
    intervalCoverage: intervalCoverage(campaigns),
    rankCorrelation: spearmanCorrelation(
      perCampaign.map((row) => row.predictedLift),
      perCampaign.map((row) => row.realizedLift),
    ),
    significantMissRate: significantMissRate(perCampaign),
    perCampaign,
  };
}

function checkCounts(campaign: CampaignOutcome): void {
  const { campaignId, predictedLift, predictedLiftInterval, treatment, control } = campaign;
  for (const [arm, { units, conversions }] of [
    ['treatment', treatment],
    ['control', control],
  ] as const) {
    if (!(units > 0 && Number.isFinite(units) && conversions >= 0 && conversions <= units)) {
      throw new RangeError(
        `computeCampaignLift requires units > 0 and 0 <= conversions <= units in the ${arm} arm of campaign ${campaignId}`,
      );
    }
  }
  if (!Number.isFinite(predictedLift)) {
    throw new RangeError(`computeCampaignLift requires a finite predictedLift for campaign ${campaignId}`);
  }
  if (predictedLiftInterval !== undefined && !(predictedLiftInterval.lower <= predictedLiftInterval.upper)) {
    throw new RangeError(
      `computeCampaignLift requires lower <= upper in the predictedLiftInterval of campaign ${campaignId}`,
    );
  }
}
