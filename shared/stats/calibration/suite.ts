/**
 * The calibration suite: every calibration statistic of one batch of matured (prediction, outcome) pairs. One
 * pass sums the probability-scale terms, one takes the logarithms (log loss, each logit once, and the first
 * Newton iteration of both fits); the slope fit then iterates over those logits and the intercept fit over
 * the predictions.
 */
import { brierScore } from './brierScore.js';
import { type CalibrationBin, calibrationBins } from './calibrationBins.js';
import { calibrationIntercept } from './calibrationIntercept.js';
import { calibrationLogits } from './calibrationLogits.js';
import { calibrationSlope } from './calibrationSlope.js';
import { sumCalibrationTerms } from './calibrationSums.js';
import { expectedCalibrationError } from './expectedCalibrationError.js';
import type { FitFailure } from './logisticFit.js';
import { logLoss } from './logLoss.js';
import { observedExpectedRatio } from './observedExpectedRatio.js';
import { spiegelhalterTest } from './spiegelhalterTest.js';

/** Both logistic fits: converged when both did; otherwise why not (the intercept fit's reason first). */
export interface CalibrationFit {
  converged: boolean;
  reason: FitFailure | null;
  /** Newton iterations of each fit, each one pass over the data. */
  slopeIterations: number;
  interceptIterations: number;
}

/** Values are finite numbers or null where a statistic is undefined for the batch; never NaN or infinite. */
export interface CalibrationStatistics {
  /** Pairs N. */
  n: number;
  /** Outcomes equal to 1, O. */
  positives: number;
  /** E / N, E = sum p. */
  meanPrediction: number;
  /** O / N. */
  observedRate: number;
  oeRatio: number | null;
  oeRatioLower: number | null;
  oeRatioUpper: number | null;
  brier: number;
  logLoss: number;
  ece: number;
  /** The non-empty reliability bins, in order. */
  bins: CalibrationBin[];
  calibrationSlope: number | null;
  calibrationSlopeStandardError: number | null;
  calibrationIntercept: number | null;
  calibrationInterceptStandardError: number | null;
  spiegelhalterZ: number | null;
  spiegelhalterPValue: number | null;
  fit: CalibrationFit;
}

/** Computes the calibration suite. Throws a RangeError on an empty batch, unpaired arrays, invalid values. */
export function computeCalibration(
  predictions: Float64Array,
  outcomes: Uint8Array | Float64Array,
): CalibrationStatistics {
  const sums = sumCalibrationTerms(predictions, outcomes);
  const { logits, atIdentity } = calibrationLogits(predictions, outcomes);
  const { n, outcomeSum: positives, predictionSum } = sums;
  const oe = observedExpectedRatio(positives, predictionSum);
  const bins = calibrationBins(sums);
  const slopeFit = calibrationSlope(logits, outcomes, atIdentity);
  const interceptFit = calibrationIntercept(predictions, outcomes, atIdentity);
  const spiegelhalter = spiegelhalterTest(sums);
  return {
    n,
    positives,
    meanPrediction: predictionSum / n,
    observedRate: positives / n,
    oeRatio: oe.ratio,
    oeRatioLower: oe.lower,
    oeRatioUpper: oe.upper,
    brier: brierScore(sums),
    logLoss: logLoss(atIdentity.logLikelihood, n),
    ece: expectedCalibrationError(bins),
    bins,
    calibrationSlope: slopeFit.slope,
    calibrationSlopeStandardError: slopeFit.slopeStandardError,
    calibrationIntercept: interceptFit.intercept,
    calibrationInterceptStandardError: interceptFit.standardError,
    spiegelhalterZ: spiegelhalter.z,
    spiegelhalterPValue: spiegelhalter.pValue,
    fit: {
      converged: interceptFit.converged && slopeFit.converged,
      reason: interceptFit.reason ?? slopeFit.reason,
      slopeIterations: slopeFit.iterations,
      interceptIterations: interceptFit.iterations,
    },
  };
}
