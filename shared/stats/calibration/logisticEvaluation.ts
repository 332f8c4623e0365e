/**
 * The logistic recalibration model logit P(y = 1) = a + b x at one (a, b), x the logit of a prediction: its
 * log-likelihood, score (gradient) and Fisher information, as one Newton iteration of the calibration fits
 * needs.
 */

export interface LogisticEvaluation {
  /** sum (y ln mu + (1 - y) ln(1 - mu)), mu = 1 / (1 + e^-(a + b x)). */
  logLikelihood: number;
  /** sum (y - mu). */
  scoreIntercept: number;
  /** sum (y - mu) x. */
  scoreSlope: number;
  /** sum mu (1 - mu). */
  informationInterceptIntercept: number;
  /** sum mu (1 - mu) x. */
  informationInterceptSlope: number;
  /** sum mu (1 - mu) x^2. */
  informationSlopeSlope: number;
}

/** Pairs whose factors 1 + e^-|eta|, each in (1, 2], are multiplied before one logarithm: 2^512 fits. */
const LOG_PRODUCT_BLOCK = 512;

/**
 * Evaluates the model at (a, b) = (intercept, slope) in one pass: one exponential per pair, and one logarithm
 * per block of pairs for the log-likelihood.
 *
 * @example evaluateLogistic(Float64Array.of(0), Uint8Array.of(1), 0, 1).logLikelihood
 * // => -0.6931471805599453
 */
export function evaluateLogistic(
  logits: Float64Array,
  outcomes: Uint8Array | Float64Array,
  intercept: number,
  slope: number,
): LogisticEvaluation {
  const n = logits.length;
  let logLikelihood = 0;
  let wholeResiduals = 0;
  let remainderResiduals = 0;
  let scoreSlope = 0;
  let iaa = 0;
  let iab = 0;
  let ibb = 0;
  for (let start = 0; start < n; start += LOG_PRODUCT_BLOCK) {
    const end = Math.min(start + LOG_PRODUCT_BLOCK, n);
    let factorProduct = 1;
    for (let i = start; i < end; i++) {
      const x = logits[i]!;
      const y = outcomes[i]!;
      const eta = intercept + slope * x;
      // min(mu, 1 - mu) = e / (1 + e) and mu (1 - mu) = e / (1 + e)^2 from e = e^-|eta| in (0, 1], which
      // neither overflows nor cancels. The residual y - mu is split into y - round(mu), summed exactly, and
      // round(mu) - mu = +-min(mu, 1 - mu), which keeps its precision when mu is within 1e-15 of 0 or 1
      // (confident predictions, right or wrong). Written without branches: their outcome is random.
      const e = Math.exp(-Math.abs(eta));
      const inverse = 1 / (1 + e);
      const nearer = e * inverse;
      const weight = nearer * inverse;
      const roundedMu = +(eta > 0);
      const whole = y - roundedMu;
      const remainder = (2 * roundedMu - 1) * nearer;
      // ln P(y) = y eta - ln(1 + e^eta) = y eta - max(eta, 0) - ln(1 + e^-|eta|).
      logLikelihood += y * eta - Math.max(eta, 0);
      factorProduct *= 1 + e;
      wholeResiduals += whole;
      remainderResiduals += remainder;
      scoreSlope += (whole + remainder) * x;
      iaa += weight;
      iab += weight * x;
      ibb += weight * x * x;
    }
    logLikelihood -= Math.log(factorProduct);
  }
  return {
    logLikelihood,
    scoreIntercept: wholeResiduals + remainderResiduals,
    scoreSlope,
    informationInterceptIntercept: iaa,
    informationInterceptSlope: iab,
    informationSlopeSlope: ibb,
  };
}
