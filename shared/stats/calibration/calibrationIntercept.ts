/**
 * Calibration intercept, calibration-in-the-large on the logit scale: the a of the logistic model
 * logit P(y = 1) = a + logit(p), the predictions' logits entering as an offset (slope fixed at 1).
 * 0 when predicted and observed log-odds agree on average, > 0 when the model under-predicts, < 0 when it
 * over-predicts. Its standard error is 1 / sqrt(sum mu_i (1 - mu_i)) at the estimate (inverse Fisher
 * information). No estimate (null) when all outcomes are equal: the likelihood then grows without bound as
 * a -> -inf or +inf. p is clipped to [1e-15, 1 - 1e-15].
 * Fitted by Newton's method on the score equation sum (y_i - mu_i(a)) = 0, where
 * mu_i(a) = p_i / (p_i + (1 - p_i) e^-a) needs no exponential per pair. A step that would leave the
 * bracket of the root found so far bisects it instead, and steps are capped at 10 on the logit scale. The fit
 * stops on a Newton step within FIT_STEP_TOLERANCE (1 + |a|), typically after 2 to 4 passes.
 *
 * Reference: Van Calster, B. et al. (2016), "A calibration hierarchy for risk models was defined: from utopia
 * to empirical data", J Clin Epidemiol 74 (CalibrationCurves::val.prob.ci.2 "Intercept"); equals statsmodels
 * GLM(y, ones, family=Binomial(), offset=logit(p)) wherever its IRLS converges (offsets of +-34.5, from
 * predictions of 0 or 1, overflow it).
 *
 * @example calibrationIntercept(Float64Array.of(0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9),
 *   Uint8Array.of(0, 0, 1, 0, 1, 1, 0, 1, 1, 1)).intercept // => 0.5368591690470874
 */

import type { LogisticEvaluation } from './logisticEvaluation.js';
import { FIT_STEP_TOLERANCE, type FitFailure, MAX_FIT_ITERATIONS } from './logisticFit.js';
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

/** Largest Newton step on the logit scale: a step from where the likelihood is flat must not overshoot. */
const MAX_STEP = 10;

/**
 * @param atIdentity the model evaluated at a = 0 (slope 1), where its probabilities are the clipped
 *   predictions, when already known: calibrationLogits computes it, saving the first pass.
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
    : interceptScore(predictions, outcomes, intercept);
  let iterations = atIdentity ? 0 : 1;
  // The score decreases in a; below and above bracket its root.
  let below = -Infinity;
  let above = Infinity;
  for (;;) {
    if (score > 0) below = intercept;
    else above = intercept;
    const step = score === 0 ? 0 : Math.max(-MAX_STEP, Math.min(MAX_STEP, score / information));
    if (Math.abs(step) <= FIT_STEP_TOLERANCE * (1 + Math.abs(intercept))) {
      return {
        intercept: intercept + step,
        standardError: 1 / Math.sqrt(information),
        converged: true,
        reason: null,
        iterations,
      };
    }
    if (iterations === MAX_FIT_ITERATIONS) return failure('no convergence', iterations);
    const next = intercept + step;
    intercept = next > below && next < above ? next : (below + above) / 2;
    ({ score, information } = interceptScore(predictions, outcomes, intercept));
    iterations++;
  }
}

/**
 * Score sum (y_i - mu_i) and information sum mu_i (1 - mu_i) at intercept a, with
 * mu_i = p_i / (p_i + (1 - p_i) e^-a). Each residual is split into a whole part y_i - round(mu_i), summed
 * exactly, and the remainder round(mu_i) - mu_i, formed from its own numerator: confident predictions (mu
 * within 1e-15 of 0 or 1) then keep the precision of their small remainders instead of cancelling to the
 * rounding of 1.
 */
function interceptScore(
  predictions: Float64Array,
  outcomes: Uint8Array | Float64Array,
  a: number,
): { score: number; information: number } {
  const oddsFactor = Math.exp(-a);
  let wholeParts = 0;
  let remainders = 0;
  let information = 0;
  for (let i = 0; i < predictions.length; i++) {
    const p = clipProbability(predictions[i]!);
    const q = (1 - p) * oddsFactor;
    const inverse = 1 / (p + q);
    const mu = p * inverse;
    const complement = q * inverse;
    const roundedMu = +(q < p);
    wholeParts += outcomes[i]! - roundedMu;
    remainders += (2 * roundedMu - 1) * Math.min(mu, complement);
    information += mu * complement;
  }
  return { score: wholeParts + remainders, information };
}

function failure(reason: FitFailure, iterations: number): InterceptFit {
  return { intercept: null, standardError: null, converged: false, reason, iterations };
}
