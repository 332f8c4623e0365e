/**
 * The message kinds of the day benchmark (bench/day.ts), one generator per kind: the baseline a kind's function
 * needs, and the window message of a segment at an hour. Values are deterministic (xorshift, bench/support.ts),
 * different for every segment and hour, and close to the baseline (a normal day: no drift). To measure another
 * kind, add an entry to DAY_KINDS: a baseline and a window are all the harness needs.
 *
 * The binned kinds (`drift-binned`, `features-binned`) count the windows of the raw kinds in the fine bins of the
 * raw kinds' baseline, with its fingerprint, as a Beam or BigQuery producer would after reading `npx liftwatch bins`.
 */

import { encodeFloat32 } from '../shared/contracts/float32.js';
import { decodeMessage, FeatureBaseline } from '../shared/contracts/index.js';
import { type FeatureBinning, featureBinning, predictionBinning } from '../shared/monitors/binning.js';
import { summarizeFeatureBaseline } from '../shared/monitors/featureBaseline.js';
import { summarizeBaseline } from '../shared/stats/drift/baselineSummary.js';
import { uniforms } from './support.js';

export interface DayKind {
  /** Name on the command line and in the tables (`npm run bench -- day KIND...`). */
  name: string;
  /** What one message is, in words, for the table. */
  description: string;
  /** The function that handles the kind's windows. */
  function: 'driftMonitor' | 'featureMonitor';
  /** The function that registers the kind's baseline. */
  register: 'registerBaseline' | 'registerFeatureBaseline';
  /** The baseline message of `modelVersion`. */
  baseline(model: string, modelVersion: string): Record<string, unknown>;
  /** The window message of segment `segment` whose window ends at `windowEnd`. */
  window(
    model: string,
    modelVersion: string,
    segment: number,
    hour: number,
    windowEnd: Date,
  ): Record<string, unknown>;
  /** Predictions one message describes (rows, for a FeatureBatch), for the cost per prediction. */
  predictions: number;
  /** Windows of a 240,000-window day the run measures per repetition (segments x 24 hours), set per kind to bound the run. */
  segments: number;
}

/** A stored prediction baseline holds at most 100,000 values (the reference kept for KS and Wasserstein). */
export const BASELINE_PREDICTIONS = 100_000;

/** Scores in (0.01, 0.21), skewed towards small lifts; `shift` moves them slightly. */
function scores(count: number, seed: number): Float64Array {
  const u = uniforms(count, seed);
  for (let i = 0; i < count; i++) u[i] = 0.01 + 0.2 * u[i]! * u[i]!;
  return u;
}

const segmentOf = (segment: number) => ({
  market: `m${String(segment % 100).padStart(2, '0')}`,
  cohort: `c${Math.floor(segment / 100)}`,
});

const seedOf = (segment: number, hour: number) => 1 + segment * 24 + hour;

/** A raw PredictionBatch of `count` float32 predictions. */
function rawPredictions(name: string, count: number, segments: number, description: string): DayKind {
  return {
    name,
    description,
    function: 'driftMonitor',
    register: 'registerBaseline',
    predictions: count,
    segments,
    baseline: (model, modelVersion) => ({
      schemaVersion: 1,
      model,
      modelVersion,
      predictionsF32: encodeFloat32(scores(BASELINE_PREDICTIONS, 7)),
    }),
    window: (model, modelVersion, segment, hour, windowEnd) => ({
      schemaVersion: 1,
      model,
      modelVersion,
      segment: segmentOf(segment),
      windowEnd: windowEnd.toISOString(),
      predictionsF32: encodeFloat32(scores(count, seedOf(segment, hour))),
    }),
  };
}

export const FEATURES = 20;
export const FEATURE_ROWS = 10_000;
const NUMERIC_FEATURES = 16;
const CATEGORIES = Array.from({ length: 20 }, (_, k) => `genre_${String(k).padStart(2, '0')}`);

/** Base64 of little-endian uint16 category codes. */
function uint16Base64(codes: Uint16Array): string {
  return Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString('base64');
}

/** One feature's generated values: numeric (NaN missing) or category codes (65535 missing). */
type FeatureValues = { name: string; numeric: Float64Array } | { name: string; codes: Uint16Array };

/** 20 features (16 numeric, 4 categorical over 20 categories), `rows` rows, 1% missing. */
function featureValues(rows: number, seed: number): FeatureValues[] {
  return Array.from({ length: FEATURES }, (_, f) => {
    const name = `feature_${String(f).padStart(2, '0')}`;
    const u = uniforms(rows, seed * 31 + f);
    const missing = uniforms(rows, seed * 31 + f + 7919);
    if (f < NUMERIC_FEATURES) {
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        values[i] = missing[i]! < 0.01 ? Number.NaN : Math.round(1000 * -Math.log(1 - u[i]!) * (1 + f));
      }
      return { name, numeric: values };
    }
    const codes = new Uint16Array(rows);
    for (let i = 0; i < rows; i++) {
      codes[i] = missing[i]! < 0.01 ? 65535 : Math.floor(CATEGORIES.length * u[i]! * u[i]!);
    }
    return { name, codes };
  });
}

/** The features as a FeatureBatch's raw columns: numeric as valuesF32, categorical as codesU16. */
function featureColumns(rows: number, seed: number): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    featureValues(rows, seed).map((feature) => [
      feature.name,
      'numeric' in feature
        ? { kind: 'numeric', valuesF32: encodeFloat32(feature.numeric) }
        : { kind: 'categorical', categories: CATEGORIES, codesU16: uint16Base64(feature.codes) },
    ]),
  );
}

/**
 * The same features counted as a Beam or BigQuery producer sends them: numeric values in the feature's fine bins
 * (`npx liftwatch bins` on the FeatureBaseline), categorical values by category name, missing values apart.
 */
function countedFeatureColumns(
  rows: number,
  seed: number,
  binnings: Record<string, FeatureBinning>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    featureValues(rows, seed).map((feature) => {
      let missing = 0;
      const binning = binnings[feature.name]!;
      if ('numeric' in feature && 'edges' in binning) {
        const counts = new Array<number>(binning.edges.length + 1).fill(0);
        for (const value of feature.numeric) {
          if (Number.isNaN(value)) missing++;
          else counts[binOf(binning.edges, value)]!++;
        }
        return [feature.name, { kind: 'numeric', binCounts: { binning: binning.binning, counts }, missing }];
      }
      const counts = new Array<number>(CATEGORIES.length).fill(0);
      for (const code of (feature as { codes: Uint16Array }).codes) {
        if (code === 65535) missing++;
        else counts[code]!++;
      }
      const named = Object.fromEntries(CATEGORIES.map((category, k) => [category, counts[k]!]));
      return [feature.name, { kind: 'categorical', counts: named, missing }];
    }),
  );
}

/** The binnings `npx liftwatch bins` prints for the feature kinds' baseline, computed once per (model, version). */
const featureBinnings = new Map<string, Record<string, FeatureBinning>>();
function baselineFeatureBinnings(model: string, modelVersion: string): Record<string, FeatureBinning> {
  const key = `${model}\0${modelVersion}`;
  let binnings = featureBinnings.get(key);
  if (!binnings) {
    // Summarised as registerFeatureBaseline decodes the message (float32 values).
    const message = decodeMessage(
      FeatureBaseline,
      Buffer.from(JSON.stringify(featureBaselineMessage(model, modelVersion))),
    );
    binnings = Object.fromEntries(
      summarizeFeatureBaseline(message).map(({ name, summary }) => [
        name,
        featureBinning(model, modelVersion, name, summary),
      ]),
    );
    featureBinnings.set(key, binnings);
  }
  return binnings;
}

const featureBaselineMessage = (model: string, modelVersion: string) => ({
  schemaVersion: 1,
  model,
  modelVersion,
  features: featureColumns(50_000, 3),
});

const featureBatch: DayKind = {
  name: 'features-20x10k',
  description: `FeatureBatch, ${FEATURES} features (16 numeric valuesF32, 4 categorical codesU16) x ${FEATURE_ROWS.toLocaleString('en')} rows`,
  function: 'featureMonitor',
  register: 'registerFeatureBaseline',
  predictions: FEATURE_ROWS,
  segments: 3,
  baseline: featureBaselineMessage,
  window: (model, modelVersion, segment, hour, windowEnd) => ({
    schemaVersion: 1,
    model,
    modelVersion,
    segment: segmentOf(segment),
    windowEnd: windowEnd.toISOString(),
    features: featureColumns(FEATURE_ROWS, seedOf(segment, hour) + 100),
  }),
};

/** The same FeatureBatch pre-aggregated: 16 numeric binCounts in the features' fine bins, 4 categorical counts. */
const countedFeatureBatch: DayKind = {
  ...featureBatch,
  name: 'features-binned',
  description: `FeatureBatch, ${FEATURES} features counted (16 numeric binCounts, 4 categorical counts) standing for ${FEATURE_ROWS.toLocaleString('en')} rows`,
  segments: 30,
  window: (model, modelVersion, segment, hour, windowEnd) => ({
    schemaVersion: 1,
    model,
    modelVersion,
    segment: segmentOf(segment),
    windowEnd: windowEnd.toISOString(),
    features: countedFeatureColumns(
      FEATURE_ROWS,
      seedOf(segment, hour) + 100,
      baselineFeatureBinnings(model, modelVersion),
    ),
  }),
};

/** 1e9 predictions a day over 240,000 hourly windows: 4,167 predictions in the average window. */
export const AVERAGE_WINDOW_PREDICTIONS = Math.ceil(1e9 / 240_000);

/** The binning `npx liftwatch bins` prints for the raw kinds' baseline, computed once per (model, version). */
const binnings = new Map<string, { binning: string; edges: number[] }>();
function baselineBinning(model: string, modelVersion: string): { binning: string; edges: number[] } {
  const key = `${model}\0${modelVersion}`;
  let binning = binnings.get(key);
  if (!binning) {
    // The registered baseline is float32: summarise the values as registerBaseline decodes them.
    const registered = Float64Array.from(Float32Array.from(scores(BASELINE_PREDICTIONS, 7)));
    binning = predictionBinning(model, modelVersion, summarizeBaseline(registered));
    binnings.set(key, binning);
  }
  return binning;
}

/** A binned PredictionBatch: the average window's 4,167 scores counted in the baseline's 1,000 fine bins. */
const binnedPredictions: DayKind = {
  ...rawPredictions('drift-binned', AVERAGE_WINDOW_PREDICTIONS, 200, ''),
  description: `PredictionBatch, binCounts: ${AVERAGE_WINDOW_PREDICTIONS.toLocaleString('en')} predictions counted in the baseline's fine bins (what a Beam or BigQuery producer sends)`,
  window: (model, modelVersion, segment, hour, windowEnd) =>
    binnedWindow(model, modelVersion, segment, hour, windowEnd, baselineBinning(model, modelVersion)),
};

export const DAY_KINDS: readonly DayKind[] = [
  binnedPredictions,
  rawPredictions(
    'drift-4167',
    AVERAGE_WINDOW_PREDICTIONS,
    60,
    `PredictionBatch, ${AVERAGE_WINDOW_PREDICTIONS.toLocaleString('en')} float32 predictions: the average window of 1e9 predictions/day, unsampled`,
  ),
  rawPredictions('drift-10k', 10_000, 30, 'PredictionBatch, 10,000 float32 predictions (raw, sampled)'),
  rawPredictions('drift-100k', 100_000, 6, 'PredictionBatch, 100,000 float32 predictions (raw, sampled)'),
  featureBatch,
  countedFeatureBatch,
];

/** Fine bins of a binning (issue 14): the reference quantiles at k/1000, k = 1..999, give 1,000 bins. */
export const FINE_BINS = 1_000;

/** `searchsorted(edges, x, side="right")`: bin 0 is x < edges[0], the last is x >= edges[last]. */
function binOf(edges: readonly number[], x: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The binned window issue 14 specifies (`binCounts: {binning, counts}`): the counts of a window's `predictions`
 * scores (the raw kinds' distribution) in the baseline's bins. With `edges` (what `npx liftwatch bins` prints for
 * the baseline) the scores are binned on them; without, in FINE_BINS equiprobable bins (a score's bin is
 * floor(FINE_BINS u)), which has the same count vector's length and size. `binning` is the baseline's
 * fingerprint (without one, a placeholder of a fingerprint's shape, for tests of the counting alone).
 */
export function binnedWindow(
  model: string,
  modelVersion: string,
  segment: number,
  hour: number,
  windowEnd: Date,
  {
    predictions = AVERAGE_WINDOW_PREDICTIONS,
    binning = `sha256:${'0'.repeat(64)}`,
    edges,
  }: { predictions?: number; binning?: string; edges?: readonly number[] } = {},
): Record<string, unknown> {
  const counts = new Array<number>(edges ? edges.length + 1 : FINE_BINS).fill(0);
  if (edges) {
    const values = scores(predictions, seedOf(segment, hour));
    for (const value of values) counts[binOf(edges, value)]!++;
  } else {
    const u = uniforms(predictions, seedOf(segment, hour));
    for (let i = 0; i < predictions; i++) counts[Math.floor(FINE_BINS * u[i]!)]!++;
  }
  return {
    schemaVersion: 1,
    model,
    modelVersion,
    segment: segmentOf(segment),
    windowEnd: windowEnd.toISOString(),
    binCounts: { binning, counts },
  };
}
