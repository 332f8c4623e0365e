import { NORMAL_QUANTILE_975 } from '../normalQuantile.js';
import type { CampaignOutcome } from './campaign.js';
import { realizedLift } from './realizedLift.js';

export interface LiftRatio {
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  /** S = sum n_i r_i. */
  realizedIncrementalConversions: number;
  /** P = sum n_i p_i. */
  predictedIncrementalConversions: number;
}

/**
 * Lift ratio: realized incremental conversions over the incremental conversions the model predicted,
 * ratio = S / P with S = sum n_i r_i and P = sum n_i p_i, where n_i is campaign i's treatment units, r_i its
 * realized lift (treatment rate minus control rate) and p_i its predicted lift. 1 when every campaign realizes
 * exactly what was predicted; 0.5 when campaigns deliver half the predicted extra conversions.
 *
 * Interval (95% by default): the predicted lifts are model outputs, fixed numbers, so P has no sampling
 * variance and all the uncertainty is in S, a sum of independent differences in proportions with
 * Var(S) = sum n_i^2 [pt_i (1 - pt_i) / nt_i + pc_i (1 - pc_i) / nc_i] (plug-in binomial variances). Fieller's
 * theorem for a ratio whose denominator has zero variance reduces exactly to [S -+ z sqrt(Var S)] / P, so no
 * delta-method linearisation is involved: the interval is as good as the normal approximation to S, which
 * sums every unit of every campaign. Its weakness is the plug-in variance of an arm with 0 or all conversions
 * (0), which makes the interval too narrow when only a few tiny campaigns are pooled.
 *
 * Edges: ratio and bounds are null when P <= 0 (a ratio over a non-positive prediction has no direction)
 * or when P is so small that they overflow; with zero variance the bounds equal the ratio.
 *
 * Reference: Fieller, E. C. (1954), "Some problems in interval estimation", JRSS B 16(2), 175-185.
 *
 * @example liftRatio([{ predictedLift: 0.25, treatment: { units: 100, conversions: 50 }, control: { units: 100, conversions: 25 } }])
 * // => { ratio: 1, lower: 0.4814422718263771, upper: 1.518557728173623,
 * //      realizedIncrementalConversions: 25, predictedIncrementalConversions: 25 }
 */
export function liftRatio(
  campaigns: readonly Pick<CampaignOutcome, 'predictedLift' | 'treatment' | 'control'>[],
  z = NORMAL_QUANTILE_975,
): LiftRatio {
  let realized = 0;
  let predicted = 0;
  let variance = 0;
  for (const campaign of campaigns) {
    const { treatment, control } = campaign;
    const units = treatment.units;
    const pt = treatment.conversions / treatment.units;
    const pc = control.conversions / control.units;
    realized += units * realizedLift(campaign);
    predicted += units * campaign.predictedLift;
    variance += units * units * ((pt * (1 - pt)) / treatment.units + (pc * (1 - pc)) / control.units);
  }
  const totals = { realizedIncrementalConversions: realized, predictedIncrementalConversions: predicted };
  const halfWidth = z * Math.sqrt(variance);
  const ratio = realized / predicted;
  const lower = (realized - halfWidth) / predicted;
  const upper = (realized + halfWidth) / predicted;
  if (!(predicted > 0 && Number.isFinite(lower) && Number.isFinite(upper))) {
    return { ratio: null, lower: null, upper: null, ...totals };
  }
  return { ratio, lower, upper, ...totals };
}
