/**
 * Calibration, campaign lift and unit-level uplift through the production path: the Pub/Sub emulator pushes
 * to Functions Framework processes, which write to the local MetricService; the points are asserted exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { metricsWrittenBy, metricType } from '../../shared/monitoring/catalog.js';
import { binLabel } from '../../shared/monitors/calibration.js';
import { computeCalibration } from '../../shared/stats/calibration/suite.js';
import { computeCampaignLift } from '../../shared/stats/lift/campaignSuite.js';
import { computeUplift } from '../../shared/stats/uplift/suite.js';
import { PROJECT } from '../support/localMonitoring.js';
import { campaignResults, outcomeBatch, upliftBatch } from '../support/messages.js';

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['calibrationMonitor', 'liftMonitor', 'upliftMonitor'],
  });
});
after(() => stack?.stop());

const windowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
const labels = { model: 'promo-lift', model_version: 'v3.1', segment: 'market=se' };

/** The one point of a metric at the window end, for the labels given. */
function pointOf(name: string, extra: Record<string, string> = {}) {
  const points = stack.monitoring.points({
    metricType: metricType({ name }),
    labels: { ...labels, ...extra },
  });
  assert.equal(points.length, 1, `${name} ${JSON.stringify(extra)}: one point`);
  assert.equal(points[0]!.endTime, windowEnd);
  return points[0]!.value;
}

async function written(name: 'calibrationMonitor' | 'liftMonitor' | 'upliftMonitor') {
  await stack.waitFor(
    `${name} to write`,
    () => stack.logs(name, (line) => line.event === 'points_written')[0],
  );
}

describe('outcome monitors end to end', () => {
  test('an outcome batch produces the calibration metrics and the reliability bins', async () => {
    const message = outcomeBatch({ windowEnd });
    await stack.publish('outcomes', message);
    await written('calibrationMonitor');
    const expected = computeCalibration(
      Float64Array.from(message.predictions as number[]),
      Uint8Array.from(message.outcomes as number[]),
    );
    const values = expected as unknown as Record<string, number | null>;
    for (const entry of metricsWrittenBy('calibrationMonitor').filter((item) => !item.extraLabels)) {
      if (values[entry.statistic] === null) continue;
      assert.equal(pointOf(entry.name), values[entry.statistic], entry.name);
    }
    for (const bin of expected.bins) {
      assert.equal(pointOf('calibration/bin_observed_rate', { bin: binLabel(bin) }), bin.observedRate);
      assert.equal(pointOf('calibration/bin_count', { bin: binLabel(bin) }), bin.count);
    }
  });

  test('campaign results produce the lift ratio with its interval and the bias', async () => {
    const message = campaignResults({ windowEnd });
    await stack.publish('campaign-results', message);
    await written('liftMonitor');
    const expected = computeCampaignLift(message.campaigns as never) as unknown as Record<
      string,
      number | null
    >;
    for (const entry of metricsWrittenBy('liftMonitor')) {
      if (expected[entry.statistic] === null) continue;
      assert.equal(pointOf(entry.name), expected[entry.statistic], entry.name);
    }
    assert.ok(stack.logs('liftMonitor', (line) => line.event === 'campaign_lift').length === 1);
  });

  test('an uplift batch produces Qini, uplift AUC, uplift at 30% and the deciles', async () => {
    const message = upliftBatch({ windowEnd });
    await stack.publish('uplift-outcomes', message);
    await written('upliftMonitor');
    const expected = computeUplift(
      Float64Array.from(message.uplift as number[]),
      Uint8Array.from(message.treatment as number[]),
      Uint8Array.from(message.outcomes as number[]),
    );
    for (const name of ['qiniAuc', 'upliftAuc', 'upliftAt30'] as const) {
      const entry = metricsWrittenBy('upliftMonitor').find((item) => item.statistic === name)!;
      assert.equal(pointOf(entry.name), expected[name], entry.name);
    }
    expected.deciles.forEach((decile, index) => {
      assert.equal(pointOf('uplift/decile_predicted', { decile: String(index + 1) }), decile.meanPredicted);
    });
  });
});
