/** Valid messages to start from in tests; each test breaks one thing. */
import { encodeFloat32 } from '../../shared/contracts/float32.js';

/** The common fields of a windowed message: the test model, market se, the current minute as window end. */
function windowed(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    model: 'promo-lift',
    modelVersion: 'v3.1',
    segment: { market: 'se' },
    windowEnd: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
  };
}

export function predictionBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...windowed(),
    predictions: Array.from({ length: 200 }, (_, i) => 0.02 + (0.1 * ((i * 37) % 100)) / 100),
    ...overrides,
  };
}

export function baseline(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    model: 'promo-lift',
    modelVersion: 'v3.1',
    predictionsF32: encodeFloat32(
      Array.from({ length: 1000 }, (_, i) => 0.02 + (0.1 * ((i * 61) % 1000)) / 1000),
    ),
    ...overrides,
  };
}

export const json = (message: unknown): Buffer => Buffer.from(JSON.stringify(message));

/** Removes a key (so a test can send a message without it). */
export function without(message: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = message;
  return rest;
}

export function outcomeBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const predictions = Array.from({ length: 400 }, (_, i) => 0.02 + (0.5 * ((i * 37) % 100)) / 100);
  return {
    ...windowed(),
    predictions,
    // Deterministic outcomes that follow the predictions: outcome i is 1 when its prediction beats a fixed sequence.
    outcomes: predictions.map((p, i) => (((i * 7919) % 1000) / 1000 < p ? 1 : 0)),
    ...overrides,
  };
}

export function campaignResults(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...windowed(),
    campaigns: Array.from({ length: 8 }, (_, i) => ({
      campaignId: `cmp-${i}`,
      predictedLift: 0.01 + 0.002 * i,
      predictedLiftInterval: { lower: 0.002 * i, upper: 0.02 + 0.002 * i },
      treatment: { units: 5000 + 100 * i, conversions: 400 + 15 * i },
      control: { units: 1000, conversions: 70 + i },
    })),
    ...overrides,
  };
}

export function upliftBatch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = 2400;
  const uplift = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 10000 - 0.02);
  const treatment = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
  return {
    ...windowed(),
    uplift,
    treatment,
    // Treated units with a higher score convert more often: the model ranks uplift.
    outcomes: uplift.map((score, i) =>
      ((i * 104729) % 1000) / 1000 < 0.05 + (treatment[i] ? Math.max(score, 0) * 3 : 0) ? 1 : 0,
    ),
    ...overrides,
  };
}

/** Deterministic pseudo-random values in [0, 1) through `transform` (a linear congruential generator). */
export function lcgValues(count: number, seed: number, transform = (u: number) => u): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return transform(state / 2147483648);
  });
}
