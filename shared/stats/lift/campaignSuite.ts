/**
 * The campaign-level lift suite: how the lift each campaign realized compares with the lift the model predicted.
 * Each campaign's arms are read once into its realized lift, Newcombe interval and, when it declares a planned
 * treatment share, its sample ratio mismatch p-value; campaigns whose holdout is broken (p below
 * SRM_EXCLUSION_P_VALUE) are excluded, and the aggregates follow over the campaigns that remain.
 */
import type { CampaignOutcome } from './campaign.js';
import { intervalCoverage } from './intervalCoverage.js';
import { liftBias } from './liftBias.js';
import { liftRatio } from './liftRatio.js';
import { meanAbsoluteMiss } from './meanAbsoluteMiss.js';
import { newcombeInterval } from './newcombeInterval.js';
import { srmPValue } from './sampleRatioMismatch.js';
import { significantMissRate } from './significantMissRate.js';
import { spearmanCorrelation } from './spearmanCorrelation.js';

/**
 * A campaign whose arms fail the sample ratio mismatch test below this p-value is excluded from the aggregates:
 * its assignment or per-arm logging is broken, so its realized lift cannot be trusted. 0.001 is the practice of
 * Statsig's red alert and of Microsoft ExP's strictest checks (chi-squared above 10.83 at 1 df).
 */
export const SRM_EXCLUSION_P_VALUE = 0.001;

/** Why a campaign was left out of the aggregates. */
export type CampaignExclusion = 'sample_ratio_mismatch';

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
  /** Sample ratio mismatch p-value of the arms against the planned share; null without a planned share. */
  srmPValue: number | null;
  /** Set when the campaign is left out of the aggregates. */
  excluded?: CampaignExclusion;
}

export interface CampaignLiftStatistics {
  /** Campaigns in the aggregates: those given, less those excluded for a sample ratio mismatch. */
  campaigns: number;
  /** Campaigns with a planned treatment share, so tested for a sample ratio mismatch (excluded ones included). */
  srmChecked: number;
  /** Campaigns excluded from the aggregates for a sample ratio mismatch (p < SRM_EXCLUSION_P_VALUE). */
  srmCampaigns: number;
  /** srmCampaigns / srmChecked; null when no campaign was checked. */
  srmExcludedShare: number | null;
  /** sum n_i r_i / sum n_i p_i over treatment units n_i; null when sum n_i p_i <= 0 (see liftRatio). */
  liftRatio: number | null;
  liftRatioLower: number | null;
  liftRatioUpper: number | null;
  realizedIncrementalConversions: number;
  predictedIncrementalConversions: number;
  /** sum n_i (r_i - p_i) / sum n_i; null when every campaign was excluded (so are the other aggregates). */
  liftBias: number | null;
  /** sum n_i |r_i - p_i| / sum n_i: how far predictions miss, in conversion-rate points (see meanAbsoluteMiss); null when every campaign was excluded. */
  meanAbsoluteMiss: number | null;
  /** Share of campaigns with a predicted interval whose interval contains r_i; null when none has one. */
  intervalCoverage: number | null;
  /** Spearman correlation of predicted and realized lift; null for one campaign or a constant vector. */
  rankCorrelation: number | null;
  /** Share of campaigns whose predicted lift lies outside the Newcombe interval of the realized lift. */
  significantMissRate: number | null;
  /** Every campaign given, the excluded ones marked. */
  perCampaign: CampaignLift[];
}

/**
 * Computes the campaign suite; throws a RangeError naming the first campaign whose counts are impossible.
 * When every campaign is excluded the aggregates are null and `campaigns` is 0.
 */
export function computeCampaignLift(campaigns: readonly CampaignOutcome[]): CampaignLiftStatistics {
  if (campaigns.length === 0) throw new RangeError('computeCampaignLift requires at least one campaign');
  campaigns.forEach(checkCounts);
  const perCampaign = campaigns.map((campaign): CampaignLift => {
    const { treatment, control, plannedTreatmentShare } = campaign;
    const interval = newcombeInterval(treatment, control);
    const srm =
      plannedTreatmentShare === undefined
        ? null
        : srmPValue(treatment.units, control.units, plannedTreatmentShare);
    return {
      campaignId: campaign.campaignId,
      treatmentUnits: treatment.units,
      controlUnits: control.units,
      predictedLift: campaign.predictedLift,
      realizedLift: interval.difference,
      realizedLiftLower: interval.lower,
      realizedLiftUpper: interval.upper,
      srmPValue: srm,
      ...(srm !== null && srm < SRM_EXCLUSION_P_VALUE ? { excluded: 'sample_ratio_mismatch' as const } : {}),
    };
  });
  const srmChecked = perCampaign.filter((row) => row.srmPValue !== null).length;
  const srmCampaigns = perCampaign.filter((row) => row.excluded === 'sample_ratio_mismatch').length;
  const srm = {
    srmChecked,
    srmCampaigns,
    srmExcludedShare: srmChecked > 0 ? srmCampaigns / srmChecked : null,
  };
  const kept = campaigns.filter((_, i) => perCampaign[i]!.excluded === undefined);
  const keptRows = perCampaign.filter((row) => row.excluded === undefined);
  if (kept.length === 0) {
    return {
      campaigns: 0,
      ...srm,
      liftRatio: null,
      liftRatioLower: null,
      liftRatioUpper: null,
      realizedIncrementalConversions: 0,
      predictedIncrementalConversions: 0,
      liftBias: null,
      meanAbsoluteMiss: null,
      intervalCoverage: null,
      rankCorrelation: null,
      significantMissRate: null,
      perCampaign,
    };
  }
  const ratio = liftRatio(kept);
  return {
    campaigns: kept.length,
    ...srm,
    liftRatio: ratio.ratio,
    liftRatioLower: ratio.lower,
    liftRatioUpper: ratio.upper,
    realizedIncrementalConversions: ratio.realizedIncrementalConversions,
    predictedIncrementalConversions: ratio.predictedIncrementalConversions,
    liftBias: liftBias(kept),
    meanAbsoluteMiss: meanAbsoluteMiss(kept),
    intervalCoverage: intervalCoverage(kept),
    rankCorrelation: spearmanCorrelation(
      keptRows.map((row) => row.predictedLift),
      keptRows.map((row) => row.realizedLift),
    ),
    significantMissRate: significantMissRate(keptRows),
    perCampaign,
  };
}

function checkCounts(campaign: CampaignOutcome): void {
  const { campaignId, predictedLift, predictedLiftInterval, treatment, control, plannedTreatmentShare } =
    campaign;
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
  if (plannedTreatmentShare !== undefined && !(plannedTreatmentShare > 0 && plannedTreatmentShare < 1)) {
    throw new RangeError(
      `computeCampaignLift requires a plannedTreatmentShare in (0, 1) for campaign ${campaignId}`,
    );
  }
}
