/**
 * Calibration slope: the b of the logistic recalibration model logit P(y = 1) = a + b logit(p), both fitted by
 * maximum likelihood. 1 for well-calibrated predictions; < 1 when they are over-confident (too extreme),
 * > 1 when they are too timid. The joint intercept a is returned too (rms::val.prob's "Intercept"; it is not the
 * calibration-in-the-large of calibrationIntercept). Standard errors from the inverse Fisher information.
 * No estimate (null, with the reason) when all outcomes are equal, when the logits are all equal (b is then not
 * identified), or when a threshold on the logits separates the outcomes, quasi-completely included (the maximum
 * likelihood estimate then does not exist: b -> +-inf).
 * Fitted by Newton's method from (a, b) = (0, 1) on 2x2 normal equations, halving a step while it lowers the
 * log-likelihood, until both steps are within FIT_STEP_TOLERANCE (1 + |coefficient|): typically 2 to 5 passes
 * with one exponential per pair.
 *
 * Reference: Cox, D. R. (1958), "Two further applications of a model for binary regression", Biometrika 45;
 * rms::val.prob "Slope"; equals statsmodels GLM(y, [1, logit(p)], family=Binomial()).
 *
 * @example calibrationSlope(Float64Array.from([0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9], (p) =>
 *   Math.log(p / (1 - p))), Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 1, 1, 1)).slope // => 1.60478250329039
 */
import { FIT_STEP_TOLERANCE, type FitFailure, MAX_FIT_ITERATIONS } from './fitFailure.js';
import { evaluateLogistic, type LogisticEvaluation } from './logisticEvaluation.js';

export interface SlopeFit {
  slope: number | null;
  /** The intercept fitted jointly with the slope. */
  intercept: number | null;
  slopeStandardError: number | null;
  interceptStandardError: number | null;
  converged: boolean;
  /** Why there is no estimate; null when the fit converged. */
  reason: FitFailure | null;
  /** Newton iterations, each one pass over the data (step halvings included). */
  iterations: number;
}

/**
 * @param logits ln(p / (1 - p)) of each prediction, p clipped to [1e-15, 1 - 1e-15].
 * @param atIdentity the model evaluated at the starting point (a, b) = (0, 1), where its probabilities are the
 *   predictions themselves, when already known: calibrationLogits computes it without exponentials.
 */
export function calibrationSlope(
  logits: Float64Array,
  outcomes: Uint8Array | Float64Array,
  atIdentity?: LogisticEvaluation,
): SlopeFit {
  const n = logits.length;
  if (n === 0 || outcomes.length !== n)
    throw new RangeError('calibrationSlope requires one outcome per logit and at least one pair');
  const unidentified = whyNoEstimate(logits, outcomes);
  if (unidentified) return failure(unidentified, 0);

  let intercept = 0;
  let slope = 1;
  let current = atIdentity ?? evaluateLogistic(logits, outcomes, intercept, slope);
  let iterations = atIdentity ? 0 : 1;
  while (iterations < MAX_FIT_ITERATIONS) {
    const {
      informationInterceptIntercept: iaa,
      informationInterceptSlope: iab,
      informationSlopeSlope: ibb,
    } = current;
    const determinant = iaa * ibb - iab * iab;
    if (!(determinant > 0)) break;
    const stepIntercept = (ibb * current.scoreIntercept - iab * current.scoreSlope) / determinant;
    const stepSlope = (iaa * current.scoreSlope - iab * current.scoreIntercept) / determinant;
    if (
      Math.abs(stepIntercept) <= FIT_STEP_TOLERANCE * (1 + Math.abs(intercept)) &&
      Math.abs(stepSlope) <= FIT_STEP_TOLERANCE * (1 + Math.abs(slope))
    ) {
      return {
        slope: slope + stepSlope,
        intercept: intercept + stepIntercept,
        slopeStandardError: Math.sqrt(iaa / determinant),
        interceptStandardError: Math.sqrt(ibb / determinant),
        converged: true,
        reason: null,
        iterations,
      };
    }
    // Rounding makes the log-likelihoods of nearly equal points differ by ~1e-16 relative: not a decrease.
    const allowedDecrease = 1e-12 * (1 + Math.abs(current.logLikelihood));
    const acceptable = (candidate: LogisticEvaluation) =>
      candidate.logLikelihood >= current.logLikelihood - allowedDecrease;
    let fraction = 1;
    let next = evaluateLogistic(logits, outcomes, intercept + stepIntercept, slope + stepSlope);
    iterations++;
    while (!acceptable(next) && iterations < MAX_FIT_ITERATIONS) {
      fraction /= 2;
      next = evaluateLogistic(logits, outcomes, intercept + fraction * stepIntercept, slope + fraction * stepSlope);
      iterations++;
    }
    if (!acceptable(next)) break;
    intercept += fraction * stepIntercept;
    slope += fraction * stepSlope;
    current = next;
  }
  return failure('no convergence', iterations);
}

/**
 * The maximum likelihood estimate exists exactly when both outcomes occur, the logits vary, and no threshold
 * c has every y = 0 at logit <= c and every y = 1 at logit >= c (or the reverse).
 */
function whyNoEstimate(logits: Float64Array, outcomes: Uint8Array | Float64Array): FitFailure | null {
  let lowestPositive = Infinity;
  let highestPositive = -Infinity;
  let lowestNegative = Infinity;
  let highestNegative = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (outcomes[i] === 1) {
      if (x < lowestPositive) lowestPositive = x;
      if (x > highestPositive) highestPositive = x;
    } else {
      if (x < lowestNegative) lowestNegative = x;
      if (x > highestNegative) highestNegative = x;
    }
  }
  if (lowestPositive === Infinity) return 'all outcomes are 0';
  if (lowestNegative === Infinity) return 'all outcomes are 1';
  if (Math.min(lowestPositive, lowestNegative) === Math.max(highestPositive, highestNegative))
    return 'predictions are constant';
  if (highestNegative <= lowestPositive || highestPositive <= lowestNegative)
    return 'outcomes are separated by the predictions';
  return null;
}

function failure(reason: FitFailure, iterations: number): SlopeFit {
  return {
    slope: null,
    intercept: null,
    slopeStandardError: null,
    interceptStandardError: null,
    converged: false,
    reason,
    iterations,
  };
}
