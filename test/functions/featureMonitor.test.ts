import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import {
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
} from '../../shared/contracts/index.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { featureBinning } from '../../shared/monitors/binning.js';
import { summarizeFeatureBaseline } from '../../shared/monitors/featureBaseline.js';
import { summarizeFeature } from '../../shared/stats/features/featureSummary.js';
import { computeFeatureStatistics } from '../../shared/stats/features/suite.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import {
  countedFeatureBatch,
  featureBaseline,
  featureBatch,
  withColumn,
} from '../support/featureMessages.js';
import {
  invalidFeatureBaselineMessages,
  invalidFeatureBatchMessages,
} from '../support/invalidFeatureMessages.js';
import { json, lcgValues } from '../support/messages.js';
import { assertAcknowledgedRefusal } from '../support/refusals.js';
import { useTestRuntime } from '../support/runtime.js';

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;
const featureMonitor = getFunction('featureMonitor') as Handler;
const registerFeatureBaseline = getFunction('registerFeatureBaseline') as Handler;

const now = new Date('2026-11-26T15:30:00Z');
const windowEnd = '2026-11-26T15:00:00Z';
const harness = useTestRuntime(() => ({ now: () => now }));
const PREFIX = 'custom.googleapis.com/liftwatch/';

const batch = (overrides: Record<string, unknown> = {}) => featureBatch({ windowEnd, ...overrides });
const withoutFeature = (message: Record<string, unknown>, name: string) => {
  const { [name]: _, ...rest } = message.features as Record<string, unknown>;
  return { ...message, features: rest };
};

/** Written points as `metric{feature}` => value. */
function written(): Map<string, number> {
  return new Map(
    harness.runtime.monitoring
      .points()
      .map((point) => [
        `${point.metricType.replace(PREFIX, '')}${point.metricLabels.feature ? `{${point.metricLabels.feature}}` : ''}`,
        Number(point.value),
      ]),
  );
}

/** What the statistics suite computes for the messages: the values the points must carry. */
function expectedStatistics(baselineMessage: object, batchMessage: object) {
  const reference = decodeFeatureColumns(
    decodeMessage(FeatureBaseline, json(baselineMessage)),
    MAX_BASELINE_VALUES,
  );
  const current = decodeFeatureColumns(decodeMessage(FeatureBatch, json(batchMessage)), MAX_BATCH_VALUES);
  return new Map(
    current.map(({ name, column }) => {
      const feature = reference.find((candidate) => candidate.name === name)!;
      return [name, computeFeatureStatistics(summarizeFeature(feature.column), column)];
    }),
  );
}

const featureDriftLine = () => harness.logs.find((line) => line.event === 'feature_drift')!;

describe('featureMonitor', () => {
  beforeEach(async () => {
    await registerFeatureBaseline(pubsubEvent(json(featureBaseline())));
  });

  test('writes every feature statistic with the feature label, exactly the suite values, and the window counts', async () => {
    await featureMonitor(pubsubEvent(json(batch())));
    const expected = expectedStatistics(featureBaseline(), batch());
    const points = written();
    const perFeature = metricsWrittenBy('featureMonitor').filter((entry) => entry.extraLabels);
    let count = 0;
    for (const [name, statistics] of expected) {
      for (const entry of perFeature) {
        const value = (statistics as unknown as Record<string, number | undefined>)[entry.statistic];
        assert.equal(points.get(`${entry.name}{${name}}`), value, `${entry.name}{${name}}`);
        if (value !== undefined) count++;
      }
    }
    assert.equal(count, 2 * 6 + 3 * 7, 'numeric: 6 series; categorical: 7');
    for (const point of harness.runtime.monitoring.points()) {
      assert.equal(point.endTimeMs, Date.parse(windowEnd));
      assert.equal(point.metricLabels.model, 'promo-lift');
      assert.equal(point.metricLabels.segment, 'market=se');
    }
    assert.equal(points.get('features/drifted'), 0);
    assert.equal(points.get('features/quality_broken'), 0);
    const psis = [...expected.values()].map((statistics) => statistics.psi!);
    assert.equal(points.get('features/max_psi'), Math.max(...psis));
    assert.equal(harness.runtime.monitoring.points().length, count + 6);
  });

  test('reports a baseline feature the batch omits as absent: quality broken, no series of its own', async () => {
    await featureMonitor(pubsubEvent(json(withoutFeature(batch(), 'genre'))));
    const points = written();
    assert.equal(points.get('features/quality_broken'), 1);
    assert.ok(![...points.keys()].some((key) => key.endsWith('{genre}')));
    const ranked = featureDriftLine().ranked as Record<string, unknown>[];
    assert.deepEqual(ranked[0], {
      name: 'genre',
      kind: 'categorical',
      absent: true,
      drifting: false,
      qualityBroken: true,
      reasons: ['absent from the batch'],
    });
  });

  test('refuses a feature the baseline lacks, naming it, acknowledged, writing nothing', async () => {
    const extra = withColumn(batch(), 'playlist_reach', { kind: 'numeric', values: new Array(120).fill(1) });
    await featureMonitor(pubsubEvent(json(extra)));
    assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), 'features.playlist_reach');
    assert.match(String(harness.logs.at(-1)!.message), /not a feature of the baseline of promo-lift@v3.1/);
  });

  test('refuses a feature whose kind differs from the baseline, naming its kind field', async () => {
    const mismatch = withColumn(batch(), 'device', { kind: 'numeric', values: new Array(120).fill(1) });
    await featureMonitor(pubsubEvent(json(mismatch)));
    assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), 'features.device.kind');
    assert.match(String(harness.logs.at(-1)!.message), /is numeric, but the baseline .* has it categorical/);
  });

  test('refuses a batch whose version has no feature baseline as unknown_baseline, saying how to register one', async () => {
    await featureMonitor(pubsubEvent(json(batch({ modelVersion: 'v9' }))));
    assert.equal(harness.runtime.monitoring.requests(), 0);
    const line = harness.logs.at(-1)!;
    assert.equal(line.reason, 'unknown_baseline');
    assert.equal(line.acknowledged, true);
    assert.match(
      String(line.message),
      /no feature baseline registered for model promo-lift version v9; publish a FeatureBaseline message for it to the feature-baselines topic first/,
    );
  });

  test('below the minimum sample writes only n and missing_share per feature, judges missing shares, names the withheld features', async () => {
    const small = featureBatch({ windowEnd });
    // 40 rows: every feature below 100 non-missing values; artist_followers arrives all null.
    const rows = 40;
    const message = {
      ...small,
      features: {
        artist_followers: { kind: 'numeric', values: new Array(rows).fill(null) },
        track_age_days: { kind: 'numeric', values: lcgValues(rows, 5, (u) => u * 300) },
        device: { kind: 'categorical', values: new Array(rows).fill('ios') },
        market_tier: { kind: 'categorical', categories: ['tier1'], codes: new Array(rows).fill(0) },
        genre: { kind: 'categorical', values: new Array(rows).fill('pop') },
      },
    };
    await featureMonitor(pubsubEvent(json(message)));
    const keys = [...written().keys()].sort();
    const names = ['artist_followers', 'device', 'genre', 'market_tier', 'track_age_days'];
    assert.deepEqual(
      keys,
      [
        ...names.flatMap((name) => [`feature/missing_share{${name}}`, `feature/n{${name}}`]),
        'features/drifted',
        'features/quality_broken',
        'features/top_drifted',
        'features/top_quality_broken',
      ].sort(),
    );
    assert.equal(written().get('features/quality_broken'), 1, 'the all-null column is judged broken');
    assert.equal(written().get('features/top_quality_broken'), 1);
    const insufficient = harness.logs.find((line) => line.event === 'insufficient_data')!;
    assert.equal(insufficient.severity, 'NOTICE');
    assert.equal(insufficient.minimum, 100);
    assert.deepEqual(
      (insufficient.features as { name: string }[]).map((feature) => feature.name),
      ['artist_followers', 'track_age_days', 'device', 'market_tier', 'genre'],
    );
  });

  test('a redelivered message writes nothing twice and is acknowledged', async () => {
    const event = pubsubEvent(json(batch()));
    await featureMonitor(event);
    const count = harness.runtime.monitoring.points().length;
    await featureMonitor(event);
    assert.equal(harness.runtime.monitoring.points().length, count);
    const last = harness.logs.at(-1)!;
    assert.equal(last.event, 'points_written');
    assert.equal(last.written, 0);
    assert.equal(last.superseded, count);
  });

  test('logs insufficient data, then the feature_drift ranking, then what was written', async () => {
    await featureMonitor(pubsubEvent(json(withoutFeature(batch(), 'genre'))));
    const events = harness.logs
      .map((line) => line.event)
      .filter((event) => event !== 'feature_baseline_registered');
    assert.deepEqual(events, ['feature_drift', 'points_written']);
    const line = featureDriftLine();
    assert.equal(line.severity, 'NOTICE');
    assert.match(
      String(line.message),
      /^0 of 5 features drifting, 1 with broken data quality: genre \(absent/,
    );
    assert.equal(line.featureCount, 5);
    assert.equal(line.unlisted, 0);
    const ranked = line.ranked as Record<string, unknown>[];
    assert.equal(ranked.length, 5);
    // After the broken one: the features with an importance by importance x PSI, then the others by PSI.
    const expected = expectedStatistics(featureBaseline(), batch());
    const rest = ranked.slice(1).map((feature) => feature.name);
    const weighted = ['artist_followers', 'device'].sort(
      (a, b) =>
        expected.get(b)!.psi! * (b === 'device' ? 0.1 : 0.42) -
        expected.get(a)!.psi! * (a === 'device' ? 0.1 : 0.42),
    );
    const unweighted = ['track_age_days', 'market_tier'].sort(
      (a, b) => expected.get(b)!.psi! - expected.get(a)!.psi!,
    );
    assert.deepEqual(rest, [...weighted, ...unweighted]);
    const followers = ranked.find((feature) => feature.name === 'artist_followers')!;
    assert.equal(followers.importance, 0.42);
    assert.equal(followers.psi, expected.get('artist_followers')!.psi);
    assert.deepEqual(Object.keys(followers).slice(0, 8), [
      'name',
      'kind',
      'n',
      'nReference',
      'missingShare',
      'missingShareReference',
      'missingShareDiffLower',
      'missingShareDiffUpper',
    ]);
  });

  for (const { name, data, field } of invalidFeatureBatchMessages) {
    test(`acknowledges and logs ${name} with the field it names, writing nothing`, async () => {
      await featureMonitor(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, harness.runtime.monitoring.requests(), field);
    });
  }
});

describe('featureMonitor on counted windows (binCounts, counts)', () => {
  beforeEach(async () => {
    await registerFeatureBaseline(pubsubEvent(json(featureBaseline())));
  });
  const binnings = () => {
    const stored = summarizeFeatureBaseline(decodeMessage(FeatureBaseline, json(featureBaseline())));
    return Object.fromEntries(
      stored.map(({ name, summary }) => [name, featureBinning('promo-lift', 'v3.1', name, summary)]),
    );
  };
  const refusedAs = (reason: string, field: string) => {
    assert.equal(harness.runtime.monitoring.requests(), 0, 'nothing written');
    const line = harness.logs.at(-1)!;
    assert.equal(line.reason, reason);
    assert.equal(line.acknowledged, true);
    assert.match(String(line.message), new RegExp(field.replaceAll('.', '\\.')));
  };

  test('writes the same series as the raw window: every statistic equal but the KS p-value, at or above the raw one', async () => {
    await featureMonitor(pubsubEvent(json(batch())));
    const raw = written();
    harness.runtime.monitoring.reset();
    await featureMonitor(
      pubsubEvent(json(countedFeatureBatch(batch({ windowEnd: '2026-11-26T14:00:00Z' }), binnings()))),
    );
    const binned = written();
    assert.deepEqual([...binned.keys()].sort(), [...raw.keys()].sort(), 'the same series');
    // Per feature the monitor writes KS only as its p-value: at the fine edges, never below the raw one.
    let bounded = 0;
    for (const [key, value] of raw) {
      const actual = binned.get(key)!;
      if (key.startsWith('feature/ks_p_value{')) {
        bounded++;
        assert.ok(actual >= value - 1e-12, `${key} ${actual} >= ${value}`);
      } else {
        assert.ok(
          Math.abs(actual - value) <= 1e-12 * Math.max(1, Math.abs(value)),
          `${key} ${actual} = ${value}`,
        );
      }
    }
    assert.equal(bounded, 2, 'both numeric features');
    const ranked = harness.logs.filter((line) => line.event === 'feature_drift').at(-1)!;
    const followers = (ranked.ranked as Record<string, unknown>[]).find(
      (feature) => feature.name === 'artist_followers',
    )!;
    assert.deepEqual(followers.approximate, ['ksStatistic', 'ksPValue', 'wassersteinNormed']);
    assert.equal(typeof followers.ksStatisticUpperBound, 'number');
  });

  test('accepts a numeric column whose values are all missing as counts of zero and the missing count', async () => {
    const counted = countedFeatureBatch(batch(), binnings());
    const features = counted.features as Record<
      string,
      { binCounts?: { counts: number[] }; missing: number }
    >;
    const followers = features.artist_followers!;
    followers.binCounts!.counts = followers.binCounts!.counts.map(() => 0);
    followers.missing = 120;
    await featureMonitor(pubsubEvent(json(counted)));
    const points = written();
    assert.equal(points.get('feature/missing_share{artist_followers}'), 1);
    assert.equal(points.get('features/quality_broken'), 1, 'the all-missing column is broken data quality');
  });

  test('refuses counts in another binning as binning_mismatch at features.NAME.binCounts.binning, acknowledged, nothing written', async () => {
    const counted = countedFeatureBatch(batch(), binnings());
    const features = counted.features as Record<string, { binCounts: { binning: string } }>;
    features.artist_followers!.binCounts.binning = features.track_age_days!.binCounts.binning;
    await featureMonitor(pubsubEvent(json(counted)));
    refusedAs('binning_mismatch', 'features.artist_followers.binCounts.binning');
  });

  test('refuses counts of another version of the model as binning_mismatch', async () => {
    await registerFeatureBaseline(pubsubEvent(json(featureBaseline({ modelVersion: 'v3.2' }))));
    await featureMonitor(
      pubsubEvent(json({ ...countedFeatureBatch(batch(), binnings()), modelVersion: 'v3.2' })),
    );
    refusedAs('binning_mismatch', 'features.artist_followers.binCounts.binning');
  });

  test('refuses counts of the right binning but the wrong length as invalid_message at binCounts.counts', async () => {
    const counted = countedFeatureBatch(batch(), binnings());
    const followers = (counted.features as Record<string, { binCounts: { counts: number[] } }>)
      .artist_followers!;
    followers.binCounts.counts = [
      ...followers.binCounts.counts.slice(0, -2),
      followers.binCounts.counts.at(-1)! + followers.binCounts.counts.at(-2)!,
    ];
    await featureMonitor(pubsubEvent(json(counted)));
    assertAcknowledgedRefusal(
      harness.logs,
      harness.runtime.monitoring.requests(),
      'features.artist_followers.binCounts.counts',
    );
  });

  test('refuses binned windows of a feature registered before binned windows existed', async () => {
    const stored = (await harness.runtime.featureBaselines.get('promo-lift', 'v3.1'))!;
    await harness.runtime.featureBaselines.put({
      ...stored,
      features: stored.features.map(({ name, summary }) => ({ name, summary })),
      publishedAt: new Date(stored.publishedAt.getTime() + 1000),
      messageId: 'legacy',
    });
    await featureMonitor(pubsubEvent(json(countedFeatureBatch(batch(), binnings()))));
    refusedAs('binning_mismatch', 'features.artist_followers.binCounts.binning');
    assert.match(String(harness.logs.at(-1)!.message), /registered before binned windows/);
  });
});

describe('featureMonitor on a wider baseline: top-5 importance and importance-weighted drift', () => {
  const rows = 1000;
  const names = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'];
  /** Uniform values; `skewed` squares them (same range, another distribution); every `missingEvery`-th null. */
  const column = (seed: number, skewed = false, missingEvery = 0) => ({
    kind: 'numeric',
    values: lcgValues(rows, seed, (u) => (skewed ? u * u : u)).map((value, i) =>
      missingEvery > 0 && i % missingEvery === 0 ? null : value,
    ),
  });
  const wideBaseline = {
    schemaVersion: 1,
    model: 'wide',
    modelVersion: 'v1',
    features: Object.fromEntries(
      names.map((name, i) => [name, { ...column(10 + i), ...(i < 6 ? { importance: 7 - i } : {}) }]),
    ),
  };
  // f1 (top) and f7 (no importance) drift; f2 (top) and f6 (6th by importance) lose 50% of their values.
  const wideBatch = {
    ...featureBatch({ windowEnd, model: 'wide', modelVersion: 'v1' }),
    features: {
      f1: column(21, true),
      f2: column(22, false, 2),
      f3: column(23),
      f4: column(24),
      f5: column(25),
      f6: column(26, false, 2),
      f7: column(27, true),
    },
  };

  test('counts the drifting and broken features among the 5 most important, and weighs JS by importance', async () => {
    await registerFeatureBaseline(pubsubEvent(json(wideBaseline)));
    await featureMonitor(pubsubEvent(json(wideBatch)));
    const points = written();
    assert.equal(points.get('features/drifted'), 2);
    assert.equal(points.get('features/top_drifted'), 1);
    assert.equal(points.get('features/quality_broken'), 2);
    assert.equal(points.get('features/top_quality_broken'), 1);
    const importance = [7, 6, 5, 4, 3, 2];
    const js = names.slice(0, 6).map((name) => points.get(`feature/js_distance{${name}}`)!);
    const weighted = js.reduce((sum, value, i) => sum + importance[i]! * value, 0) / 27;
    assert.equal(points.get('features/importance_weighted_drift'), weighted);
    const ranking = (featureDriftLine().ranked as { name: string }[]).map((feature) => feature.name);
    assert.deepEqual(ranking.slice(0, 4).sort(), ['f1', 'f2', 'f6', 'f7'], 'drifting and broken first');
    const score = (name: string) => points.get(`feature/psi{${name}}`)! * (8 - Number(name.slice(1)));
    assert.deepEqual(
      ranking.slice(4),
      ['f3', 'f4', 'f5'].sort((a, b) => score(b) - score(a)),
      'then by importance x PSI',
    );
  });

  test('writes no importance-weighted drift when no feature has an importance', async () => {
    const plain = structuredClone(wideBaseline);
    for (const feature of Object.values(plain.features))
      delete (feature as { importance?: number }).importance;
    await registerFeatureBaseline(pubsubEvent(json(plain)));
    await featureMonitor(pubsubEvent(json(wideBatch)));
    const points = written();
    assert.equal(points.has('features/importance_weighted_drift'), false);
    assert.equal(points.get('features/top_drifted'), 0);
    assert.equal(points.get('features/top_quality_broken'), 0);
    assert.equal(points.get('features/drifted'), 2);
  });
});

describe('registerFeatureBaseline', () => {
  test('stores every feature summary with its importance and logs the registration', async () => {
    await registerFeatureBaseline(pubsubEvent(json(featureBaseline())));
    const stored = harness.runtime.featureBaselines.baselines.get('promo-lift@v3.1')!;
    assert.deepEqual(
      stored.features.map((feature) => [feature.name, feature.summary.kind, feature.summary.importance]),
      [
        ['artist_followers', 'numeric', 0.42],
        ['track_age_days', 'numeric', undefined],
        ['device', 'categorical', 0.1],
        ['market_tier', 'categorical', undefined],
        ['genre', 'categorical', undefined],
      ],
    );
    const line = harness.logs.at(-1)!;
    assert.equal(line.event, 'feature_baseline_registered');
    assert.equal(line.features, 5);
    assert.equal(line.rows, 400);
  });

  test('keeps the newer registration when an older one is redelivered late, logging it as stale', async () => {
    await registerFeatureBaseline(pubsubEvent(json(featureBaseline())));
    const older = withoutFeature(featureBaseline(), 'genre');
    await registerFeatureBaseline(
      pubsubEvent(json(older), { publishTime: new Date('2020-01-01T00:00:00Z') }),
    );
    assert.equal(harness.runtime.featureBaselines.baselines.get('promo-lift@v3.1')!.features.length, 5);
    assert.equal(harness.logs.at(-1)?.event, 'feature_baseline_stale');
    assert.equal(harness.logs.at(-1)?.severity, 'WARNING');
  });

  test('throws on a store outage so Pub/Sub redelivers', async () => {
    harness.runtime.featureBaselines.failNext = 1;
    await assert.rejects(registerFeatureBaseline(pubsubEvent(json(featureBaseline()))), /UNAVAILABLE/);
    assert.equal(harness.logs.at(-1)?.acknowledged, false);
  });

  for (const { name, data, field } of invalidFeatureBaselineMessages) {
    test(`refuses ${name}, naming ${field}, and stores nothing`, async () => {
      await registerFeatureBaseline(pubsubEvent(data));
      assertAcknowledgedRefusal(harness.logs, 0, field);
      assert.equal(harness.runtime.featureBaselines.baselines.size, 0);
    });
  }
});
