/** The drift monitor: a prediction batch compared against its version's baseline (statistics, series, write). */
import { decodeMessage, MAX_BATCH_VALUES, PredictionBatch, predictionValues } from '../contracts/index.js';
import type { Delivery } from '../delivery.js';
import { UnknownBaselineError } from '../errors.js';
import { metricsToWrite } from '../monitoring/catalog.js';
import { buildSeries } from '../monitoring/series.js';
import { assertWritableWindow } from '../monitoring/writableWindow.js';
import { writeTimeSeries } from '../monitoring/writer.js';
import type { Runtime } from '../runtime.js';
import { computeBinnedDrift } from '../stats/drift/binnedSuite.js';
import { computeDrift } from '../stats/drift/suite.js';
import { binnedCounts } from './binning.js';
import { reportNonFinite, reportWrite } from './report.js';
import { windowIdentity } from './window.js';

export const DRIFT_FUNCTION = 'driftMonitor';

/** driftMonitor: compare a window's predictions with the baseline and write the drift metrics. */
export async function monitorDrift(delivery: Delivery, runtime: Runtime): Promise<void> {
  const batch = decodeMessage(PredictionBatch, delivery.data);
  const identity = windowIdentity(delivery, batch, runtime);
  const values = batch.binCounts ? undefined : predictionValues(batch, MAX_BATCH_VALUES);
  assertWritableWindow(identity.endTime, runtime.now());
  const baseline = await runtime.baselines.get(batch.model, batch.modelVersion);
  if (!baseline) throw new UnknownBaselineError(batch.model, batch.modelVersion);
  const statistics = values
    ? computeDrift(baseline.summary, values)
    : computeBinnedDrift(baseline.summary, binnedCounts(batch.binCounts!, baseline));
  const enoughData = statistics.n >= runtime.driftMinSample;
  if (!enoughData) {
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
  const series = buildSeries(identity, metricsToWrite(DRIFT_FUNCTION, enoughData), statistics);
  reportNonFinite(delivery, statistics);
  reportWrite(delivery, await writeTimeSeries(runtime.monitoring, runtime.projectId, series), {
    statistics,
    withheld: !enoughData,
  });
}
