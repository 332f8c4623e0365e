/**
 * Calibration slope: the b of the logistic recalibration model logit P(y = 1) = a + b logit(p), a and b
 * fitted together by maximum likelihood. 1 for well-calibrated predictions, < 1 when they are over-confident
 * (too extreme), > 1 when they are too timid. The joint intercept a is returned too (rms::val.prob's
 * "Intercept"; not the calibration-in-the-large of calibrationIntercept). Standard errors come from the
 * inverse Fisher information. p is clipped to [1e-15, 1 - 1e-15].
 * No estimate (null, with the reason) when all outcomes are equal, when the logits are all equal (b is then
 * not identified), or when a threshold on the logits separates the outcomes, quasi-completely included (the
 * maximum likelihood estimate then does not exist: b -> +-inf).
 * Fitted by Newton's method from (a, b) = (0, 1) on the 2x2 normal equations, a step halved while it lowers
 * the log-likelihood and limited to a trust region (no a + b logit(p) moves by more than a reach that starts
 * at 10 and doubles after a step that used all of it), until both steps are within FIT_STEP_TOLERANCE
 * (1 + |coefficient|); typically 2 to 5 passes with one exponential per pair.
 *
 * Reference: Cox, D. R. (1958), "Two further applications of a model for binary regression", Biometrika 45;
 * rms::val.prob "Slope"; equals statsmodels GLM(y, [1, logit(p)], family=Binomial()).
 *
 * @example const p = Float64Array.of(0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9);
 * const y = Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 1, 1, 1);
 * calibrationSlope(calibrationLogits(p, y).logits, y).slope // => 1.6047825907632984
 */

import { evaluateLogistic, type LogisticEvaluation } from './logisticEvaluation.js';
import { FIT_STEP_TOLERANCE, type FitFailure, MAX_FIT_ITERATIONS } from './logisticFit.js';

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
 * @param atIdentity the model evaluated at the starting point (a, b) = (0, 1), where its probabilities are
 *   the predictions themselves, when already known: calibrationLogits computes it without exponentials.
 */
export function calibrationSlope(
  logits: Float64Array,
  outcomes: Uint8Array | Float64Array,
  atIdentity?: LogisticEvaluation,
): SlopeFit {
  const n = logits.length;
  if (n === 0 || outcomes.length !== n)
    throw new RangeError('calibrationSlope requires one outcome per logit and at least one pair');
  const { failure: unidentified, largestLogit } = scanLogits(logits, outcomes);
  if (unidentified) return failure(unidentified, 0);

  let intercept = 0;
  let slope = 1;
  let current = atIdentity ?? evaluateLogistic(logits, outcomes, intercept, slope);
  let iterations = atIdentity ? 0 : 1;
  let reach = INITIAL_REACH;
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
    // Where nearly every prediction is 0 or 1 the information is almost singular and the raw step enormous:
    // a step may move no linear predictor a + b x by more than the reach, which doubles after a step that
    // used all of it and shrinks to a step that had to be halved.
    const stepReach = Math.abs(stepIntercept) + Math.abs(stepSlope) * largestLogit;
    let fraction = Math.min(1, reach / stepReach);
    const firstTry = evaluateLogistic(
      logits,
      outcomes,
      intercept + fraction * stepIntercept,
      slope + fraction * stepSlope,
    );
    let next = firstTry;
    iterations++;
    while (!acceptable(next) && iterations < MAX_FIT_ITERATIONS) {
      fraction /= 2;
      next = evaluateLogistic(
        logits,
        outcomes,
        intercept + fraction * stepIntercept,
        slope + fraction * stepSlope,
      );
      iterations++;
    }
    if (!acceptable(next)) break;
    reach = next === firstTry ? Math.max(reach, 2 * fraction * stepReach) : fraction * stepReach;
    intercept += fraction * stepIntercept;
    slope += fraction * stepSlope;
    current = next;
  }
  return failure('no convergence', iterations);
}

/** Largest change of any linear predictor a + b x in the first Newton step, on the logit scale. */
const INITIAL_REACH = 10;

/**
 * Why the maximum likelihood estimate does not exist, if it does not, and the largest |logit|. It exists
 * exactly when both outcomes occur, the logits vary, and no threshold c has every y = 0 at logit <= c and
 * every y = 1 at logit >= c (or the reverse).
 */
function scanLogits(
  logits: Float64Array,
  outcomes: Uint8Array | Float64Array,
): { failure: FitFailure | null; largestLogit: number } {
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
  const lowest = Math.min(lowestPositive, lowestNegative);
  const highest = Math.max(highestPositive, highestNegative);
  const largestLogit = Math.max(Math.abs(lowest), Math.abs(highest));
  let failure: FitFailure | null = null;
  if (lowestPositive === Infinity) failure = 'all outcomes are 0';
  else if (lowestNegative === Infinity) failure = 'all outcomes are 1';
  else if (lowest === highest) failure = 'predictions are constant';
  else if (highestNegative <= lowestPositive || highestPositive <= lowestNegative)
    failure = 'outcomes are separated by the predictions';
  return { failure, largestLogit };
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
