/**
 * The Python producer through the production path: a Python process builds messages with liftwatch_producer (raw
 * windows in every encoding, a binned PredictionBatch counted with its BinCounts combiner in the binning it
 * computes itself, and a counted FeatureBatch, its numeric feature counted with FeatureBinCounts in the feature's
 * binning and its categorical one with CategoryCounts, each over five workers' shares, merged) and
 * publishes them through the Pub/Sub emulator's REST API (standard-library HTTP, with ordering keys); push
 * subscriptions deliver them to the Functions Framework processes serving the built functions, which write to the
 * local MetricService. Every point written must be exactly the value the liftwatch CLI prints for the same message,
 * and no other point may be written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FunctionName, type LocalStack, startLocalStack } from '../../local/stack.js';
import { metricsWrittenBy, metricType } from '../../shared/monitoring/catalog.js';
import { binLabel } from '../../shared/monitors/calibration.js';
import { type ProducedMessage, producedMessagesAsync, pythonMissing } from '../producers/support/python.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { PROJECT } from '../support/localMonitoring.js';

const missing = pythonMissing();
const MONITORS = {
  PredictionBatch: { fn: 'driftMonitor', command: 'drift' },
  FeatureBatch: { fn: 'featureMonitor', command: 'features' },
  OutcomeBatch: { fn: 'calibrationMonitor', command: 'calibration' },
  CampaignResults: { fn: 'liftMonitor', command: 'lift' },
  UpliftBatch: { fn: 'upliftMonitor', command: 'uplift' },
} as const satisfies Record<string, { fn: FunctionName; command: string }>;
type WindowKind = keyof typeof MONITORS;

let stack: LocalStack;
const folder = messageFolder();
before(async () => {
  if (missing) return;
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: [
      'registerBaseline',
      'driftMonitor',
      'calibrationMonitor',
      'liftMonitor',
      'upliftMonitor',
      'registerFeatureBaseline',
      'featureMonitor',
    ],
  });
});
after(async () => {
  folder.cleanup();
  await stack?.stop();
});

/** The Python driver, publishing to the emulator of the stack. */
const publishFromPython = (windowEnd: string, phase: 'baselines' | 'windows') =>
  producedMessagesAsync(['e2e', windowEnd, phase, 'features'], {
    PUBSUB_EMULATOR_HOST: stack.endpoints.pubsub,
    PUBSUB_PROJECT_ID: PROJECT,
  });

/** `metric name|extra labels` → value: the points a monitor writes for the statistics the CLI printed. */
function expectedPoints(kind: WindowKind, printed: Record<string, unknown>): Map<string, number> {
  const expected = new Map<string, number>();
  const put = (
    entries: { name: string; statistic: string }[],
    values: Record<string, unknown>,
    extra = '',
  ) => {
    for (const entry of entries) {
      const value = values[entry.statistic];
      if (typeof value === 'number' && Number.isFinite(value)) expected.set(`${entry.name}|${extra}`, value);
    }
  };
  const entries = metricsWrittenBy(MONITORS[kind].fn);
  put(
    entries.filter((entry) => !entry.extraLabels),
    printed,
  );
  const perLabel = entries.filter((entry) => entry.extraLabels);
  if (kind === 'OutcomeBatch') {
    for (const bin of printed.bins as {
      lower: number;
      upper: number;
      count: number;
      meanPrediction: number;
      observedRate: number;
    }[])
      put(
        perLabel,
        { binCount: bin.count, binMeanPrediction: bin.meanPrediction, binObservedRate: bin.observedRate },
        `bin=${binLabel(bin)}`,
      );
  }
  if (kind === 'FeatureBatch') {
    const features = printed.features as ({ name: string; psi?: number } & Record<string, unknown>)[];
    for (const feature of features) put(perLabel, feature, `feature=${feature.name}`);
    const psis = features.map((feature) => feature.psi).filter((psi) => typeof psi === 'number');
    if (psis.length > 0) expected.set('features/max_psi|', Math.max(...psis));
  }
  if (kind === 'UpliftBatch') {
    (printed.deciles as { meanPredicted: number; realizedUplift: number }[]).forEach((decile, index) => {
      put(
        perLabel,
        { decilePredicted: decile.meanPredicted, decileRealized: decile.realizedUplift },
        `decile=${index + 1}`,
      );
    });
  }
  return expected;
}

/**
 * Per-window feature metrics the CLI does not print (it prints the ranking, not the top features' flags, and its
 * test messages carry no importance): recorded but not compared here; test/functions covers them.
 */
const NOT_PRINTED = new Set([
  'features/top_drifted|',
  'features/top_quality_broken|',
  'features/importance_weighted_drift|',
]);

/** The points recorded for one message's series, in the same form. */
function recordedPoints(message: ProducedMessage, windowEnd: string): Map<string, number> {
  const body = JSON.parse(message.data) as { modelVersion: string; segment: Record<string, string> };
  const segment = Object.keys(body.segment)
    .sort()
    .map((key) => `${key}=${body.segment[key]}`)
    .join(',');
  const recorded = new Map<string, number>();
  for (const point of stack.monitoring.points({ labels: { model_version: body.modelVersion, segment } })) {
    assert.equal(point.endTime, windowEnd, `${point.metricType} ends at the window's end`);
    const { model: _, model_version: __, segment: ___, ...extra } = point.metricLabels;
    const name = point.metricType.replace(metricType({ name: '' }), '');
    const key = `${name}|${Object.entries(extra)
      .map(([label, value]) => `${label}=${value}`)
      .join(',')}`;
    assert.ok(!recorded.has(key), `one point for ${key}`);
    if (!NOT_PRINTED.has(key)) recorded.set(key, point.value as number);
  }
  return recorded;
}

describe('the Python producer end to end', { skip: missing }, () => {
  test('windows a Python process publishes write exactly the points the CLI computes for them', async (t) => {
    const windowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
    const baselines = await publishFromPython(windowEnd, 'baselines');
    assert.deepEqual(
      baselines.map((message) => message.kind),
      ['Baseline', 'FeatureBaseline'],
    );
    await stack.waitFor(
      'the baseline to be registered',
      () => stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0],
    );
    await stack.waitFor(
      'the feature baseline to be registered',
      () => stack.logs('registerFeatureBaseline', (line) => line.event === 'feature_baseline_registered')[0],
    );

    const windows = await publishFromPython(windowEnd, 'windows');
    assert.ok(
      windows.every(
        (message) =>
          typeof message.messageId === 'string' && message.orderingKey.startsWith('promo-lift/py1/'),
      ),
    );
    const count = (kind: WindowKind) => windows.filter((message) => message.kind === kind).length;
    const counted = windows.filter((message) => ['binned', 'counted'].includes(message.encoding));
    assert.deepEqual(
      counted.map((message) => {
        const body = JSON.parse(message.data) as { features?: Record<string, object> };
        const columns = Object.values(body.features ?? {}).map((column) => Object.keys(column).sort().join());
        return [message.kind, columns];
      }),
      [
        ['PredictionBatch', []],
        ['FeatureBatch', ['binCounts,kind,missing', 'counts,kind,missing']],
      ],
      'a binned PredictionBatch and a FeatureBatch of a binned numeric and a counted categorical column',
    );
    assert.deepEqual(
      Object.keys(MONITORS).map((kind) => count(kind as WindowKind)),
      [3, 4, 3, 1, 2],
    );
    for (const [kind, { fn }] of Object.entries(MONITORS)) {
      await stack.waitFor(`${fn} to write ${count(kind as WindowKind)} windows`, () => {
        const written = stack.logs(fn, (line) => line.event === 'points_written');
        return written.length >= count(kind as WindowKind) ? written : undefined;
      });
    }
    assert.deepEqual(
      Object.values(MONITORS).flatMap(({ fn }) =>
        stack.logs(fn, (line) => line.acknowledged === true && line.severity === 'ERROR'),
      ),
      [],
      'nothing refused',
    );

    const baselineFile = folder.file(baselines[0]!.data);
    const featureBaselineFile = folder.file(baselines[1]!.data);
    let compared = 0;
    for (const message of windows) {
      const { command } = MONITORS[message.kind as WindowKind];
      const baseline = { drift: baselineFile, features: featureBaselineFile }[command as string];
      const args = baseline
        ? [command, '--baseline', baseline, '--batch', folder.file(message.data)]
        : [command, '--batch', folder.file(message.data)];
      const result = await liftwatch(...args);
      assert.equal(result.code, 0, result.stderr);
      const expected = expectedPoints(message.kind as WindowKind, JSON.parse(result.stdout));
      assert.ok(expected.size >= 8, `${message.dataset} (${message.encoding}): ${expected.size} statistics`);
      assert.deepEqual(
        recordedPoints(message, windowEnd),
        expected,
        `${message.dataset} (${message.encoding})`,
      );
      compared += expected.size;
    }
    const notPrinted = stack.monitoring
      .points()
      .filter((point) =>
        NOT_PRINTED.has(`${point.metricType.replace(metricType({ name: '' }), '')}|`),
      ).length;
    assert.equal(stack.monitoring.points().length, compared + notPrinted, 'no other point written');
    t.diagnostic(
      `${windows.length} windows published from Python, ${compared} points equal to the CLI's values`,
    );
  });
});
