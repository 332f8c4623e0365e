/**
 * Log loss (cross-entropy, the mean negative Bernoulli log-likelihood):
 * LL = -(1/N) sum (y_i ln p_i + (1 - y_i) ln(1 - p_i)), natural logarithm, p clipped to [1e-15, 1 - 1e-15],
 * so a confident miss (p = 0, y = 1) costs ln(1e15) = 34.54 instead of infinity. Always >= 0. The
 * log-likelihood is calibrationLogits' atIdentity.logLikelihood.
 *
 * Reference: scikit-learn sklearn.metrics.log_loss; our clip is its eps=1e-15 of versions before 1.2 (from
 * 1.2 it clips at machine epsilon 2.2e-16, which changes the value only for predictions within 1e-15 of 0
 * or 1).
 *
 * @example const p = Float64Array.of(0.9, 0.1, 0.2, 0.65);
 * const { atIdentity } = calibrationLogits(p, Uint8Array.of(1, 0, 0, 1));
 * logLoss(atIdentity.logLikelihood, 4) // => 0.21616187468057912
 */
export function logLoss(logLikelihood: number, n: number): number {
  if (!(n > 0)) throw new RangeError('logLoss requires at least one pair');
  if (!(logLikelihood <= 0)) throw new RangeError('logLoss requires a log-likelihood of at most 0');
  return -logLikelihood / n;
}
