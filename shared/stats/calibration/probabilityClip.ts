/** The clipping applied to a prediction wherever its logarithm or logit is taken. */

/** Predictions are clipped to [PROBABILITY_CLIP, 1 - PROBABILITY_CLIP] before a logarithm or logit. */
export const PROBABILITY_CLIP = 1e-15;

/**
 * A probability clipped to [1e-15, 1 - 1e-15], so that ln p >= -34.54 and |logit p| <= 34.54 stay finite.
 * The clip of scikit-learn's log_loss before 1.2 (eps=1e-15); numpy: np.clip(p, 1e-15, 1 - 1e-15).
 *
 * @example clipProbability(0) // => 1e-15
 */
export function clipProbability(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_CLIP), 1 - PROBABILITY_CLIP);
}
