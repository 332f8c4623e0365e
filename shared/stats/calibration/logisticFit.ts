/** What the two logistic calibration fits share: why they can fail, and when they stop. */

/** Why a logistic calibration fit has no estimate: the closed set of reasons a fit reports. */
export const FitFailure = [
  'all outcomes are 0',
  'all outcomes are 1',
  'predictions are constant',
  'outcomes are separated by the predictions',
  'no convergence',
] as const;
export type FitFailure = (typeof FitFailure)[number];

/** Newton iterations at most, each one pass over the data. */
export const MAX_FIT_ITERATIONS = 100;

/**
 * A fit stops when its Newton step is within this much of each coefficient (relative to 1 + |coefficient|),
 * and takes that step. Newton's method converges quadratically, so the error left is of the order of the step
 * squared, about 1e-12: another pass would change only digits beyond that (tests hold statsmodels to 1e-9).
 */
export const FIT_STEP_TOLERANCE = 1e-6;
