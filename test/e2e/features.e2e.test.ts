/**
 * The feature monitor through the production path, on one machine: the real @google-cloud/pubsub client
 * publishes a FeatureBaseline and FeatureBatches (every column encoding) to the Pub/Sub emulator, push
 * subscriptions deliver them to Functions Framework processes serving the built registerFeatureBaseline and
 * featureMonitor, the baseline's summaries go to the Firestore emulator and come back from it, and the real
 * MetricServiceClient writes to the local MetricService. The recorded points, with their `feature` label, are
 * asserted exactly twice over: against the same statistics computed in process from the messages, and against
 * what `liftwatch features` prints for the same files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import {
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BATCH_VALUES,
} from '../../shared/contracts/index.js';
import { catalog, metricType } from '../../shared/monitoring/catalog.js';
import { summarizeFeatureBaseline } from '../../shared/monitors/featureBaseline.js';
import { featureRules } from '../../shared/monitors/featureRules.js';
import { featureSeries } from '../../shared/monitors/features.js';
import { compareFeatureWindow } from '../../shared/monitors/featureWindow.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import {
  DEVICES,
  featureBaseline,
  featureColumns,
  float32Base64,
  withColumn,
} from '../support/featureMessages.js';
import { PROJECT } from '../support/localMonitoring.js';

const MIN_SAMPLE = 100;
const MODEL = 'promo-lift';
const VERSION = 'v3.1';

let stack: LocalStack;
const folder = messageFolder();
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['registerFeatureBaseline', 'featureMonitor'],
    env: { LIFTWATCH_DRIFT_MIN_SAMPLE: String(MIN_SAMPLE), LIFTWATCH_BASELINE_CACHE_SECONDS: '1' },
  });
});
after(async () => {
  folder.cleanup();
  await stack?.stop();
});

const windowEnd = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
const baselineMessage = featureBaseline();

/** A window of `rows` rows of the five features, in every column encoding. */
const windowOf = (market: string, rows: number, end = windowEnd): Record<string, unknown> => ({
  schemaVersion: 1,
  model: MODEL,
  modelVersion: VERSION,
  windowEnd: end,
  segment: { market },
  features: featureColumns(rows),
});

/**
 * The pipeline break of the scenario in small: artist_followers (importance 0.42, the top feature) arrives null
 * for 40% of rows, a device category no one trained on (`car`) appears, and `genre` is missing altogether.
 */
function brokenWindow(): Record<string, unknown> {
  const rows = 300;
  const followers = Array.from({ length: rows }, (_, i) => (i % 5 < 2 ? null : 1000 + ((i * 7919) % 50_000)));
  const device = Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? 'car' : DEVICES[(i * 7) % 3]!));
  const message = withColumn(windowOf('de', rows), 'artist_followers', {
    kind: 'numeric',
    valuesF32: float32Base64(followers),
  });
  const withDevice = withColumn(message, 'device', { kind: 'categorical', values: device });
  const { genre: _, ...features } = withDevice.features as Record<string, unknown>;
  return { ...withDevice, features };
}

const windows = {
  stable: windowOf('se', 300),
  broken: brokenWindow(),
  /** 60 rows: below the minimum sample, so only n and missing_share are written per feature. */
  thin: windowOf('fr', 60),
};

/** `metric name|feature` → {value, kind, valueType}, as a set of series with one point each. */
type PointMap = Map<string, { value: number; metricKind: string; valueType: string }>;

const shortName = (type: string) => type.replace(metricType({ name: '' }), '');

/** What the feature monitor writes for a message, computed in process from the messages alone. */
function expectedPoints(message: Record<string, unknown>): PointMap {
  const batch = decodeMessage(FeatureBatch, Buffer.from(JSON.stringify(message)));
  const columns = decodeFeatureColumns(batch, MAX_BATCH_VALUES);
  const window = compareFeatureWindow(summarizeFeatureBaseline(decodeBaseline()), columns, MIN_SAMPLE, batch);
  const series = featureSeries(
    {
      projectId: PROJECT,
      model: MODEL,
      modelVersion: VERSION,
      segment: batch.segment,
      endTime: new Date(batch.windowEnd),
    },
    window,
  );
  const points: PointMap = new Map();
  for (const one of series) {
    const point = one.points![0]!;
    const value = point.value!.doubleValue ?? Number(point.value!.int64Value);
    const key = `${shortName(one.metric!.type!)}|${one.metric!.labels!.feature ?? ''}`;
    assert.ok(!points.has(key), `in process: ${key} twice`);
    points.set(key, { value, metricKind: String(one.metricKind), valueType: String(one.valueType) });
  }
  return points;
}

/** The baseline message as registerFeatureBaseline parses it. */
const decodeBaseline = () => decodeMessage(FeatureBaseline, Buffer.from(JSON.stringify(baselineMessage)));

/** The points the local MetricService holds for one segment, in the same form. */
function recordedPoints(market: string): PointMap {
  const points: PointMap = new Map();
  for (const point of stack.monitoring.points({
    labels: { model: MODEL, model_version: VERSION, segment: `market=${market}` },
  })) {
    assert.equal(point.endTime, windowEnd, `${point.metricType} ends at the window's end`);
    assert.equal(point.resourceType, catalog.resourceType);
    assert.deepEqual(point.resourceLabels, { project_id: PROJECT });
    const { model: _, model_version: __, segment: ___, ...extra } = point.metricLabels;
    assert.ok(
      Object.keys(extra).every((label) => label === 'feature'),
      `${point.metricType}: only the feature label is added (${Object.keys(extra)})`,
    );
    const key = `${shortName(point.metricType)}|${extra.feature ?? ''}`;
    assert.ok(!points.has(key), `recorded: ${key} twice`);
    points.set(key, {
      value: point.value as number,
      metricKind: point.metricKind,
      valueType: point.valueType,
    });
  }
  return points;
}

const written = () => stack.logs('featureMonitor', (line) => line.event === 'points_written');
const refusals = () =>
  stack.logs('featureMonitor', (line) => line.acknowledged === true && line.severity === 'ERROR');
const driftLines = () => stack.logs('featureMonitor', (line) => line.event === 'feature_drift');

describe('feature monitor end to end', () => {
  test('a feature baseline and three windows write exactly the expected points, labelled by feature', async () => {
    await stack.publish('feature-baselines', baselineMessage);
    await stack.waitFor(
      'the feature baseline to be registered',
      () => stack.logs('registerFeatureBaseline', (line) => line.event === 'feature_baseline_registered')[0],
    );
    for (const message of Object.values(windows)) await stack.publish('features', message);
    await stack.waitFor('three windows to be written', () => (written().length >= 3 ? written() : undefined));
    assert.deepEqual(refusals(), [], 'nothing refused');

    let total = 0;
    for (const [name, message] of Object.entries(windows)) {
      const market = (message.segment as { market: string }).market;
      const expected = expectedPoints(message);
      assert.deepEqual(recordedPoints(market), expected, `${name} window (${market})`);
      total += expected.size;
    }
    assert.equal(stack.monitoring.points({ labels: { model_version: VERSION } }).length, total);

    // The broken window: the two broken features and the absent one are named; the stable one flags nothing.
    const broken = recordedPoints('de');
    assert.equal(broken.get('features/quality_broken|')!.value, 3, 'followers, device, genre');
    assert.equal(
      broken.get('features/top_quality_broken|')!.value,
      2,
      'artist_followers and device carry the only importances, so both are top-5 features',
    );
    assert.equal(broken.has('feature/psi|genre'), false, 'an absent feature has no statistics');
    assert.ok(broken.get('feature/unseen_share|device')!.value > 0.2);
    const stable = recordedPoints('se');
    assert.equal(stable.get('features/quality_broken|')!.value, 0);
    assert.equal(stable.get('features/drifted|')!.value, 0);
    // The thin window writes counts and missing shares, never distribution statistics.
    const thin = recordedPoints('fr');
    assert.ok(thin.has('feature/missing_share|artist_followers'));
    assert.equal(thin.has('feature/psi|artist_followers'), false);
  });

  test('the points and the feature_drift ranking equal what liftwatch features prints for the same files', async () => {
    const baselineFile = folder.file(JSON.stringify(baselineMessage));
    for (const [name, message] of Object.entries(windows)) {
      const market = (message.segment as { market: string }).market;
      const result = await liftwatch(
        'features',
        '--baseline',
        baselineFile,
        '--batch',
        folder.file(JSON.stringify(message)),
      );
      assert.equal(result.code, 0, result.stderr);
      const printed = JSON.parse(result.stdout) as {
        features: ({ name: string; absent?: boolean } & Record<string, unknown>)[];
        ranking: string[];
        drifted: number;
        qualityBroken: number;
      };
      const recorded = recordedPoints(market);
      let compared = 0;
      for (const feature of printed.features) {
        for (const [key, point] of recorded) {
          const [metric, label] = key.split('|');
          if (label !== feature.name) continue;
          const entry = catalog.metrics.find((candidate) => candidate.name === metric)!;
          assert.equal(point.value, feature[entry.statistic], `${name}: ${key} = CLI ${entry.statistic}`);
          compared += 1;
        }
        if (feature.absent)
          assert.equal(
            [...recorded.keys()].some((key) => key.endsWith(`|${feature.name}`)),
            false,
          );
      }
      assert.ok(compared >= 10, `${name}: ${compared} per-feature points compared`);
      assert.equal(recorded.get('features/drifted|')!.value, printed.drifted);
      assert.equal(recorded.get('features/quality_broken|')!.value, printed.qualityBroken);
      const line = driftLines().find((candidate) => candidate.segment === `market=${market}`);
      assert.ok(line, `${name}: a feature_drift line`);
      assert.deepEqual(
        (line.ranked as { name: string }[]).map((feature) => feature.name),
        printed.ranking.slice(0, featureRules.rankedInLog),
        `${name}: the log ranks as the CLI does`,
      );
    }
    const de = driftLines().find((line) => line.segment === 'market=de')!;
    assert.equal(de.severity, 'NOTICE');
    assert.deepEqual(
      (de.ranked as { name: string }[])
        .slice(0, 3)
        .map((feature) => feature.name)
        .sort(),
      ['artist_followers', 'device', 'genre'],
      'the broken features are ranked first',
    );
  });

  test('a redelivered window writes no second point', async () => {
    const before = stack.monitoring.points({ labels: { model_version: VERSION } }).length;
    await stack.publish('features', windows.stable);
    const line = await stack.waitFor('the duplicate to be settled', () =>
      written().find((entry) => Number(entry.superseded) > 0),
    );
    assert.equal(line.written, 0);
    assert.equal(line.superseded, expectedPoints(windows.stable).size);
    assert.equal(stack.monitoring.points({ labels: { model_version: VERSION } }).length, before);
  });

  test('an unknown feature and a kind mismatch are refused by field, acknowledged, and write nothing', async () => {
    const before = stack.monitoring.points().length;
    const later = new Date(Date.parse(windowEnd) + 600_000).toISOString();
    await stack.publish(
      'features',
      withColumn(windowOf('se', 300, later), 'playlist_reach', {
        kind: 'numeric',
        values: new Array(300).fill(1),
      }),
    );
    await stack.publish(
      'features',
      withColumn(windowOf('de', 300, later), 'device', { kind: 'numeric', values: new Array(300).fill(1) }),
    );
    const lines = await stack.waitFor('both refusals', () =>
      refusals().length >= 2 ? refusals() : undefined,
    );
    assert.deepEqual(
      lines.map((line) => (line.issues as { path: string }[]).map((issue) => issue.path)).sort(),
      [['features.device.kind'], ['features.playlist_reach']],
    );
    assert.ok(lines.every((line) => line.reason === 'invalid_message' && line.modelVersion === VERSION));
    // Acknowledged: no redelivery arrives in the next two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(refusals().length, 2);
    assert.equal(stack.monitoring.points().length, before);
  });
});
