/**
 * The probability-scale pass over (prediction, outcome) pairs: the totals behind O/E, Brier and
 * Spiegelhalter's z and the per-bin sums of the reliability diagram, accumulated in one loop; each
 * statistic's own file gives its formula. The logit-scale terms (log loss, the logistic fits) come from
 * calibrationLogits.
 */
import { type BinSums, binIndex, DEFAULT_CALIBRATION_BIN_COUNT, uniformBinEdges } from './calibrationBins.js';
import { NeumaierSum } from './neumaierSum.js';

export interface CalibrationSums extends BinSums {
  /** Pairs N. */
  n: number;
  /** O = sum y. */
  outcomeSum: number;
  /** E = sum p (unclipped). */
  predictionSum: number;
  /** sum (p - y)^2 (unclipped p). */
  squaredErrorSum: number;
  /** sum (y - p)(1 - 2p). */
  spiegelhalterNumerator: number;
  /** sum (1 - 2p)^2 p (1 - p), the variance of the numerator when the predictions are right. */
  spiegelhalterVariance: number;
}

/**
 * Totals are plain sums within blocks of this many pairs and compensated (Neumaier) across blocks: an error
 * near numpy's pairwise summation for the cost of a plain loop.
 */
const BLOCK_SIZE = 1024;

/**
 * Sums every calibration term in one pass, with binCount equal-width bins (10 by default) for the reliability
 * diagram. Throws when a prediction is outside [0, 1] (or NaN) or an outcome is not 0 or 1.
 *
 * @example sumCalibrationTerms(Float64Array.of(0.1, 0.9), Uint8Array.of(0, 1)).squaredErrorSum
 * // => 0.019999999999999997
 */
export function sumCalibrationTerms(
  predictions: Float64Array,
  outcomes: Uint8Array | Float64Array,
  binCount = DEFAULT_CALIBRATION_BIN_COUNT,
): CalibrationSums {
  const n = predictions.length;
  if (n === 0) throw new RangeError('sumCalibrationTerms requires at least one prediction');
  if (outcomes.length !== n) throw new RangeError('sumCalibrationTerms requires one outcome per prediction');
  const binEdges = uniformBinEdges(binCount);
  const binCounts = new Float64Array(binCount);
  const binPredictionSums = new Float64Array(binCount);
  const binOutcomeSums = new Float64Array(binCount);
  const predictionSum = new NeumaierSum();
  const squaredErrorSum = new NeumaierSum();
  const spiegelhalterNumerator = new NeumaierSum();
  const spiegelhalterVariance = new NeumaierSum();
  let outcomeSum = 0;
  for (let start = 0; start < n; start += BLOCK_SIZE) {
    const end = Math.min(start + BLOCK_SIZE, n);
    let blockPrediction = 0;
    let blockSquaredError = 0;
    let blockNumerator = 0;
    let blockVariance = 0;
    for (let i = start; i < end; i++) {
      const p = predictions[i]!;
      const y = outcomes[i]!;
      if (!(p >= 0 && p <= 1)) throw new RangeError('sumCalibrationTerms requires predictions in [0, 1]');
      if (y !== 0 && y !== 1) throw new RangeError('sumCalibrationTerms requires outcomes of 0 or 1');
      outcomeSum += y;
      blockPrediction += p;
      blockSquaredError += (p - y) * (p - y);
      const spread = 1 - 2 * p;
      blockNumerator += (y - p) * spread;
      blockVariance += spread * spread * p * (1 - p);
      const bin = binIndex(p, binEdges);
      binCounts[bin]! += 1;
      binPredictionSums[bin]! += p;
      binOutcomeSums[bin]! += y;
    }
    predictionSum.add(blockPrediction);
    squaredErrorSum.add(blockSquaredError);
    spiegelhalterNumerator.add(blockNumerator);
    spiegelhalterVariance.add(blockVariance);
  }
  return {
    n,
    outcomeSum,
    predictionSum: predictionSum.value,
    squaredErrorSum: squaredErrorSum.value,
    spiegelhalterNumerator: spiegelhalterNumerator.value,
    spiegelhalterVariance: spiegelhalterVariance.value,
    binEdges,
    binCounts,
    binPredictionSums,
    binOutcomeSums,
  };
}
