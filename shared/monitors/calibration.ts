/** The calibration monitor: matured (prediction, outcome) pairs in, calibration metrics out. */
import { decodeMessage, OutcomeBatch, outcomePairs } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries } from '../monitoring/series.js';
import { assertWritableWindow } from '../monitoring/writableWindow.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { CalibrationMinimums, Runtime } from '../runtime.js';
import { type CalibrationStatistics, computeCalibration } from '../stats/calibration/suite.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const CALIBRATION_FUNCTION = 'calibrationMonitor';

export async function monitorCalibration(delivery: Delivery, runtime: Runtime): Promise<void> {
  const batch = decodeMessage(OutcomeBatch, delivery.data);
  const identity = windowIdentity(delivery, batch, runtime);
  const { predictions, outcomes } = outcomePairs(batch);
  assertWritableWindow(identity.endTime, runtime.now());
  const statistics = computeCalibration(predictions, outcomes);
  const notEnoughData = notEnoughCalibrationData(statistics, runtime.calibrationMinimums);
  if (notEnoughData) {
    delivery.log('NOTICE', `insufficient data: ${notEnoughData}; calibration statistics withheld`, {
      event: 'insufficient_data',
      n: statistics.n,
      positives: statistics.positives,
      ...expectedCounts(statistics),
      minimums: runtime.calibrationMinimums,
    });
  }
  const slopeNotEnough = notEnoughData ? undefined : notEnoughSlopeEvents(statistics);
  if (slopeNotEnough) {
    delivery.log('NOTICE', `calibration slope not written: ${slopeNotEnough}`, {
      event: 'slope_withheld',
      positives: statistics.positives,
      negatives: statistics.n - statistics.positives,
      minimum: SLOPE_MIN_EVENTS_PER_CLASS,
    });
  }
  const [perBatch, perBin] = partition(
    metricsToWrite(CALIBRATION_FUNCTION, !notEnoughData),
    (entry) => !entry.extraLabels,
  );
  const series = buildSeries(
    identity,
    perBatch,
    slopeNotEnough ? { ...statistics, calibrationSlope: null } : statistics,
  );
  if (!notEnoughData) {
    for (const bin of statistics.bins) {
      series.push(
        ...buildSeries({ ...identity, extraLabels: { bin: binLabel(bin) } }, perBin, {
          binCount: bin.count,
          binMeanPrediction: bin.meanPrediction,
          binObservedRate: bin.observedRate,
        }),
      );
    }
  }
  if (!notEnoughData && statistics.fit && !statistics.fit.converged) {
    delivery.log('WARNING', `calibration slope or intercept not written: ${statistics.fit.reason}`, {
      event: 'fit_not_converged',
      reason: statistics.fit.reason,
    });
  }
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics: { ...statistics, bins: undefined },
    withheld: Boolean(notEnoughData),
  });
}

/** E = sum p and N - E, from the suite's mean prediction. */
function expectedCounts(statistics: CalibrationStatistics): {
  expectedConversions: number;
  expectedNonConversions: number;
} {
  const expectedConversions = statistics.meanPrediction * statistics.n;
  return { expectedConversions, expectedNonConversions: statistics.n - expectedConversions };
}

/** Why a batch is too small to judge calibration, or undefined when it is large enough. */
export function notEnoughCalibrationData(
  statistics: CalibrationStatistics,
  minimums: CalibrationMinimums,
): string | undefined {
  if (statistics.n < minimums.pairs) return `${statistics.n} outcomes, calibration needs ${minimums.pairs}`;
  const { expectedConversions, expectedNonConversions } = expectedCounts(statistics);
  const short: string[] = [];
  if (expectedConversions < minimums.expectedPerClass)
    short.push(
      `${shownBelow(expectedConversions, minimums.expectedPerClass)} expected conversions (E, the sum of the predictions)`,
    );
  if (expectedNonConversions < minimums.expectedPerClass)
    short.push(
      `${shownBelow(expectedNonConversions, minimums.expectedPerClass)} expected non-conversions (N - E)`,
    );
  if (short.length === 0) return undefined;
  return `${short.join(' and ')} in ${statistics.n} outcomes, calibration needs ${minimums.expectedPerClass} of each`;
}

/**
 * Observed outcomes of each class the calibration slope needs before it is written, the rule of ten events per
 * predictor (Peduzzi, P. et al. (1996), "A simulation study of the number of events per variable in logistic
 * regression analysis", Journal of Clinical Epidemiology 49, 1373-1379). Unlike O/E, whose noise is set by E, the
 * slope's is set by the observed events (the fitted probabilities sum to O): from 5 conversions its standard
 * error is ~0.5, and in a batch whose level failure Spiegelhalter's test has proved, the slope alerts (bands
 * 0.8-1.25, 0.6-1.6) would page on that noise. The data cannot prove a slope from so few events; O/E, ECE and
 * Spiegelhalter, which it can prove a level failure with, are still written.
 */
export const SLOPE_MIN_EVENTS_PER_CLASS = 10;

/** Why the slope of a batch that is otherwise judged is not written, or undefined. */
export function notEnoughSlopeEvents(statistics: CalibrationStatistics): string | undefined {
  const negatives = statistics.n - statistics.positives;
  if (Math.min(statistics.positives, negatives) >= SLOPE_MIN_EVENTS_PER_CLASS) return undefined;
  if (statistics.calibrationSlope === null) return undefined; // the fit's own reason is logged instead
  return `${statistics.positives} positive and ${negatives} negative outcomes, the slope needs ${SLOPE_MIN_EVENTS_PER_CLASS} of each`;
}

/** An expected count to 4 significant digits, or in full where those would round it up to the minimum. */
function shownBelow(count: number, minimum: number): string {
  const rounded = Number(count.toPrecision(4));
  return String(rounded < minimum ? rounded : count);
}

/** The reliability bin as a label value, e.g. 0.1-0.2. */
export function binLabel(bin: { lower: number; upper: number }): string {
  return `${bin.lower.toFixed(1)}-${bin.upper.toFixed(1)}`;
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  return [items.filter(predicate), items.filter((item) => !predicate(item))];
}
