/**
 * Valid FeatureBaseline and FeatureBatch messages to start from in tests, and the compact column encodings as a
 * numpy producer writes them (little-endian bytes laid out with a DataView, independently of liftwatch's own
 * encoders): values.astype('<f4') with np.nan for missing, codes.astype('<u2') with 65535 for missing.
 */
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
