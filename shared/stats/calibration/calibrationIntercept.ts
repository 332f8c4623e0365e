/**
 * Calibration intercept, calibration-in-the-large on the logit scale: the a of the logistic model
 * logit P(y = 1) = a + logit(p), with the predictions' logits as an offset (slope fixed at 1). 0 when predicted and
 * observed log-odds agree on average, > 0 when the model under-predicts, < 0 when it over-predicts. Its standard
 * error is 1 / sqrt(sum mu_i (1 - mu_i)) at the estimate (the inverse Fisher information).
 * No estimate (null) when all outcomes are equal: the likelihood then grows without bound as a -> -inf or +inf.
 * p is clipped to [1e-15, 1 - 1e-15]. Fitted by Newton's method on the score equation sum mu_i(a) = O, where
 * mu_i(a) = p_i / (p_i + (1 - p_i) e^-a) needs no exponential per pair; a step that would leave the bracket of the
 * root found so far bisects it instead, and steps are capped at 10 on the logit scale. It stops on a Newton step
 * within FIT_STEP_TOLERANCE (1 + |a|), typically after 2 to 4 passes.
 *
 * Reference: Van Calster, B. et al. (2016), "A calibration hierarchy for risk models was defined: from utopia to
 * empirical data", J Clin Epidemiol 74 (CalibrationCurves::val.prob.ci.2 "Intercept"); equals statsmodels
 * GLM(y, ones, family=Binomial(), offset=logit(p)).
 *
 * @example calibrationIntercept(Float64Array.of(0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9),
 *   Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 1, 1, 1)).intercept // => 0.5368591690470873
 */
import { FIT_STEP_TOLERANCE, type FitFailure, MAX_FIT_ITERATIONS } from './fitFailure.js';
import type { LogisticEvaluation } from './logisticEvaluation.js';
import { clipProbability } from './probabilityClip.js';

export interface InterceptFit {
  intercept: number | null;
  standardError: number | null;
  converged: boolean;
  /** Why there is no estimate; null when the fit converged. */
  reason: FitFailure | null;
  /** Newton iterations, each one pass over the data. */
  iterations: number;
}

/** Largest Newton step on the logit scale: keeps a step taken where the likelihood is flat from overshooting. */
const MAX_STEP = 10;

/**
 * @param atIdentity the model evaluated at a = 0 (slope 1), where its probabilities are the clipped predictions,
 *   when already known: calibrationLogits computes it, saving the first pass.
 */
export function calibrationIntercept(
  predictions: Float64Array,
  outcomes: Uint8Array | Float64Array,
  atIdentity?: Pick<LogisticEvaluation, 'scoreIntercept' | 'informationInterceptIntercept'>,
): InterceptFit {
  const n = predictions.length;
  if (n === 0 || outcomes.length !== n)
    throw new RangeError('calibrationIntercept requires one outcome per prediction and at least one pair');
  let positives = 0;
  for (let i = 0; i < n; i++) positives += outcomes[i]!;
  if (positives === 0) return failure('all outcomes are 0', 0);
  if (positives === n) return failure('all outcomes are 1', 0);

  let intercept = 0;
  let { score, information } = atIdentity
    ? { score: atIdentity.scoreIntercept, information: atIdentity.informationInterceptIntercept }
    : interceptScore(predictions, positives, intercept);
  let iterations = atIdentity ? 0 : 1;
  // The score O - sum mu_i(a) decreases in a; below and above bracket its root.
  let below = -Infinity;
  let above = Infinity;
  for (;;) {
    if (score > 0) below = intercept;
    else above = intercept;
    const step = score === 0 ? 0 : Math.max(-MAX_STEP, Math.min(MAX_STEP, score / information));
    const next = intercept + step;
    const insideBracket = next > below && next < above;
    if (Math.abs(step) <= FIT_STEP_TOLERANCE * (1 + Math.abs(intercept)) && (insideBracket || step === 0)) {
      return {
        intercept: next,
        standardError: 1 / Math.sqrt(information),
        converged: true,
        reason: null,
        iterations,
      };
    }
    if (iterations === MAX_FIT_ITERATIONS) return failure('no convergence', iterations);
    intercept = insideBracket ? next : (below + above) / 2;
    ({ score, information } = interceptScore(predictions, positives, intercept));
    iterations++;
  }
}

/** Score O - sum mu_i and information sum mu_i (1 - mu_i) at intercept a, mu_i = p_i / (p_i + (1 - p_i) e^-a). */
function interceptScore(
  predictions: Float64Array,
  positives: number,
  a: number,
): { score: number; information: number } {
  const oddsFactor = Math.exp(-a);
  let expected = 0;
  let information = 0;
  for (let i = 0; i < predictions.length; i++) {
    const p = clipProbability(predictions[i]!);
    const q = (1 - p) * oddsFactor;
    const inverse = 1 / (p + q);
    const mu = p * inverse;
    expected += mu;
    information += mu * q * inverse;
  }
  return { score: positives - expected, information };
}

function failure(reason: FitFailure, iterations: number): InterceptFit {
  return { intercept: null, standardError: null, converged: false, reason, iterations };
}
