/**
 * The drift monitor through the production path, on one machine: the real @google-cloud/pubsub client
 * publishes to the Pub/Sub emulator, push subscriptions deliver to Functions Framework processes serving the
 * built registerBaseline and driftMonitor, baselines go to the Firestore emulator, and the real
 * MetricServiceClient writes to the local MetricService, whose recorded points are asserted exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MetricServiceClient } from '@google-cloud/monitoring';
import type { PubSub } from '@google-cloud/pubsub';
import type { RunningProcess } from '../../local/emulators.js';
import { startFirestoreEmulator, startPubSubEmulator } from '../../local/emulators.js';
import { jsonLogs, type RunningFunction, startFunctionsFramework } from '../../local/functionsFramework.js';
import type { LocalMetricService } from '../../local/metricService.js';
import { createPushSubscription, ensureTopic, pubsubClient } from '../../local/pubsubSetup.js';
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import { catalog, metricsWrittenBy, metricType } from '../../shared/monitoring/catalog.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';
import { PROJECT, startMonitoring } from '../support/localMonitoring.js';

const SOURCE = 'build/functions/index.js';
const started: { stop(): Promise<void> }[] = [];
let monitoring: { service: LocalMetricService; client: MetricServiceClient };
let pubsub: PubSub;
const functions: Record<string, RunningFunction> = {};

/** Deterministic pseudo-random values in [0, 1): a linear congruential generator, so the test needs no data files. */
function values(count: number, seed: number, transform = (u: number) => u): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return transform(state / 2147483648);
  });
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) {
      const logs = Object.entries(functions).map(
        ([name, fn]) => `--- ${name}\n${fn.logs().slice(-15).join('\n')}`,
      );
      throw new Error(`timed out waiting for ${what}\n${logs.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Structured log lines of a function with the given event or reason. */
const logsOf = (name: string, predicate: (line: Record<string, unknown>) => boolean) =>
  jsonLogs(functions[name]!.logs()).filter(predicate);

before(async () => {
  const stopAll = async () => {
    for (const item of started.reverse()) await item.stop().catch(() => undefined);
  };
  try {
    const [pubsubEmulator, firestoreEmulator, local] = await Promise.all([
      startPubSubEmulator({ projectId: PROJECT }),
      startFirestoreEmulator({ projectId: PROJECT }),
      startMonitoring(),
    ]);
    started.push(pubsubEmulator, firestoreEmulator, {
      stop: () => local.client.close().then(() => local.service.close()),
    });
    monitoring = local;
    const env = {
      GOOGLE_CLOUD_PROJECT: PROJECT,
      FIRESTORE_EMULATOR_HOST: (firestoreEmulator as RunningProcess).endpoint,
      LIFTWATCH_MONITORING_ENDPOINT: local.service.endpoint,
      LIFTWATCH_BASELINE_CACHE_SECONDS: '1',
      NODE_ENV: 'production',
    };
    for (const target of ['registerBaseline', 'driftMonitor']) {
      functions[target] = await startFunctionsFramework({ target, source: SOURCE, env });
      started.push(functions[target]);
    }
    pubsub = pubsubClient(pubsubEmulator.endpoint, PROJECT);
    for (const [topic, target] of [
      ['baselines', 'registerBaseline'],
      ['predictions', 'driftMonitor'],
    ] as const) {
      await ensureTopic(pubsub, topic);
      await createPushSubscription(pubsub, {
        topic,
        name: `${topic}-push`,
        pushEndpoint: `http://127.0.0.1:${functions[target]!.port}`,
        ackDeadlineSeconds: 60,
        retryPolicy: { minimumBackoffSeconds: 1, maximumBackoffSeconds: 2 },
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
});

after(async () => {
  await pubsub?.close().catch(() => undefined);
  for (const item of started.reverse()) await item.stop().catch(() => undefined);
});

const publish = (topic: string, message: unknown) =>
  pubsub
    .topic(topic)
    .publishMessage({ data: Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)) });

describe('drift monitor end to end', () => {
  const reference = values(5000, 7, (u) => 0.02 + 0.1 * u * u);
  const windowEnd = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
  const batches = [
    { segment: { market: 'se' }, windowEnd, predictions: values(800, 11, (u) => 0.02 + 0.1 * u * u) },
    { segment: { market: 'de' }, windowEnd, predictionsF32: values(1200, 13, (u) => 0.04 + 0.1 * u * u) },
    {
      segment: { market: 'se' },
      windowEnd: new Date(windowEnd.getTime() + 600_000),
      predictions: values(900, 17, (u) => 0.02 + 0.12 * u),
    },
  ];

  test('a registered baseline and three prediction batches produce exactly the expected points', async () => {
    await publish('baselines', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v7',
      predictions: reference,
    });
    await waitFor(
      'the baseline to be registered',
      () => logsOf('registerBaseline', (line) => line.event === 'baseline_registered')[0],
    );

    for (const batch of batches) {
      const { predictionsF32, ...rest } = batch;
      await publish('predictions', {
        schemaVersion: 1,
        model: 'promo-lift',
        modelVersion: 'v7',
        ...rest,
        windowEnd: batch.windowEnd.toISOString(),
        ...(predictionsF32 ? { predictionsF32: encodeFloat32(predictionsF32) } : {}),
      });
    }
    await waitFor('three batches to be written', () => {
      const written = logsOf('driftMonitor', (line) => line.event === 'points_written');
      return written.length >= 3 ? written : undefined;
    });

    const summary = summarizeBaseline(reference);
    const driftMetrics = metricsWrittenBy('driftMonitor');
    for (const batch of batches) {
      const current = Float64Array.from(batch.predictions ?? batch.predictionsF32!.map(Math.fround));
      const expected = computeDrift(summary, current) as unknown as Record<string, number>;
      for (const entry of driftMetrics) {
        const points = monitoring.service.points({
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
      monitoring.service.points({ labels: { model_version: 'v7' } }).length,
      batches.length * driftMetrics.length,
    );
  });

  test('a republished batch (a duplicate delivery) writes no second point', async () => {
    const before = monitoring.service.points({ labels: { model_version: 'v7' } }).length;
    const { predictions, segment } = batches[0]!;
    await publish('predictions', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v7',
      segment,
      predictions,
      windowEnd: windowEnd.toISOString(),
    });
    const line = await waitFor(
      'the duplicate to be settled',
      () =>
        logsOf(
          'driftMonitor',
          (entry) => entry.event === 'points_written' && Number(entry.superseded) > 0,
        )[0],
    );
    assert.equal(line.written, 0);
    assert.equal(
      line.superseded,
      catalog.metrics.filter((entry) => entry.writtenBy === 'driftMonitor').length,
    );
    assert.equal(monitoring.service.points({ labels: { model_version: 'v7' } }).length, before);
  });

  test('malformed messages and an unknown baseline are refused with a reason, acknowledged, and write nothing', async () => {
    const before = monitoring.service.points().length;
    await publish('predictions', '{"schemaVersion": 1, "model": ');
    await publish('predictions', {
      schemaVersion: 1,
      model: 'promo-lift',
      modelVersion: 'v404',
      windowEnd: windowEnd.toISOString(),
      predictions: [0.1],
    });
    const refusals = await waitFor('both refusals', () => {
      const lines = logsOf('driftMonitor', (line) => line.acknowledged === true && line.severity === 'ERROR');
      return lines.length >= 2 ? lines : undefined;
    });
    assert.deepEqual(refusals.map((line) => line.reason).sort(), ['invalid_message', 'unknown_baseline']);
    assert.ok(refusals.some((line) => line.modelVersion === 'v404'));
    // Acknowledged: no redelivery arrives in the next two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(
      logsOf('driftMonitor', (line) => line.acknowledged === true && line.severity === 'ERROR').length,
      2,
    );
    assert.equal(monitoring.service.points().length, before);
  });
});
