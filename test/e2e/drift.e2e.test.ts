/**
 * The drift monitor through the production path, on one machine: the real @google-cloud/pubsub client
 * publishes to the Pub/Sub emulator, push subscriptions deliver to Functions Framework processes serving the
 * built registerBaseline and driftMonitor, baselines go to the Firestore emulator, and the real
 * MetricServiceClient writes to the local MetricService, whose recorded points are asserted exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import { metricsWrittenBy, metricType } from '../../shared/monitoring/catalog.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';
import { PROJECT } from '../support/localMonitoring.js';
import { lcgValues } from '../support/messages.js';

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['registerBaseline', 'driftMonitor'],
    env: { LIFTWATCH_BASELINE_CACHE_SECONDS: '1' },
  });
});
after(() => stack?.stop());

const refusals = () =>
  stack.logs('driftMonitor', (line) => line.acknowledged === true && line.severity === 'ERROR');

describe('drift monitor end to end', () => {
  const reference = lcgValues(5000, 7, (u) => 0.02 + 0.1 * u * u);
  const windowEnd = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
  const batches = [
    { segment: { market: 'se' }, windowEnd, predictions: lcgValues(800, 11, (u) => 0.02 + 0.1 * u * u) },
    { segment: { market: 'de' }, windowEnd, predictionsF32: lcgValues(1200, 13, (u) => 0.04 + 0.1 * u * u) },
    {
      segment: { market: 'se' },
      windowEnd: new Date(windowEnd.getTime() + 600_000),
      predictions: lcgValues(900, 17, (u) => 0.02 + 0.12 * u),
    },
  ];

  test('a registered baseline and three prediction batches produce exactly the expected points', async () => {
    await stack.publish('baselines', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v7',
      predictions: reference,
    });
    await stack.waitFor(
      'the baseline to be registered',
      () => stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0],
    );

    for (const batch of batches) {
      const { predictionsF32, ...rest } = batch;
      await stack.publish('predictions', {
        schemaVersion: 1,
        model: 'promo-lift',
        modelVersion: 'v7',
        ...rest,
        windowEnd: batch.windowEnd.toISOString(),
        ...(predictionsF32 ? { predictionsF32: encodeFloat32(predictionsF32) } : {}),
      });
    }
    await stack.waitFor('three batches to be written', () => {
      const written = stack.logs('driftMonitor', (line) => line.event === 'points_written');
      return written.length >= 3 ? written : undefined;
    });

    const summary = summarizeBaseline(reference);
    const driftMetrics = metricsWrittenBy('driftMonitor');
    for (const batch of batches) {
      const current = Float64Array.from(batch.predictions ?? batch.predictionsF32!.map(Math.fround));
      const expected = computeDrift(summary, current) as unknown as Record<string, number>;
      for (const entry of driftMetrics) {
        const points = stack.monitoring.points({
          metricType: metricType(entry),
          labels: { model: 'promo-lift', model_version: 'v7', segment: `market=${batch.segment.market}` },
        });
        const point = points.find((candidate) => candidate.endTimeMs === batch.windowEnd.getTime());
        assert.ok(point, `${entry.name} for ${batch.segment.market} at ${batch.windowEnd.toISOString()}`);
        assert.equal(point.value, expected[entry.statistic], `${entry.name} value`);
        assert.equal(point.resourceType, 'global');
        assert.equal(point.metricKind, entry.kind);
        assert.equal(point.valueType, entry.valueType);
      }
    }
    assert.equal(
      stack.monitoring.points({ labels: { model_version: 'v7' } }).length,
      batches.length * driftMetrics.length,
    );
  });

  test('a republished batch (a duplicate delivery) writes no second point', async () => {
    const before = stack.monitoring.points({ labels: { model_version: 'v7' } }).length;
    const { predictions, segment } = batches[0]!;
    await stack.publish('predictions', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v7',
      segment,
      predictions,
      windowEnd: windowEnd.toISOString(),
    });
    const line = await stack.waitFor(
      'the duplicate to be settled',
      () =>
        stack.logs(
          'driftMonitor',
          (entry) => entry.event === 'points_written' && Number(entry.superseded) > 0,
        )[0],
    );
    assert.equal(line.written, 0);
    assert.equal(line.superseded, metricsWrittenBy('driftMonitor').length);
    assert.equal(stack.monitoring.points({ labels: { model_version: 'v7' } }).length, before);
  });

  test('malformed messages and an unknown baseline are refused with a reason, acknowledged, and write nothing', async () => {
    const before = stack.monitoring.points().length;
    await stack.publish('predictions', '{"schemaVersion": 1, "model": ');
    await stack.publish('predictions', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v404',
      windowEnd: windowEnd.toISOString(),
      predictions: [0.1],
    });
    const lines = await stack.waitFor('both refusals', () =>
      refusals().length >= 2 ? refusals() : undefined,
    );
    assert.deepEqual(lines.map((line) => line.reason).sort(), ['invalid_message', 'unknown_baseline']);
    assert.ok(lines.some((line) => line.modelVersion === 'v404'));
    // Acknowledged: no redelivery arrives in the next two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(refusals().length, 2);
    assert.equal(stack.monitoring.points().length, before);
  });
});
