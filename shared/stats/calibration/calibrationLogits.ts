/**
 * The logit-scale pass: the logit of each clipped prediction, and the logistic recalibration model
 * logit P(y = 1) = a + b logit(p) evaluated at (a, b) = (0, 1), where its probabilities are the clipped
 * predictions themselves. That evaluation is both the log loss (minus its log-likelihood, over N) and the
 * first Newton iteration of the slope and intercept fits, here without exponentials.
 */
import type { LogisticEvaluation } from './logisticEvaluation.js';
import { NeumaierSum } from './neumaierSum.js';
import { clipProbability } from './probabilityClip.js';

export interface CalibrationLogits {
  /** ln(p / (1 - p)) of each prediction clipped to [1e-15, 1 - 1e-15], in input order. */
  logits: Float64Array;
  /** The model at (a, b) = (0, 1); its log-likelihood is sum (y ln p + (1 - y) ln(1 - p)), p clipped. */
  atIdentity: LogisticEvaluation;
}

/**
 * Probabilities multiplied before one logarithm is taken for the log-likelihood: each is at least 1e-15 after
 * clipping, so a block's product stays above 1e-240, clear of underflow.
 */
const LOG_PRODUCT_BLOCK = 16;

/**
 * Expects predictions in [0, 1] and outcomes of 0 or 1, as sumCalibrationTerms checks.
 *
 * @example calibrationLogits(Float64Array.of(0.5, 0.8), Uint8Array.of(1, 1)).logits
 * // => Float64Array [0, 1.3862943611198908]
 */
export function calibrationLogits(
  predictions: Float64Array,
  outcomes: Uint8Array | Float64Array,
): CalibrationLogits {
  const n = predictions.length;
  if (outcomes.length !== n) throw new RangeError('calibrationLogits requires one outcome per prediction');
  const logits = new Float64Array(n);
  const logLikelihood = new NeumaierSum();
  let wholeResiduals = 0;
  let remainderResiduals = 0;
  let scoreSlope = 0;
  let iaa = 0;
  let iab = 0;
  let ibb = 0;
  for (let start = 0; start < n; start += LOG_PRODUCT_BLOCK) {
    const end = Math.min(start + LOG_PRODUCT_BLOCK, n);
    let probabilityProduct = 1;
    for (let i = start; i < end; i++) {
      const p = clipProbability(predictions[i]!);
      const y = outcomes[i]!;
      const logit = Math.log(p / (1 - p));
      logits[i] = logit;
      // The probability of the outcome, p or 1 - p, chosen without a branch (y is 0 or 1, the product exact).
      probabilityProduct *= y * p + (1 - y) * (1 - p);
      const weight = p * (1 - p);
      // y - p as y - round(p) plus round(p) - p = +-min(p, 1 - p), as evaluateLogistic splits it.
      const roundedP = +(p > 0.5);
      const whole = y - roundedP;
      const remainder = (2 * roundedP - 1) * Math.min(p, 1 - p);
      wholeResiduals += whole;
      remainderResiduals += remainder;
      scoreSlope += (whole + remainder) * logit;
      iaa += weight;
      iab += weight * logit;
      ibb += weight * logit * logit;
    }
    logLikelihood.add(Math.log(probabilityProduct));
  }
  return {
    logits,
    atIdentity: {
      logLikelihood: logLikelihood.value,
      scoreIntercept: wholeResiduals + remainderResiduals,
      scoreSlope,
      informationInterceptIntercept: iaa,
      informationInterceptSlope: iab,
      informationSlopeSlope: ibb,
    },
  };
}
