export interface PredictionAgainstInterval {
  predictedLift: number;
  realizedLiftLower: number;
  realizedLiftUpper: number;
}

/**
 * Significant miss rate: the share of campaigns whose predicted lift p_i lies outside the interval of its
 * realized lift, p_i < L_i or p_i > U_i. With the 95% Newcombe intervals computeCampaignLift gives each
 * campaign (see newcombeInterval), these are the campaigns where a two-arm test rejects the prediction at about
 * the 5% level: near 0.05 for an unbiased model, higher when predictions miss by more than sampling noise.
 * NaN for no campaigns.
 *
 * Reference: Newcombe, R. G. (1998), Statistics in Medicine 17, 873-890, method 10.
 *
 * @example significantMissRate([
 *   { predictedLift: 0.2, realizedLiftLower: 0.05, realizedLiftUpper: 0.33 },
 *   { predictedLift: 0.4, realizedLiftLower: 0.05, realizedLiftUpper: 0.33 },
 * ]) // => 0.5
 */
export function significantMissRate(campaigns: readonly PredictionAgainstInterval[]): number {
  let misses = 0;
  for (const { predictedLift, realizedLiftLower, realizedLiftUpper } of campaigns) {
    if (predictedLift < realizedLiftLower || predictedLift > realizedLiftUpper) misses++;
  }
  return misses / campaigns.length;
}
