import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { invalidOutcomeMessages } from '../support/invalidOutcomeMessages.js';
import { json, outcomeBatch } from '../support/messages.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

const calibrationMonitor = getFunction('calibrationMonitor') as (
  event: CloudEvent<MessagePublishedData>,
) => Promise<void>;
const harness = useTestRuntime();

const typesWritten = () => [
  ...new Set(
    harness.runtime.monitoring.accepted.map((series) =>
      series.metric?.type?.replace('custom.googleapis.com/liftwatch/', ''),
    ),
  ),
];

describe('calibrationMonitor', () => {
  test('writes every calibration metric and one reliability point per non-empty bin', async () => {
    await calibrationMonitor(pubsubEvent(json(outcomeBatch())));
    const perBatch = metricsWrittenBy('calibrationMonitor').filter((entry) => !entry.extraLabels);
    for (const entry of perBatch) assert.ok(typesWritten().includes(entry.name), `${entry.name} written`);
    const bins = harness.runtime.monitoring.accepted.filter((series) =>
      series.metric?.type?.endsWith('calibration/bin_observed_rate'),
    );
    assert.ok(bins.length >= 5);
    for (const series of bins) {
      assert.match(series.metric!.labels!.bin!, /^0\.\d-(0\.\d|1\.0)$/);
      assert.equal(series.metric!.labels!.segment, 'market=se');
    }
    const sampleSize = harness.runtime.monitoring.accepted.find((series) =>
      series.metric?.type?.endsWith('calibration/sample_size'),
    );
    assert.deepEqual(sampleSize?.points?.[0]?.value, { int64Value: 400 });
  });

  test('withholds alert-bearing metrics below 200 outcomes, writing the sample sizes and an insufficient-data log', async () => {
    const small = outcomeBatch();
    await calibrationMonitor(
      pubsubEvent(
        json({
          ...small,
          predictions: (small.predictions as number[]).slice(0, 150),
          outcomes: (small.outcomes as number[]).slice(0, 150),
        }),
      ),
    );
    assert.deepEqual(typesWritten().sort(), ['calibration/positives', 'calibration/sample_size']);
    const line = harness.logs.find((entry) => entry.event === 'insufficient_data');
    assert.match(String(line?.message), /150 outcomes, calibration needs 200/);
  });

  test('withholds them when a class has fewer than 10 outcomes', async () => {
    const predictions = Array.from({ length: 300 }, () => 0.02);
    const outcomes = predictions.map((_, i) => (i < 4 ? 1 : 0));
    await calibrationMonitor(pubsubEvent(json(outcomeBatch({ predictions, outcomes }))));
    assert.deepEqual(typesWritten().sort(), ['calibration/positives', 'calibration/sample_size']);
    assert.match(
      String(harness.logs.find((entry) => entry.event === 'insufficient_data')?.message),
      /4 positive and 296 negative/,
    );
  });

  for (const { name, data, field } of invalidOutcomeMessages) {
    test(`acknowledges and logs ${name}, naming ${field}, writing nothing`, async () => {
      await calibrationMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests.length, field);
    });
  }
});
