import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { oneLine } from '../../cli/liftwatch.js';
import {
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
} from '../../shared/contracts/index.js';
import { summarizeFeature } from '../../shared/stats/features/featureSummary.js';
import { computeFeatureStatistics } from '../../shared/stats/features/suite.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { featureBaseline, featureBatch, withColumn } from '../support/featureMessages.js';
import {
  invalidFeatureBaselineMessages,
  invalidFeatureBatchMessages,
} from '../support/invalidFeatureMessages.js';
import { json } from '../support/messages.js';

const folder = messageFolder();
after(() => folder.cleanup());
const baselineFile = folder.file(featureBaseline());

async function features(batch: object, ...options: string[]) {
  const result = await liftwatch(
    'features',
    '--baseline',
    baselineFile,
    '--batch',
    folder.file(batch),
    ...options,
  );
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as {
    features: Record<string, unknown>[];
    ranking: string[];
    drifted: number;
    qualityBroken: number;
  };
}

describe('liftwatch features', () => {
  test('prints every feature with the suite statistics of its kind, in the issue order of fields', async () => {
    const printed = await features(featureBatch());
    const reference = decodeFeatureColumns(
      decodeMessage(FeatureBaseline, json(featureBaseline())),
      MAX_BASELINE_VALUES,
    );
    const current = decodeFeatureColumns(decodeMessage(FeatureBatch, json(featureBatch())), MAX_BATCH_VALUES);
    assert.deepEqual(Object.keys(printed), ['features', 'ranking', 'drifted', 'qualityBroken']);
    assert.deepEqual(
      printed.features.map((feature) => feature.name),
      ['artist_followers', 'track_age_days', 'device', 'market_tier', 'genre'],
    );
    for (const feature of printed.features) {
      const statistics = computeFeatureStatistics(
        summarizeFeature(reference.find((item) => item.name === feature.name)!.column),
        current.find((item) => item.name === feature.name)!.column,
      ) as unknown as Record<string, unknown>;
      const kindKeys =
        statistics.kind === 'numeric'
          ? [
              'psi',
              'psiNull99',
              'jsDistance',
              'ksStatistic',
              'ksPValue',
              'wassersteinNormed',
              'outOfRangeShare',
            ]
          : ['psi', 'psiNull99', 'jsDistance', 'lInfinity', 'chiSquarePValue', 'unseenShare'];
      const keys = [
        'n',
        'nReference',
        'missingShare',
        'missingShareReference',
        'missingShareDiffLower',
        'missingShareDiffUpper',
        ...kindKeys,
      ];
      assert.deepEqual(Object.keys(feature), ['name', 'kind', ...keys, 'drifting', 'qualityBroken']);
      for (const key of keys) assert.equal(feature[key], statistics[key], `${feature.name}.${key}`);
      assert.equal(feature.drifting, false);
      assert.equal(feature.qualityBroken, false);
    }
    assert.equal(printed.drifted, 0);
    assert.equal(printed.qualityBroken, 0);
    assert.equal(printed.ranking.length, 5);
  });

  test('a feature the batch omits is absent, broken, without statistics, and ranked first', async () => {
    const message = featureBatch();
    const { genre: _, ...rest } = message.features as Record<string, unknown>;
    const printed = await features({ ...message, features: rest });
    assert.deepEqual(printed.features.at(-1), {
      name: 'genre',
      kind: 'categorical',
      absent: true,
      drifting: false,
      qualityBroken: true,
    });
    assert.equal(printed.ranking[0], 'genre');
    assert.equal(printed.qualityBroken, 1);
  });

  test('applies the function default minimum sample, and --min-sample changes it', async () => {
    const defaults = await features(featureBatch(), '--min-sample', '200');
    assert.ok(defaults.features.every((feature) => feature.withheld === true && feature.psi === undefined));
    const all = await features(featureBatch(), '--min-sample', '0');
    assert.ok(all.features.every((feature) => feature.withheld === undefined && feature.psi !== undefined));
    const bad = await liftwatch(
      'features',
      '--baseline',
      baselineFile,
      '--batch',
      baselineFile,
      '--min-sample',
      'x',
    );
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--min-sample must be a whole number/);
  });

  test('refuses a feature the baseline lacks and a kind mismatch as the function does, exit 65', async () => {
    for (const [column, field] of [
      [
        { name: 'playlist_reach', column: { kind: 'numeric', values: new Array(120).fill(1) } },
        'features.playlist_reach',
      ],
      [
        { name: 'device', column: { kind: 'numeric', values: new Array(120).fill(1) } },
        'features.device.kind',
      ],
    ] as const) {
      const file = folder.file(withColumn(featureBatch(), column.name, column.column));
      const result = await liftwatch('features', '--baseline', baselineFile, '--batch', file);
      assert.equal(result.code, 65);
      assert.ok(result.stderr.startsWith(`liftwatch features: ${file}: ${field}: `), result.stderr);
    }
  });

  test('a missing argument exits 64', async () => {
    const result = await liftwatch('features', '--batch', baselineFile);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /features needs --baseline FILE and --batch FILE/);
  });

  for (const { name, data, field } of invalidFeatureBatchMessages.filter(
    (item) => item.data.length < 1_000_000,
  )) {
    test(`refuses a batch with ${name} on one stderr line naming ${field}, exit 65`, async () => {
      const file = folder.file(data);
      const result = await liftwatch('features', '--baseline', baselineFile, '--batch', file);
      assert.equal(result.code, 65);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(
        lines[0]!.startsWith(`liftwatch features: ${file}: `) && lines[0]!.includes(`${oneLine(field)}: `),
        lines[0],
      );
    });
  }

  for (const { name, data, field } of invalidFeatureBaselineMessages.filter(
    (item) => item.data.length < 1_000_000,
  )) {
    test(`refuses a baseline with ${name}, naming its file and ${field}, exit 65`, async () => {
      const file = folder.file(data);
      const result = await liftwatch('features', '--baseline', file, '--batch', folder.file(featureBatch()));
      assert.equal(result.code, 65);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.ok(
        result.stderr.startsWith(`liftwatch features: ${file}: `) &&
          result.stderr.includes(`${oneLine(field)}: `),
        result.stderr,
      );
    });
  }
});
