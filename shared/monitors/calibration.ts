/** The calibration monitor: matured (prediction, outcome) pairs in, calibration metrics out. */
import { decodeMessage, OutcomeBatch, outcomePairs } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries } from '../monitoring/series.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { type CalibrationStatistics, computeCalibration } from '../stats/calibration/suite.js';
import { assertWritableWindow } from '../writeWindow.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const CALIBRATION_FUNCTION = 'calibrationMonitor';

export async function monitorCalibration(delivery: Delivery, runtime: Runtime): Promise<void> {
  const batch = decodeMessage(OutcomeBatch, delivery.data);
  const identity = windowIdentity(delivery, batch, runtime);
  const { predictions, outcomes } = outcomePairs(batch);
  assertWritableWindow(identity.endTime, runtime.now());
  const statistics = computeCalibration(predictions, outcomes);
  const shortfall = calibrationShortfall(statistics, runtime.calibrationMinimums);
  if (shortfall) {
    delivery.log('NOTICE', `insufficient data: ${shortfall}; calibration statistics withheld`, {
      event: 'insufficient_data',
      n: statistics.n,
      positives: statistics.positives,
      minimums: runtime.calibrationMinimums,
    });
  }
  const [perBatch, perBin] = partition(
    metricsToWrite(CALIBRATION_FUNCTION, !shortfall),
    (entry) => !entry.extraLabels,
  );
  const series = buildSeries(identity, perBatch, statistics);
  if (!shortfall) {
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
  if (!shortfall && statistics.fit && !statistics.fit.converged) {
    delivery.log('WARNING', `calibration slope or intercept not written: ${statistics.fit.reason}`, {
      event: 'fit_not_converged',
      reason: statistics.fit.reason,
    });
  }
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics: { ...statistics, bins: undefined },
    withheld: Boolean(shortfall),
  });
}

export interface CalibrationMinimums {
  /** Pairs a batch needs before alert-bearing calibration metrics are written. */
  pairs: number;
  /** Outcomes of each class (0 and 1) a batch needs. */
  perClass: number;
}

/** Why a batch is too small to judge calibration, or undefined when it is large enough. */
export function calibrationShortfall(
  statistics: CalibrationStatistics,
  minimums: CalibrationMinimums,
): string | undefined {
  const negatives = statistics.n - statistics.positives;
  if (statistics.n < minimums.pairs) return `${statistics.n} outcomes, calibration needs ${minimums.pairs}`;
  if (Math.min(statistics.positives, negatives) < minimums.perClass) {
    return `${statistics.positives} positive and ${negatives} negative outcomes, calibration needs ${minimums.perClass} of each`;
  }
  return undefined;
}

/** The reliability bin as a label value, e.g. 0.1-0.2. */
export function binLabel(bin: { lower: number; upper: number }): string {
  return `${bin.lower.toFixed(1)}-${bin.upper.toFixed(1)}`;
}

function partition<T>(items: T[], predicate: (item: T) => boolean): [T[], T[]] {
  return [items.filter(predicate), items.filter((item) => !predicate(item))];
}
