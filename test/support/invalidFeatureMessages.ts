/**
 * The malformed FeatureBatch and FeatureBaseline messages every layer must refuse (contracts, functions, CLI),
 * with the field each refusal must name. Shared so that each layer is tested against the same list; decode
 * them as the functions do: decodeFeatureColumns(decodeMessage(FeatureBatch, data), MAX_BATCH_VALUES).
 */
import { featureBaseline, featureBatch, float32Bits, uint16Base64, withColumn } from './featureMessages.js';
import type { InvalidCase } from './invalidPredictionMessages.js';
import { json, without } from './messages.js';

type Message = Record<string, unknown>;

/** The message's JSON text with `"marker"` replaced by raw text JSON.stringify cannot write (NaN, 1e999). */
function raw(message: Message, marker: string, text: string): Buffer {
  return Buffer.from(JSON.stringify(message).replace(`"${marker}"`, text));
}

function rowsOf(message: Message): number {
  return (message.features as Record<string, { values: unknown[] }>).artist_followers!.values.length;
}

/** `count` features of one codesU16 column of `rows` rows each (all code 0): the most compact large message. */
function wideFeatures(count: number, rows: number): Record<string, unknown> {
  const column = {
    kind: 'categorical',
    categories: ['a'],
    codesU16: Buffer.alloc(rows * 2).toString('base64'),
  };
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`feature_${i}`, column]));
}

/** The column-level refusals, the same for a batch and a baseline built by `valid`. */
function columnCases(valid: () => Message): InvalidCase[] {
  const rows = rowsOf(valid());
  const numeric = (column: Message) => json(withColumn(valid(), 'artist_followers', column));
  const categorical = (column: Message) => json(withColumn(valid(), 'device', column));
  const genre = (codes: number[]) =>
    json(
      withColumn(valid(), 'genre', {
        kind: 'categorical',
        categories: ['pop', 'rock', 'hip-hop', 'jazz'],
        codesU16: uint16Base64(codes),
      }),
    );
  const trackAge = (valuesF32: string) =>
    json(withColumn(valid(), 'track_age_days', { kind: 'numeric', valuesF32 }));
  const zeros = (count: number) => new Array<number>(count).fill(0);
  return [
    {
      name: 'invalid JSON',
      data: Buffer.from('{"schemaVersion": 1, "features": {'),
      field: 'data',
      reason: /not valid JSON/,
    },
    { name: 'empty data', data: Buffer.alloc(0), field: 'data', reason: /empty/ },
    {
      name: 'NaN in a JSON values array (not JSON: json.dumps writes it unless allow_nan=False)',
      data: raw(
        withColumn(valid(), 'artist_followers', { kind: 'numeric', values: ['NAN', ...zeros(rows - 1)] }),
        'NAN',
        'NaN',
      ),
      field: 'data',
      reason: /not valid JSON/,
    },
    {
      name: 'Infinity in a JSON values array (not JSON)',
      data: raw(
        withColumn(valid(), 'artist_followers', { kind: 'numeric', values: ['INF', ...zeros(rows - 1)] }),
        'INF',
        'Infinity',
      ),
      field: 'data',
      reason: /not valid JSON/,
    },
    {
      name: 'an overflowing number (1e999 parses to Infinity)',
      data: raw(
        withColumn(valid(), 'artist_followers', { kind: 'numeric', values: [0, 'INF', ...zeros(rows - 2)] }),
        'INF',
        '1e999',
      ),
      field: 'features.artist_followers.values[1]',
      reason: /finite number within ±1000000000, or null/,
    },
    {
      name: 'a features field that is an array',
      data: json({ ...valid(), features: [1] }),
      field: 'features',
      reason: /expected record|expected object/,
    },
    {
      name: 'no features',
      data: json({ ...valid(), features: {} }),
      field: 'features',
      reason: /at least one feature/,
    },
    {
      name: 'a message without features',
      data: json(without(valid(), 'features')),
      field: 'features',
      reason: /expected record|expected object/,
    },
    {
      name: 'more than 100 features',
      data: json({ ...valid(), features: wideFeatures(101, 1) }),
      field: 'features',
      reason: /carries 101 features, more than 100/,
    },
    ...['Device', 'device-type', '1st_device', 'dévice', `d${'a'.repeat(63)}`, 'device\n', ''].map(
      (name) => ({
        name: `a feature name ${JSON.stringify(name).slice(0, 20)} that does not match ^[a-z][a-z0-9_]{0,62}$`,
        data: json(withColumn(valid(), name, { kind: 'numeric', values: zeros(rows) })),
        field: `features.${name}`,
        reason: /feature names must match/,
      }),
    ),
    {
      name: 'a feature named __proto__ (zod would drop it silently)',
      data: Buffer.from(JSON.stringify(valid()).replace('"device":', '"__proto__":')),
      field: 'features.__proto__',
      reason: /feature names must match/,
    },
    {
      name: 'an unknown kind',
      data: categorical({ kind: 'text', values: zeros(rows).map(() => 'ios') }),
      field: 'features.device.kind',
      reason: /must be "numeric" or "categorical"/,
    },
    {
      name: 'a column without a kind',
      data: numeric({ values: zeros(rows) }),
      field: 'features.artist_followers.kind',
      reason: /must be "numeric" or "categorical"/,
    },
    {
      name: 'a numeric column of strings',
      data: numeric({ kind: 'numeric', values: ['12', ...zeros(rows - 1)] }),
      field: 'features.artist_followers.values[0]',
      reason: /finite number/,
    },
    {
      name: 'NaN spelled as a string',
      data: numeric({ kind: 'numeric', values: [0, 'NaN', ...zeros(rows - 2)] }),
      field: 'features.artist_followers.values[1]',
      reason: /finite number/,
    },
    {
      name: 'a numeric value beyond ±1e9',
      data: numeric({ kind: 'numeric', values: [0, 0, 2e9, ...zeros(rows - 3)] }),
      field: 'features.artist_followers.values[2]',
      reason: /within ±1000000000/,
    },
    {
      name: 'fifty strings in a numeric column, of which only the first ten are named',
      data: numeric({ kind: 'numeric', values: [...new Array(50).fill('x'), ...zeros(rows - 50)] }),
      field: 'features.artist_followers.values',
      reason: /has 50 invalid values .*the first 10 are listed/,
    },
    {
      name: 'an empty values array',
      data: numeric({ kind: 'numeric', values: [] }),
      field: 'features.artist_followers.values',
      reason: /must not be empty/,
    },
    {
      name: 'a numeric column with both values and valuesF32',
      data: numeric({ kind: 'numeric', values: zeros(rows), valuesF32: float32Bits(zeros(rows)) }),
      field: 'features.artist_followers.values',
      reason: /either values or valuesF32, not both|only one of values, valuesF32 or binCounts/,
    },
    {
      name: 'a numeric column with neither values nor valuesF32',
      data: numeric({ kind: 'numeric' }),
      field: 'features.artist_followers.values',
      reason: /one of values(, valuesF32)? or (valuesF32|binCounts) is required/,
    },
    {
      name: 'a numeric column with categories (a kind mix-up)',
      data: numeric({ kind: 'numeric', values: zeros(rows), categories: ['a'] }),
      field: 'features.artist_followers.categories',
      reason: /not a field/,
    },
    {
      name: 'a misspelt encoding (valuesf32)',
      data: json(
        withColumn(valid(), 'track_age_days', { kind: 'numeric', valuesf32: float32Bits(zeros(rows)) }),
      ),
      field: 'features.track_age_days.valuesf32',
      reason: /not a field/,
    },
    {
      name: 'valuesF32 that is not a whole number of float32s',
      data: trackAge(Buffer.alloc(rows * 4 + 2).toString('base64')),
      field: 'features.track_age_days.valuesF32',
      reason: /not a whole number of float32/,
    },
    {
      name: 'valuesF32 that decodes to nothing',
      data: trackAge('A'),
      field: 'features.track_age_days.valuesF32',
      reason: /must not be empty/,
    },
    {
      name: 'valuesF32 that is not base64',
      data: trackAge('!!!!'),
      field: 'features.track_age_days.valuesF32',
      reason: /standard base64/,
    },
    {
      name: 'valuesF32 with an infinite float32 (NaN is missing, Infinity is refused)',
      data: trackAge(float32Bits([0, 0x7fc00000, 0x7f800000, ...zeros(rows - 3)])),
      field: 'features.track_age_days.valuesF32[2]',
      reason: /is Infinity, not a finite number/,
    },
    {
      name: 'valuesF32 with -Infinity',
      data: trackAge(float32Bits([0xff800000, ...zeros(rows - 1)])),
      field: 'features.track_age_days.valuesF32[0]',
      reason: /is -Infinity, not a finite number/,
    },
    {
      name: 'a float32 value beyond ±1e9',
      data: trackAge(float32Bits([0, 0x4f800000 /* 2^32 */, ...zeros(rows - 2)])),
      field: 'features.track_age_days.valuesF32[1]',
      reason: /beyond ±1000000000/,
    },
    {
      name: 'a category string with a space',
      data: categorical({
        kind: 'categorical',
        values: ['ios', 'ios 17', ...new Array(rows - 2).fill('web')],
      }),
      field: 'features.device.values[1]',
      reason: /must be a string matching/,
    },
    {
      name: 'a category string of 129 characters',
      data: categorical({
        kind: 'categorical',
        values: ['x'.repeat(129), ...new Array(rows - 1).fill('web')],
      }),
      field: 'features.device.values[0]',
      reason: /must be a string matching/,
    },
    {
      name: 'a number in a categorical values array',
      data: categorical({ kind: 'categorical', values: [3, ...new Array(rows - 1).fill('web')] }),
      field: 'features.device.values[0]',
      reason: /must be a string matching/,
    },
    {
      name: 'empty categories',
      data: categorical({ kind: 'categorical', categories: [], codes: zeros(rows) }),
      field: 'features.device.categories',
      reason: /must not be empty/,
    },
    {
      name: 'duplicate categories',
      data: categorical({ kind: 'categorical', categories: ['ios', 'web', 'ios'], codes: zeros(rows) }),
      field: 'features.device.categories[2]',
      reason: /duplicates categories\[0\] "ios"/,
    },
    {
      name: 'a category with a quote',
      data: categorical({ kind: 'categorical', categories: ['ios', 'we"b'], codes: zeros(rows) }),
      field: 'features.device.categories[1]',
      reason: /must be a string matching/,
    },
    {
      name: 'a JSON code beyond the categories',
      data: categorical({
        kind: 'categorical',
        categories: ['ios', 'web', 'android'],
        codes: [0, 3, ...zeros(rows - 2)],
      }),
      field: 'features.device.codes[1]',
      reason: /is 3, but categories has 3 entries \(codes 0 to 2, -1 = missing\)/,
    },
    {
      name: 'a JSON code below -1',
      data: categorical({ kind: 'categorical', categories: ['ios'], codes: [0, -2, ...zeros(rows - 2)] }),
      field: 'features.device.codes[1]',
      reason: /whole number from -1 \(missing\) to 65534/,
    },
    {
      name: 'a fractional JSON code',
      data: categorical({
        kind: 'categorical',
        categories: ['ios', 'web'],
        codes: [0.5, ...zeros(rows - 1)],
      }),
      field: 'features.device.codes[0]',
      reason: /whole number/,
    },
    {
      name: 'a codesU16 code beyond the categories',
      data: genre([0, 1, 2, 4, ...zeros(rows - 4)]),
      field: 'features.genre.codesU16[3]',
      reason: /is 4, but categories has 4 entries \(codes 0 to 3, 65535 = missing\)/,
    },
    {
      name: 'codesU16 that is not a whole number of uint16s',
      data: json(
        withColumn(valid(), 'genre', {
          kind: 'categorical',
          categories: ['pop'],
          codesU16: Buffer.alloc(rows * 2 + 1).toString('base64'),
        }),
      ),
      field: 'features.genre.codesU16',
      reason: /not a whole number of uint16/,
    },
    {
      name: 'codesU16 that decodes to nothing',
      data: json(withColumn(valid(), 'genre', { kind: 'categorical', categories: ['pop'], codesU16: 'A=' })),
      field: 'features.genre.codesU16',
      reason: /must not be empty/,
    },
    {
      name: 'a categorical column with values and codes',
      data: categorical({
        kind: 'categorical',
        values: new Array(rows).fill('ios'),
        codes: zeros(rows),
        categories: ['ios'],
      }),
      field: 'features.device.values',
      reason: /one of values, codes(, codesU16)? or (codesU16|counts), not values and codes/,
    },
    {
      name: 'a categorical column with codes and codesU16',
      data: categorical({
        kind: 'categorical',
        categories: ['ios'],
        codes: zeros(rows),
        codesU16: uint16Base64(zeros(rows)),
      }),
      field: 'features.device.codes',
      reason: /not codes and codesU16/,
    },
    {
      name: 'a categorical column with no encoding',
      data: categorical({ kind: 'categorical', categories: ['ios'] }),
      field: 'features.device.values',
      reason: /one of values, codes(, codesU16)? or (codesU16|counts) is required/,
    },
    {
      name: 'categories with values',
      data: categorical({ kind: 'categorical', values: new Array(rows).fill('ios'), categories: ['ios'] }),
      field: 'features.device.categories',
      reason: /goes with codes or codesU16, not with values/,
    },
    {
      name: 'codes without categories',
      data: categorical({ kind: 'categorical', codes: zeros(rows) }),
      field: 'features.device.categories',
      reason: /is required with codes/,
    },
    {
      name: 'codesU16 without categories',
      data: categorical({ kind: 'categorical', codesU16: uint16Base64(zeros(rows)) }),
      field: 'features.device.categories',
      reason: /is required with codesU16/,
    },
    {
      name: 'a JSON column one row short',
      data: categorical({ kind: 'categorical', values: new Array(rows - 1).fill('ios') }),
      field: 'features.device',
      reason: new RegExp(`has ${rows - 1} rows, but features.artist_followers has ${rows}`),
    },
    {
      name: 'a float32 column one row long',
      data: trackAge(float32Bits(zeros(rows + 1))),
      field: 'features.track_age_days',
      reason: new RegExp(`has ${rows + 1} rows, but features.artist_followers has ${rows}`),
    },
    {
      name: 'a message over the 10 MB message limit',
      data: json({ ...valid(), features: wideFeatures(2, 1_900_000) }),
      field: 'data',
      reason: /over the 10000000-byte limit/,
    },
  ];
}

/** A FeatureBatch's counted columns (binCounts, counts) refused by the contract, before any baseline is read. */
function countedCases(): InvalidCase[] {
  const numeric = (column: Message) => json(withColumn(featureBatch(), 'artist_followers', column));
  const categorical = (column: Message) => json(withColumn(featureBatch(), 'device', column));
  const binning = '0123456789abcdef';
  const counts = [20, 50, 30, 0];
  return [
    {
      name: 'binCounts without missing',
      data: numeric({ kind: 'numeric', binCounts: { binning, counts } }),
      field: 'features.artist_followers.missing',
      reason: /is required with binCounts: the count of missing/,
    },
    {
      name: 'missing beside values',
      data: numeric({ kind: 'numeric', values: new Array(120).fill(1), missing: 0 }),
      field: 'features.artist_followers.missing',
      reason: /goes with binCounts, not with values/,
    },
    {
      name: 'binCounts beside values',
      data: numeric({
        kind: 'numeric',
        values: new Array(120).fill(1),
        binCounts: { binning, counts },
        missing: 20,
      }),
      field: 'features.artist_followers.values',
      reason: /carry only one of values, valuesF32 or binCounts/,
    },
    {
      name: 'a negative bin count',
      data: numeric({ kind: 'numeric', binCounts: { binning, counts: [20, 50, -1, 51] }, missing: 0 }),
      field: 'features.artist_followers.binCounts.counts[2]',
      reason: /must be a non-negative integer count/,
    },
    {
      name: 'a binning that is not a fingerprint',
      data: numeric({ kind: 'numeric', binCounts: { binning: 'deciles', counts }, missing: 20 }),
      field: 'features.artist_followers.binCounts.binning',
      reason: /16 lowercase hex digits/,
    },
    {
      name: 'binCounts of no value and no missing value',
      data: json({
        ...featureBatch(),
        features: {
          artist_followers: { kind: 'numeric', binCounts: { binning, counts: [0, 0] }, missing: 0 },
        },
      }),
      field: 'features.artist_followers.missing',
      reason: /is 0 and binCounts count no value: a column has at least one row/,
    },
    {
      name: 'a fractional missing count',
      data: numeric({ kind: 'numeric', binCounts: { binning, counts }, missing: 19.5 }),
      field: 'features.artist_followers.missing',
      reason: /must be a non-negative integer count/,
    },
    {
      name: 'binCounts standing for other rows than the other columns',
      data: numeric({ kind: 'numeric', binCounts: { binning, counts }, missing: 19 }),
      field: 'features.track_age_days',
      reason: /has 120 rows, but features\.artist_followers has 119/,
    },
    {
      name: 'counts beside categories',
      data: categorical({ kind: 'categorical', categories: ['ios'], counts: { ios: 120 }, missing: 0 }),
      field: 'features.device.categories',
      reason: /goes with codes or codesU16, not with counts/,
    },
    {
      name: 'counts without missing',
      data: categorical({ kind: 'categorical', counts: { ios: 120 } }),
      field: 'features.device.missing',
      reason: /is required with counts/,
    },
    {
      name: 'a category count that is not a whole number',
      data: categorical({ kind: 'categorical', counts: { ios: 60.5, web: 59.5 }, missing: 0 }),
      field: 'features.device.counts.ios',
      reason: /must be a non-negative integer count/,
    },
    {
      name: 'a counted category name outside the category rule',
      data: categorical({ kind: 'categorical', counts: { 'smart tv': 120 }, missing: 0 }),
      field: 'features.device.counts.smart tv',
      reason: /category names must match/,
    },
    {
      name: 'counts that are not an object',
      data: categorical({ kind: 'categorical', counts: [['ios', 120]], missing: 0 }),
      field: 'features.device.counts',
      reason: /must be an object of category: count/,
    },
    {
      name: 'more than 65,535 counted categories',
      data: categorical({
        kind: 'categorical',
        counts: Object.fromEntries(Array.from({ length: 65_536 }, (_, i) => [`c${i}`, i < 120 ? 1 : 0])),
        missing: 0,
      }),
      field: 'features.device.counts',
      reason: /carries 65536 categories, more than 65535/,
    },
    {
      name: 'counts of more than 2^53 - 1 rows',
      data: json({
        ...featureBatch(),
        features: { device: { kind: 'categorical', counts: { ios: Number.MAX_SAFE_INTEGER }, missing: 1 } },
      }),
      field: 'features.device.counts',
      reason: /with missing counts more than 2\^53 - 1 rows in total/,
    },
  ];
}

export const invalidFeatureBatchMessages: InvalidCase[] = [
  ...columnCases(featureBatch),
  ...countedCases(),
  {
    name: 'an importance in a batch (it belongs to the baseline)',
    data: json(
      withColumn(featureBatch(), 'artist_followers', {
        kind: 'numeric',
        values: new Array(120).fill(1),
        importance: 0.3,
      }),
    ),
    field: 'features.artist_followers.importance',
    reason: /not a field/,
  },
  {
    name: 'a batch of more than 1,000,000 values (2 features x 500,001 rows)',
    data: json({ ...featureBatch(), features: wideFeatures(2, 500_001) }),
    field: 'features',
    reason: /carries 2 features x 500001 rows = 1000002 values, more than 1000000/,
  },
  {
    name: 'a batch column of more than 1,000,000 values',
    data: json({
      ...featureBatch(),
      features: { one: { kind: 'numeric', values: new Array(1_000_001).fill(0) } },
    }),
    field: 'features.one.values',
    reason: /more than 1000000 values/,
  },
  {
    name: 'a float32 batch column of more than 1,000,000 values',
    data: json({
      ...featureBatch(),
      features: { one: { kind: 'numeric', valuesF32: Buffer.alloc(4_000_004).toString('base64') } },
    }),
    field: 'features.one.valuesF32',
    reason: /more than 1000000 values/,
  },
  {
    name: 'a batch without a windowEnd',
    data: json(without(featureBatch(), 'windowEnd')),
    field: 'windowEnd',
    reason: /RFC 3339/,
  },
];

export const invalidFeatureBaselineMessages: InvalidCase[] = [
  ...columnCases(featureBaseline),
  ...[-0.1, '0.3', null, true].map((importance) => ({
    name: `an importance of ${JSON.stringify(importance)}`,
    data: json(
      withColumn(featureBaseline(), 'device', {
        kind: 'categorical',
        values: new Array(400).fill('ios'),
        importance,
      }),
    ),
    field: 'features.device.importance',
    reason: /must be a number from 0 to 1000000000/,
  })),
  {
    name: 'an infinite importance (1e999)',
    data: raw(
      withColumn(featureBaseline(), 'device', {
        kind: 'categorical',
        values: new Array(400).fill('ios'),
        importance: 'INF',
      }),
      'INF',
      '1e999',
    ),
    field: 'features.device.importance',
    reason: /must be a number from 0 to 1000000000/,
  },
  {
    name: 'a baseline with a segment (a baseline belongs to a whole model version)',
    data: json(featureBaseline({ segment: { market: 'se' } })),
    field: 'segment',
    reason: /not a field/,
  },
  {
    name: 'a baseline of more than 1,750,000 values (2 features x 875,001 rows)',
    data: json(featureBaseline({ features: wideFeatures(2, 875_001) })),
    field: 'features',
    reason: /carries 2 features x 875001 rows = 1750002 values, more than 1750000/,
  },
];
