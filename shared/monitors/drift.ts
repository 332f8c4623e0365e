/**
 * The drift monitor's two jobs, as plain functions of a delivery and the runtime: registering a baseline
 * (summarised once, stored) and comparing a prediction batch against it (statistics, series, write).
 */
import {
  Baseline,
  decodeMessage,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  PredictionBatch,
  predictionValues,
} from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { UnknownBaselineError } from '../errors.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries } from '../monitoring/series.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { summarizeBaseline } from '../stats/drift/baselineSummary.js';
import { computeDrift } from '../stats/drift/suite.js';
import { assertWritableWindow } from '../writeWindow.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const DRIFT_FUNCTION = 'driftMonitor';

/** registerBaseline: validate, summarise, store (replacing an older registration of the same version). */
export async function registerBaseline(delivery: Delivery, runtime: Runtime): Promise<void> {
  const message = decodeMessage(Baseline, delivery.data);
  delivery.annotate({ model: message.model, modelVersion: message.modelVersion });
  const summary = summarizeBaseline(predictionValues(message, MAX_BASELINE_VALUES));
  const stored = await runtime.baselines.put({
    model: message.model,
    modelVersion: message.modelVersion,
    summary,
    publishedAt: delivery.publishTime ?? runtime.now(),
    messageId: delivery.messageId,
  });
  delivery.log(
    stored ? 'INFO' : 'WARNING',
    stored
      ? `baseline registered for ${message.model} ${message.modelVersion} (${summary.referenceSize} values)`
      : `baseline for ${message.model} ${message.modelVersion} not replaced: a registration published later is already stored`,
    {
      event: stored ? 'baseline_registered' : 'baseline_stale',
      referenceSize: summary.referenceSize,
      bins: summary.edges.length + 1,
      subsampled: summary.subsampled,
    },
  );
}

/** driftMonitor: compare a window's predictions with the baseline and write the drift metrics. */
export async function monitorDrift(delivery: Delivery, runtime: Runtime): Promise<void> {
  const batch = decodeMessage(PredictionBatch, delivery.data);
  const identity = windowIdentity(delivery, batch, runtime);
  const values = predictionValues(batch, MAX_BATCH_VALUES);
  assertWritableWindow(identity.endTime, runtime.now());
  const baseline = await runtime.baselines.get(batch.model, batch.modelVersion);
  if (!baseline) throw new UnknownBaselineError(batch.model, batch.modelVersion);
  const statistics = computeDrift(baseline.summary, values);
  const sufficient = statistics.n >= runtime.driftMinSample;
  if (!sufficient) {
    delivery.log(
      'NOTICE',
      `insufficient data: ${statistics.n} predictions, drift statistics need ${runtime.driftMinSample}`,
      {
        event: 'insufficient_data',
        n: statistics.n,
        minimum: runtime.driftMinSample,
      },
    );
  }
  const series = buildSeries(identity, metricsToWrite(DRIFT_FUNCTION, sufficient), statistics);
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics,
    withheld: !sufficient,
  });
}
