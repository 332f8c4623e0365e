import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import { alertCatalog } from '../../alerting/alerts.js';
import { evaluateAlerts } from '../../alerting/evaluation.js';
import { samplesOfPoints } from '../../local/scenario/samples.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { assertClose } from '../support/assertClose.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { invalidOutcomeMessages } from '../support/invalidOutcomeMessages.js';
import { json, outcomeBatch } from '../support/messages.js';
import { typedValue } from '../support/points.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

const calibrationMonitor = getFunction('calibrationMonitor') as (
  event: CloudEvent<MessagePublishedData>,
) => Promise<void>;
const harness = useTestRuntime();

const typesWritten = () => [
  ...new Set(
    harness.runtime.monitoring
      .points()
      .map((series) => series.metricType.replace('custom.googleapis.com/liftwatch/', '')),
  ),
];

/** The one written value of a per-batch metric, or undefined when it was not written. */
const valueWritten = (name: string) => {
  const point = harness.runtime.monitoring
    .points()
    .find((series) => series.metricType === `custom.googleapis.com/liftwatch/${name}`);
  return point?.value;
};

/** The calibration alerts that the written points open, as Terraform's policies would, within two hours. */
const calibrationAlertsOpened = () => {
  const samples = samplesOfPoints(harness.runtime.monitoring.points());
  const at = Math.min(...samples.map((sample) => sample.timeMs));
  const calibration = alertCatalog.alerts.filter((alert) => alert.monitor === 'calibration');
  return evaluateAlerts(calibration, samples, { startMs: at, endMs: at + 2 * 3_600_000 })
    .map((incident) => incident.alert)
    .sort();
};

/**
 * A broken outcome join: 20,000 pairs with mean prediction 0.091 (E = 1,820 expected conversions) of which 5
 * converted. Predictions spread evenly over 0.011-0.171; the conversions fall at assorted predictions.
 */
const brokenJoin = () => {
  const predictions = Array.from({ length: 20_000 }, (_, i) => 0.011 + (0.16 * ((i * 7919) % 1000)) / 999);
  const converted = new Set([17, 4021, 8333, 12345, 16999]);
  const outcomes = predictions.map((_, i) => (converted.has(i) ? 1 : 0));
  return outcomeBatch({ predictions, outcomes });
};

describe('calibrationMonitor', () => {
  test('a calibrated batch writes every calibration metric and one reliability point per non-empty bin, and pages nothing', async () => {
    await calibrationMonitor(pubsubEvent(json(outcomeBatch())));
    const perBatch = metricsWrittenBy('calibrationMonitor').filter((entry) => !entry.extraLabels);
    for (const entry of perBatch) assert.ok(typesWritten().includes(entry.name), `${entry.name} written`);
    const bins = harness.runtime.monitoring
      .points()
      .filter((series) => series.metricType.endsWith('calibration/bin_observed_rate'));
    assert.ok(bins.length >= 5);
    for (const series of bins) {
      assert.match(series.metricLabels.bin!, /^0\.\d-(0\.\d|1\.0)$/);
      assert.equal(series.metricLabels.segment, 'market=se');
    }
    const sampleSize = harness.runtime.monitoring
      .points()
      .find((series) => series.metricType.endsWith('calibration/sample_size'));
    assert.deepEqual(typedValue(sampleSize), { int64Value: 400 });
    assert.ok(
      !harness.logs.some((line) => line.event === 'insufficient_data' || line.event === 'slope_withheld'),
    );
    assert.deepEqual(calibrationAlertsOpened(), []);
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

  test('20,000 pairs expected to convert 1,820 times that converted 5 write O/E and its interval, and page', async () => {
    await calibrationMonitor(pubsubEvent(json(brokenJoin())));
    assert.equal(valueWritten('calibration/positives'), 5);
    // The exact (Garwood) interval for 5 events, chi2.ppf(0.025, 10) / 2 and chi2.ppf(0.975, 12) / 2, over E.
    const close = { relative: 1e-12 };
    assertClose(Number(valueWritten('calibration/oe_ratio')), 5 / 1820, close, 'O/E');
    assertClose(
      Number(valueWritten('calibration/oe_ratio_lower')),
      1.6234863901184207 / 1820,
      close,
      'lower',
    );
    const upper = Number(valueWritten('calibration/oe_ratio_upper'));
    assertClose(upper, 11.66833207932267 / 1820, close, 'upper');
    assert.ok(upper < 0.01, 'the whole interval lies far below 0.8');
    for (const name of ['ece', 'spiegelhalter_p_value', 'intercept', 'brier', 'log_loss', 'observed_rate'])
      assert.notEqual(valueWritten(`calibration/${name}`), undefined, `calibration/${name} written`);
    // Five events cannot prove a slope: it is computed (the CLI prints it) but not written.
    assert.equal(valueWritten('calibration/slope'), undefined);
    assert.ok(!harness.logs.some((line) => line.event === 'insufficient_data'));
    assert.match(
      String(harness.logs.find((line) => line.event === 'slope_withheld')?.message),
      /^calibration slope not written: 5 positive and 19995 negative outcomes, the slope needs 10 of each$/,
    );
    assert.deepEqual(calibrationAlertsOpened(), [
      'calibration_ece_critical',
      'calibration_ece_warning',
      'calibration_oe_critical',
      'calibration_oe_warning',
    ]);
  });

  test('withholds them when fewer than 10 conversions are expected: 300 pairs at 0.01 (E = 3)', async () => {
    const predictions = Array.from({ length: 300 }, () => 0.01);
    const outcomes = predictions.map(() => 0);
    await calibrationMonitor(pubsubEvent(json(outcomeBatch({ predictions, outcomes }))));
    assert.deepEqual(typesWritten().sort(), ['calibration/positives', 'calibration/sample_size']);
    const line = harness.logs.find((entry) => entry.event === 'insufficient_data');
    assert.match(
      String(line?.message),
      /^insufficient data: 3 expected conversions \(E, the sum of the predictions\) in 300 outcomes, calibration needs 10 of each;/,
    );
    assert.ok(Math.abs(Number(line?.expectedConversions) - 3) < 1e-12);
    assert.deepEqual(line?.minimums, { pairs: 200, expectedPerClass: 10 });
  });

  test('withholds them when fewer than 10 non-conversions are expected: 300 pairs at 0.99 (N - E = 3)', async () => {
    const predictions = Array.from({ length: 300 }, () => 0.99);
    await calibrationMonitor(
      pubsubEvent(json(outcomeBatch({ predictions, outcomes: predictions.map(() => 1) }))),
    );
    assert.deepEqual(typesWritten().sort(), ['calibration/positives', 'calibration/sample_size']);
    assert.match(
      String(harness.logs.find((entry) => entry.event === 'insufficient_data')?.message),
      /^insufficient data: 3 expected non-conversions \(N - E\) in 300 outcomes/,
    );
  });

  test('judges a batch with few conversions once 10 are expected: 4 of the 15 expected in 300 pairs page', async () => {
    const predictions = Array.from({ length: 300 }, () => 0.05);
    const outcomes = predictions.map((_, i) => (i < 4 ? 1 : 0));
    await calibrationMonitor(pubsubEvent(json(outcomeBatch({ predictions, outcomes }))));
    assert.ok(!harness.logs.some((line) => line.event === 'insufficient_data'));
    // 4 or fewer of 15 expected happens with probability 0.0009 (Poisson); the exact interval is [1.09, 10.24] / 15.
    const close = { relative: 1e-12 };
    assertClose(Number(valueWritten('calibration/oe_ratio_lower')), 1.0898653736263249 / 15, close, 'lower');
    assertClose(Number(valueWritten('calibration/oe_ratio_upper')), 10.241588675403694 / 15, close, 'upper');
    assert.deepEqual(calibrationAlertsOpened(), [
      'calibration_ece_warning',
      'calibration_oe_critical',
      'calibration_oe_warning',
    ]);
  });

  for (const { name, data, field } of invalidOutcomeMessages) {
    test(`acknowledges and logs ${name}, naming ${field}, writing nothing`, async () => {
      await calibrationMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), field);
    });
  }
});
