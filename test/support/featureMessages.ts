/**
 * Valid FeatureBaseline and FeatureBatch messages to start from in tests, and the compact column encodings as a
 * numpy producer writes them (little-endian bytes laid out with a DataView, independently of liftwatch's own
 * encoders): values.astype('<f4') with np.nan for missing, codes.astype('<u2') with 65535 for missing.
 */
import assert from 'node:assert/strict';
import {
  type CategoricalColumn,
  type DecodedColumn,
  type DecodedFeature,
  isCounted,
} from '../../shared/contracts/featureColumns.js';
import {
  decodeFeatureColumns,
  decodeMessage,
  FeatureBatch,
  MAX_BATCH_VALUES,
} from '../../shared/contracts/index.js';
import { predictionBatch, without } from './messages.js';

/** Base64 of little-endian float32s; null and NaN become NaN (numpy's missing value). */
export function float32Base64(values: readonly (number | null)[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((value, i) => {
    view.setFloat32(i * 4, value ?? Number.NaN, true);
  });
  return Buffer.from(view.buffer).toString('base64');
}

/** Base64 of little-endian uint16 codes; -1 (missing) becomes 65535. */
export function uint16Base64(codes: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(codes.length * 2));
  codes.forEach((code, i) => {
    view.setUint16(i * 2, code === -1 ? 65535 : code, true);
  });
  return Buffer.from(view.buffer).toString('base64');
}

/** Base64 of raw little-endian float32 bit patterns (NaN payloads, infinities). */
export function float32Bits(bits: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(bits.length * 4));
  bits.forEach((word, i) => {
    view.setUint32(i * 4, word, true);
  });
  return Buffer.from(view.buffer).toString('base64');
}

export const DEVICES = ['ios', 'android', 'web'] as const;
export const MARKET_TIERS = ['tier1', 'tier2', 'tier3'] as const;

/** `rows` deterministic rows of five features, one column in each encoding (two numeric, three categorical). */
export function featureColumns(rows = 120): Record<string, Record<string, unknown>> {
  const followers = Array.from({ length: rows }, (_, i) =>
    i % 17 === 0 ? null : 1000 + ((i * 7919) % 50_000),
  );
  const trackAge = Array.from({ length: rows }, (_, i) => (i % 23 === 0 ? null : ((i * 37) % 365) + 0.5));
  const device = Array.from({ length: rows }, (_, i) => (i % 29 === 0 ? null : DEVICES[(i * 7) % 3]!));
  const tier = Array.from({ length: rows }, (_, i) => (i % 31 === 0 ? -1 : (i * 5) % 3));
  const genre = Array.from({ length: rows }, (_, i) => (i % 13 === 0 ? -1 : (i * 3) % 4));
  return {
    artist_followers: { kind: 'numeric', values: followers },
    track_age_days: { kind: 'numeric', valuesF32: float32Base64(trackAge) },
    device: { kind: 'categorical', values: device },
    market_tier: { kind: 'categorical', categories: [...MARKET_TIERS], codes: tier },
    genre: {
      kind: 'categorical',
      categories: ['pop', 'rock', 'hip-hop', 'jazz'],
      codesU16: uint16Base64(genre),
    },
  };
}

export function featureBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...without(predictionBatch(), 'predictions'), features: featureColumns(), ...overrides };
}

export function featureBaseline(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const features = featureColumns(400);
  features.artist_followers!.importance = 0.42;
  features.device!.importance = 0.1;
  return { schemaVersion: 1, model: 'promo-lift', modelVersion: 'v3.1', features, ...overrides };
}

/** The message with one feature's column replaced (or with fields of it overridden). */
export function withColumn(
  message: Record<string, unknown>,
  name: string,
  column: Record<string, unknown>,
): Record<string, unknown> {
  return { ...message, features: { ...(message.features as Record<string, unknown>), [name]: column } };
}

/** A FeatureBatch's decoded columns, asserted to carry values (not binCounts or counts), typed as such. */
export function valueColumns(features: readonly DecodedFeature[]): DecodedFeature<DecodedColumn>[] {
  for (const { name, column } of features)
    assert.ok(!isCounted(column), `${name} carries values, not counts`);
  return features as DecodedFeature<DecodedColumn>[];
}

/** A feature's binning as `liftwatch bins` prints it for a FeatureBaseline. */
export type PrintedFeatureBinning =
  | { binning: string; edges: number[] }
  | { binning: string; categories: string[] };

/**
 * The batch with every column pre-aggregated as a pipeline would send it: numeric values counted in the feature's
 * fine bins by their own binary search (numpy.searchsorted(edges, x, side="right")), categorical values counted by
 * category name, missing values counted apart.
 */
export function countedFeatureBatch(
  message: Record<string, unknown>,
  binnings: Record<string, PrintedFeatureBinning>,
): Record<string, unknown> {
  const columns = decodeFeatureColumns(
    decodeMessage(FeatureBatch, Buffer.from(JSON.stringify(message))),
    MAX_BATCH_VALUES,
  );
  const features: Record<string, unknown> = {};
  for (const { name, column } of valueColumns(columns)) {
    const binning = binnings[name]!;
    if (column.kind === 'numeric') {
      assert.ok('edges' in binning, `${name} is numeric`);
      const counts = new Array<number>(binning.edges.length + 1).fill(0);
      let missing = 0;
      for (const value of column.values) {
        if (Number.isNaN(value)) missing++;
        else counts[searchSortedRight(binning.edges, value)]!++;
      }
      features[name] = { kind: 'numeric', binCounts: { binning: binning.binning, counts }, missing };
    } else {
      // A Map, then fromEntries: `__proto__` is a valid category name and must stay an own key.
      const counts = new Map<string, number>();
      let missing = 0;
      for (const code of column.codes) {
        if (code === -1) missing++;
        else {
          const category = column.categories[code]!;
          counts.set(category, (counts.get(category) ?? 0) + 1);
        }
      }
      features[name] = { kind: 'categorical', counts: Object.fromEntries(counts), missing };
    }
  }
  return { ...message, features };
}

/** The number of edges <= x: numpy's searchsorted(edges, x, side="right"), by bisection over the sorted edges. */
export function searchSortedRight(edges: ArrayLike<number>, x: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A categorical column of `values` (null = missing), its categories in first-appearance order. */
export function categoricalColumn(values: readonly (string | null)[]): CategoricalColumn {
  const categories: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (value) => {
    if (value === null) return -1;
    let code = index.get(value);
    if (code === undefined) {
      code = categories.push(value) - 1;
      index.set(value, code);
    }
    return code;
  });
  return { kind: 'categorical', categories, codes };
}
