import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { binningFingerprint } from '../../shared/monitors/binning.js';
import { binCountsSorted } from '../../shared/stats/drift/quantileBins.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { invalidPredictionMessages } from '../support/invalidPredictionMessages.js';
import { baseline, json, predictionBatch } from '../support/messages.js';
import { typedValue } from '../support/points.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;
const driftMonitor = getFunction('driftMonitor') as Handler;
const registerBaseline = getFunction('registerBaseline') as Handler;

const now = new Date('2026-11-26T15:30:00Z');
const harness = useTestRuntime(() => ({ now: () => now }));

beforeEach(async () => {
  await registerBaseline(pubsubEvent(json(baseline())));
});

const batch = (overrides: Record<string, unknown> = {}) =>
  json(predictionBatch({ windowEnd: '2026-11-26T15:00:00Z', ...overrides }));

describe('driftMonitor', () => {
  test('writes every drift metric for a window, stamped with the window end, labelled by model, version and segment', async () => {
    await driftMonitor(pubsubEvent(batch()));
    assert.equal(harness.runtime.monitoring.points().length, 10);
    for (const series of harness.runtime.monitoring.points()) {
      assert.deepEqual(series.metricLabels, {
        model: 'promo-lift',
        model_version: 'v3.1',
        segment: 'market=se',
      });
      assert.equal(series.resourceType, 'global');
      assert.deepEqual(series.resourceLabels, { project_id: 'demo' });
      assert.equal(series.endTimeMs, Date.parse('2026-11-26T15:00:00Z'));
      assert.equal(series.writtenAtMs, now.getTime(), 'written at the runtime clock');
    }
    const types = harness.runtime.monitoring
      .points()
      .map((series) => series.metricType.replace('custom.googleapis.com/liftwatch/', ''));
    assert.deepEqual(types, [
      'drift/sample_size',
      'drift/reference_size',
      'drift/psi',
      'drift/psi_null99',
      'drift/psi_p_value',
      'drift/js_distance',
      'drift/ks_statistic',
      'drift/ks_p_value',
      'drift/wasserstein',
      'drift/wasserstein_normed',
    ]);
    const sampleSize = typedValue(harness.runtime.monitoring.points()[0]);
    assert.deepEqual(sampleSize, { int64Value: 200 });
    assert.equal(harness.logs.at(-1)?.event, 'points_written');
  });

  test('a redelivered message writes nothing twice and is acknowledged', async () => {
    const event = pubsubEvent(batch());
    await driftMonitor(event);
    await driftMonitor(event);
    assert.equal(harness.runtime.monitoring.points().length, 10);
    const last = harness.logs.at(-1)!;
    assert.equal(last.written, 0);
    assert.equal(last.superseded, 10);
  });

  test('withholds the statistics below the minimum sample, writes the sample size and logs insufficient data', async () => {
    await driftMonitor(pubsubEvent(batch({ predictions: [0.1, 0.2, 0.3] })));
    assert.deepEqual(
      harness.runtime.monitoring.points().map((series) => series.metricType),
      [
        'custom.googleapis.com/liftwatch/drift/sample_size',
        'custom.googleapis.com/liftwatch/drift/reference_size',
      ],
    );
    assert.ok(
      harness.logs.some((line) => line.event === 'insufficient_data' && line.n === 3 && line.minimum === 100),
    );
  });

  test('reads predictionsF32 batches exactly like JSON ones', async () => {
    const values = Array.from({ length: 150 }, (_, i) => Math.fround(0.01 * (i % 17)));
    await driftMonitor(pubsubEvent(batch({ predictions: values, windowEnd: '2026-11-26T14:00:00Z' })));
    await driftMonitor(
      pubsubEvent(
        batch({ predictions: undefined, predictionsF32: encodeFloat32(values), segment: { market: 'no' } }),
      ),
    );
    const byWindow = (segment: string) =>
      harness.runtime.monitoring
        .points()
        .filter((series) => series.metricLabels.segment === segment)
        .map((series) => typedValue(series));
    assert.deepEqual(byWindow('market=no'), byWindow('market=se'));
  });

  test('refuses a batch whose model version has no baseline, naming model and version, without retrying', async () => {
    await driftMonitor(pubsubEvent(batch({ modelVersion: 'v9' })));
    assert.equal(harness.runtime.monitoring.requests(), 0);
    const line = harness.logs.at(-1)!;
    assert.equal(line.severity, 'ERROR');
    assert.equal(line.reason, 'unknown_baseline');
    assert.equal(line.model, 'promo-lift');
    assert.equal(line.modelVersion, 'v9');
    assert.equal(line.acknowledged, true);
    assert.match(String(line.message), /no baseline registered for model promo-lift version v9/);
  });

  test('refuses a window older than Cloud Monitoring accepts, and one from the future', async () => {
    await driftMonitor(pubsubEvent(batch({ windowEnd: '2026-11-25T14:00:00Z' })));
    await driftMonitor(pubsubEvent(batch({ windowEnd: '2026-11-26T15:40:00Z' })));
    assert.equal(harness.runtime.monitoring.requests(), 0);
    const reasons = harness.logs
      .slice(-2)
      .map((line) => [String(line.reason), String(line.message)] as const);
    assert.equal(reasons[0]![0], 'unwritable');
    assert.match(reasons[0]![1], /25.5 h old/);
    assert.match(reasons[1]![1], /10.0 min in the future/);
  });

  test('throws on a baseline store outage so Pub/Sub redelivers, and then succeeds', async () => {
    harness.runtime.baselines.failNext = 1;
    const event = pubsubEvent(batch());
    await assert.rejects(driftMonitor(event), /UNAVAILABLE/);
    assert.equal(harness.logs.at(-1)?.acknowledged, false);
    await driftMonitor(event);
    assert.equal(harness.runtime.monitoring.points().length, 10);
  });

  test('retries Cloud Monitoring outages in process and writes each point once', async () => {
    harness.runtime.monitoring.injectFault({ code: 14 });
    harness.runtime.monitoring.injectFault({ code: 4 });
    await driftMonitor(pubsubEvent(batch()));
    assert.equal(harness.runtime.monitoring.points().length, 10);
  });

  test('throws when Cloud Monitoring stays unavailable, so the message is redelivered, not dropped', async () => {
    harness.runtime.monitoring.injectFault({ code: 14, times: 4 });
    await assert.rejects(driftMonitor(pubsubEvent(batch())), /failed after 4 attempt\(s\) with code 14/);
  });

  for (const { name, data, field } of invalidPredictionMessages) {
    test(`acknowledges and logs ${name} with the field it names, writing nothing`, async () => {
      await driftMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), field);
    });
  }

  test('names the model and version a malformed message claims, so its refusal can be found by model', async () => {
    await driftMonitor(pubsubEvent(batch({ modelVersion: 'v9', predictions: ['x'] })));
    const line = harness.logs.at(-1)!;
    assert.equal(line.reason, 'invalid_message');
    assert.equal(line.model, 'promo-lift');
    assert.equal(line.modelVersion, 'v9');
  });

  test('keeps serving valid messages after refusing malformed ones', async () => {
    for (const { data } of invalidPredictionMessages.slice(0, 5)) await driftMonitor(pubsubEvent(data));
    await driftMonitor(pubsubEvent(batch()));
    assert.equal(harness.runtime.monitoring.points().length, 10);
  });
});

describe('registerBaseline', () => {
  test('replaces a baseline when the version is registered again', async () => {
    await registerBaseline(
      pubsubEvent(json(baseline({ predictions: [1, 2, 3], predictionsF32: undefined }))),
    );
    const stored = harness.runtime.baselines.baselines.get('promo-lift@v3.1')!;
    assert.equal(stored.summary.referenceSize, 3);
  });

  test('keeps the newer baseline when an older registration is redelivered late', async () => {
    await registerBaseline(
      pubsubEvent(json(baseline({ predictions: [1, 2, 3], predictionsF32: undefined })), {
        publishTime: new Date('2020-01-01T00:00:00Z'),
      }),
    );
    assert.equal(harness.runtime.baselines.baselines.get('promo-lift@v3.1')!.summary.referenceSize, 1000);
    assert.equal(harness.logs.at(-1)?.event, 'baseline_stale');
  });

  test('refuses a baseline with a bad field and stores nothing', async () => {
    await registerBaseline(pubsubEvent(json(baseline({ model: 'Bad Model' }))));
    assert.equal(harness.runtime.baselines.baselines.size, 1);
    assert.equal(harness.logs.at(-1)?.reason, 'invalid_message');
  });
});

describe('driftMonitor on binned windows (binCounts)', () => {
  const stored = () => harness.runtime.baselines.baselines.get('promo-lift@v3.1')!;
  /** The sample batch's predictions counted in the stored baseline's fine bins. */
  const fineCounts = () => {
    const { predictions } = predictionBatch() as { predictions: number[] };
    return binCountsSorted(Float64Array.from(predictions).sort(), stored().summary.fine!.edges);
  };
  const binnedBatch = (binCounts: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
    batch({ predictions: undefined, binCounts, segment: { market: 'no' }, ...overrides });

  test('registerBaseline stores the binning: the fingerprint of model, version and the fine edges', () => {
    const { binning, summary } = stored();
    assert.match(binning!, /^[0-9a-f]{16}$/);
    assert.equal(binning, binningFingerprint('promo-lift', 'v3.1', summary.fine!.edges));
    assert.equal(summary.fine!.edges.length, 999, 'the sample baseline has 999 distinct fine quantiles');
    assert.equal(harness.logs.find((line) => line.event === 'baseline_registered')?.binning, binning);
  });

  test('writes the same metrics as the raw window; the exact ones with the same values', async () => {
    await driftMonitor(pubsubEvent(batch()));
    await driftMonitor(pubsubEvent(binnedBatch({ binning: stored().binning, counts: fineCounts() })));
    const points = (segment: string) =>
      new Map(
        harness.runtime.monitoring
          .points()
          .filter((series) => series.metricLabels.segment === segment)
          .map((series) => [
            series.metricType.replace('custom.googleapis.com/liftwatch/', ''),
            typedValue(series),
          ]),
      );
    const raw = points('market=se');
    const binned = points('market=no');
    assert.deepEqual([...binned.keys()], [...raw.keys()]);
    for (const metric of [
      'drift/sample_size',
      'drift/reference_size',
      'drift/psi',
      'drift/psi_null99',
      'drift/psi_p_value',
      'drift/js_distance',
    ])
      assert.deepEqual(binned.get(metric), raw.get(metric), metric);
    const value = (map: Map<string, unknown>, metric: string) =>
      (map.get(metric) as { doubleValue: number }).doubleValue;
    for (const metric of ['drift/ks_statistic', 'drift/wasserstein', 'drift/wasserstein_normed'])
      assert.ok(value(binned, metric) <= value(raw, metric), `${metric}: the binned value is a lower bound`);
    assert.ok(value(binned, 'drift/ks_p_value') >= value(raw, 'drift/ks_p_value'));
    const line = harness.logs.at(-1)!;
    assert.equal(line.event, 'points_written');
    const statistics = line.statistics as Record<string, unknown>;
    assert.deepEqual(statistics.approximate, ['ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed']);
    assert.ok((statistics.ksStatisticUpperBound as number) >= value(raw, 'drift/ks_statistic'));
  });

  test('counts of a billion predictions are one small message, written like any window', async () => {
    const counts = fineCounts().map((count) => count * 5_000_000);
    await driftMonitor(pubsubEvent(binnedBatch({ binning: stored().binning, counts })));
    const sampleSize = harness.runtime.monitoring
      .points()
      .find((series) => series.metricType.endsWith('drift/sample_size'));
    assert.deepEqual(typedValue(sampleSize), { int64Value: 1_000_000_000 });
  });

  const refusals: {
    name: string;
    binCounts: () => Record<string, unknown>;
    reason: string;
    field: string;
  }[] = [
    {
      name: 'a fingerprint that is not the baseline binning',
      binCounts: () => ({ binning: '0123456789abcdef', counts: fineCounts() }),
      reason: 'binning_mismatch',
      field: 'binCounts.binning',
    },
    {
      name: "another version's binning",
      binCounts: () => ({
        binning: binningFingerprint('promo-lift', 'v3.0', stored().summary.fine!.edges),
        counts: fineCounts(),
      }),
      reason: 'binning_mismatch',
      field: 'binCounts.binning',
    },
    {
      name: 'the right binning with one count too few',
      binCounts: () => ({ binning: stored().binning, counts: fineCounts().slice(1) }),
      reason: 'invalid_message',
      field: 'binCounts.counts',
    },
  ];
  for (const { name, binCounts, reason, field } of refusals) {
    test(`refuses ${name} (${reason}, naming ${field}), acknowledged, writing nothing`, async () => {
      await driftMonitor(pubsubEvent(binnedBatch(binCounts())));
      assert.equal(harness.runtime.monitoring.requests(), 0);
      const line = harness.logs.at(-1)!;
      assert.equal(line.severity, 'ERROR');
      assert.equal(line.reason, reason);
      assert.equal(line.acknowledged, true);
      assert.match(String(line.message), new RegExp(field.replace('.', '\\.')));
    });
  }

  test('refuses binned windows for a baseline stored before binning, telling the producer to register again', async () => {
    const { binning: _, ...legacy } = stored();
    const { fine: __, ...summary } = legacy.summary;
    harness.runtime.baselines.baselines.set('promo-lift@v3.1', { ...legacy, summary });
    await driftMonitor(pubsubEvent(binnedBatch({ binning: '0123456789abcdef', counts: [200] })));
    const line = harness.logs.at(-1)!;
    assert.equal(line.reason, 'binning_mismatch');
    assert.match(String(line.message), /registered before binned windows; register it again/);
    assert.equal(harness.runtime.monitoring.requests(), 0);
  });
});
