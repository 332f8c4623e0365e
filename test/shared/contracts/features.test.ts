import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  columnRows,
  decodeFeatureColumns,
  decodeMessage,
  FeatureBaseline,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  MAX_MESSAGE_BYTES,
} from '../../../shared/contracts/index.js';
import {
  featureBaseline,
  featureBatch,
  float32Bits,
  uint16Base64,
  valueColumns,
  withColumn,
} from '../../support/featureMessages.js';
import {
  invalidFeatureBaselineMessages,
  invalidFeatureBatchMessages,
} from '../../support/invalidFeatureMessages.js';
import { json } from '../../support/messages.js';
import { assertRefused } from '../../support/refusals.js';

const batchColumns = (data: Buffer | string) =>
  valueColumns(decodeFeatureColumns(decodeMessage(FeatureBatch, data), MAX_BATCH_VALUES));
const baselineColumns = (data: Buffer | string) =>
  decodeFeatureColumns(decodeMessage(FeatureBaseline, data), MAX_BASELINE_VALUES);

describe('FeatureBatch contract', () => {
  test('decodes every encoding to typed columns in the message key order', () => {
    const features = batchColumns(json(featureBatch()));
    assert.deepEqual(
      features.map(({ name, column }) => [name, column.kind]),
      [
        ['artist_followers', 'numeric'],
        ['track_age_days', 'numeric'],
        ['device', 'categorical'],
        ['market_tier', 'categorical'],
        ['genre', 'categorical'],
      ],
    );
    for (const { column } of features) {
      assert.equal(columnRows(column), 120);
    }
    const [followers, age, device, tier, genre] = features.map(({ column }) => column);
    assert.ok(followers?.kind === 'numeric' && age?.kind === 'numeric');
    assert.ok(Number.isNaN(followers.values[0]!) && followers.values[1] === 1000 + 7919);
    assert.ok(Number.isNaN(age.values[0]!) && age.values[1] === 37.5);
    assert.ok(
      device?.kind === 'categorical' && tier?.kind === 'categorical' && genre?.kind === 'categorical',
    );
    assert.equal(device.codes[0], -1);
    assert.deepEqual(device.categories, ['android', 'web', 'ios']);
    assert.deepEqual(tier.categories, ['tier1', 'tier2', 'tier3']);
    assert.deepEqual(Array.from(genre.codes.slice(0, 3)), [-1, 3, 2]);
  });

  test('a categorical values column becomes categories in order of first appearance and their codes', () => {
    const values = ['web', null, 'ios', 'web', '__proto__', 'constructor', 'ios'];
    const message = { ...featureBatch(), features: { device: { kind: 'categorical', values } } };
    const [device] = batchColumns(json(message));
    assert.deepEqual(device?.column, {
      kind: 'categorical',
      categories: ['web', 'ios', '__proto__', 'constructor'],
      codes: Int32Array.from([0, -1, 1, 0, 2, 3, 1]),
    });
  });

  test('valuesF32: every NaN bit pattern is a missing value, finite values are kept as float32', () => {
    const bits = [0x7fc00000, 0xffc00001, 0x7f800001, 0x3f800000, 0xc0490fdb];
    const message = { ...featureBatch(), features: { x: { kind: 'numeric', valuesF32: float32Bits(bits) } } };
    const [x] = batchColumns(json(message));
    assert.ok(x?.column.kind === 'numeric');
    assert.deepEqual(Array.from(x.column.values), [NaN, NaN, NaN, 1, Math.fround(-Math.PI)]);
  });

  test('codesU16: 65535 is a missing value, and unused categories are kept', () => {
    const message = {
      ...featureBatch(),
      features: {
        tier: { kind: 'categorical', categories: ['a', 'b', 'c'], codesU16: uint16Base64([2, -1, 0]) },
      },
    };
    const [tier] = batchColumns(json(message));
    assert.deepEqual(tier?.column, {
      kind: 'categorical',
      categories: ['a', 'b', 'c'],
      codes: Int32Array.from([2, -1, 0]),
    });
  });

  test('a feature named constructor is an ordinary feature, and no prototype is touched', () => {
    const text = JSON.stringify(featureBatch()).replace('"device":', '"constructor":');
    const message = decodeMessage(FeatureBatch, text);
    assert.equal(Object.getPrototypeOf(message.features), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(message.features, 'constructor')?.value.kind, 'categorical');
    assert.deepEqual(
      decodeFeatureColumns(message, MAX_BATCH_VALUES).map(({ name }) => name),
      ['artist_followers', 'track_age_days', 'constructor', 'market_tier', 'genre'],
    );
    assert.equal(({} as Record<string, unknown>).kind, undefined);
  });

  test('a batch carries no importance: the decoded features have none', () => {
    for (const feature of batchColumns(json(featureBatch()))) assert.ok(!('importance' in feature));
  });

  for (const invalid of invalidFeatureBatchMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () => {
      assertRefused(() => batchColumns(invalid.data), invalid);
    });
  }

  test('a million bad values make ten named issues and one count, not a million issues', () => {
    const message = {
      ...featureBatch(),
      features: { a: { kind: 'numeric', values: new Array(1_000_000).fill('x') } },
    };
    try {
      batchColumns(json(message));
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof Error && 'issues' in error);
      const issues = error.issues as { path: string; message: string }[];
      assert.equal(issues.length, 11);
      assert.deepEqual(issues[10], {
        path: 'features.a.values',
        message:
          'has 1000000 invalid values (each must be a finite number within ±1000000000, or null (missing)); the first 10 are listed',
      });
    }
  });
});

describe('FeatureBaseline contract', () => {
  test('keeps each feature importance, and none where the producer gave none', () => {
    const features = baselineColumns(json(featureBaseline()));
    assert.deepEqual(
      features.map(({ name, importance }) => [name, importance]),
      [
        ['artist_followers', 0.42],
        ['track_age_days', undefined],
        ['device', 0.1],
        ['market_tier', undefined],
        ['genre', undefined],
      ],
    );
    assert.ok(!('importance' in features[1]!));
  });

  test('an importance of 0 is accepted', () => {
    const message = withColumn(featureBaseline(), 'device', {
      kind: 'categorical',
      values: new Array(400).fill('ios'),
      importance: 0,
    });
    assert.equal(baselineColumns(json(message))[2]?.importance, 0);
  });

  for (const invalid of invalidFeatureBaselineMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () => {
      assertRefused(() => baselineColumns(invalid.data), invalid);
    });
  }
});

/** The most rows of `features` columns in each encoding that fit the cell limit and the 10 MB message limit. */
describe('the rows x features that fit in one message', () => {
  const encodings: Record<string, (rows: number) => Record<string, unknown>> = {
    valuesF32: (rows) => ({ kind: 'numeric', valuesF32: float32Bits(new Array(rows).fill(0x3f9e0652)) }),
    codesU16: (rows) => ({
      kind: 'categorical',
      categories: ['ios', 'web'],
      codesU16: uint16Base64(new Array(rows).fill(1)),
    }),
    codes: (rows) => ({ kind: 'categorical', categories: ['ios', 'web'], codes: new Array(rows).fill(1) }),
    'values (float32-rounded numbers such as 1.2345679)': (rows) => ({
      kind: 'numeric',
      values: new Array(rows).fill(1.2345679),
    }),
  };
  for (const [encoding, column] of Object.entries(encodings)) {
    test(`${encoding}: 100 features x 10,000 rows (batch), x 17,500 rows (baseline): accepted within 10 MB, else refused at the byte limit`, (t) => {
      for (const [schema, rows, max] of [
        [FeatureBatch, 10_000, MAX_BATCH_VALUES],
        [FeatureBaseline, 17_500, MAX_BASELINE_VALUES],
      ] as const) {
        const features = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, column(rows)]));
        const data = json({ ...(schema === FeatureBatch ? featureBatch() : featureBaseline()), features });
        t.diagnostic(`${schema === FeatureBatch ? 'batch' : 'baseline'}: ${data.length} bytes`);
        if (data.length > MAX_MESSAGE_BYTES) {
          assertRefused(() => decodeFeatureColumns(decodeMessage(schema, data), max), {
            field: 'data',
            reason: /byte limit/,
          });
        } else {
          assert.equal(decodeFeatureColumns(decodeMessage(schema, data), max).length, 100);
        }
      }
    });
  }
});

describe('a numpy producer', () => {
  const python = '/usr/bin/python3';
  /** The README's numpy example: the python block after its marker, run as it is printed there. */
  const readmeExample = () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = /<!-- numpy-feature-example -->\n```python\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, 'README carries the numpy feature example after its marker');
    return block[1]!;
  };
  test("the README's FeatureBatch encoded with numpy (float32 with NaN, categories + codesU16) decodes to its values", (t) => {
    const example = readmeExample();
    const numpy =
      existsSync(python) && spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
    if (!numpy) {
      t.skip('python3 with numpy is not installed (.ci/run installs python3-numpy)');
      return;
    }
    const run = spawnSync(python, ['-c', example], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [followers, device] = batchColumns(run.stdout);
    assert.ok(followers?.column.kind === 'numeric' && device?.column.kind === 'categorical');
    assert.deepEqual(Array.from(followers.column.values), [1200, NaN, 53000.5, 0]);
    assert.deepEqual(device.column.categories, ['android', 'ios', 'web']);
    assert.deepEqual(Array.from(device.column.codes), [1, 2, -1, 0]);
  });
});
