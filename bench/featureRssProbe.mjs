// Peak memory of one function instance handling a 10 MB FeatureBatch: decode (contract + columns) and every
// feature's statistics, against the summaries of the largest FeatureBaseline the contracts accept (held in memory
// as the monitor holds them). Runs the built code (npm run build) in fresh Node processes:
//   node featureRssProbe.mjs write FILE   writes the batch message to FILE;
//   node featureRssProbe.mjs FILE         reads it as the function receives it (a Buffer), prints peak RSS in MiB.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  decodeFeatureColumns,
  decodeMessage,
  encodeFloat32,
  FeatureBatch,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  MAX_FEATURES,
  MAX_MESSAGE_BYTES,
} from '../build/shared/contracts/index.js';
import { summarizeFeature } from '../build/shared/stats/features/featureSummary.js';
import { computeFeatureStatistics } from '../build/shared/stats/features/suite.js';

const ROWS = MAX_BATCH_VALUES / MAX_FEATURES; // 10,000 rows x 100 features: the most cells a batch may carry
const CATEGORIES = Array.from({ length: 50 }, (_, k) => `genre_${String(k).padStart(2, '0')}`);

function generator(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}
const numeric = (rows, seed) => {
  const next = generator(seed);
  return Float64Array.from({ length: rows }, () => {
    const u = next();
    return u < 0.02 ? Number.NaN : Math.round(1e9 * -Math.log(1 - next())) / 1e6;
  });
};
const categories = (rows, seed) => {
  const next = generator(seed);
  return Array.from({ length: rows }, () =>
    next() < 0.02 ? null : CATEGORIES[Math.floor(50 * next() ** 2)],
  );
};
/** Feature f's kind and encoding: 80 numeric (60 as JSON numbers, 20 as valuesF32), 20 categorical JSON strings. */
const kindOf = (f) => (f < 60 ? 'json' : f < 80 ? 'f32' : 'categorical');

function batchMessage() {
  const features = {};
  for (let f = 0; f < MAX_FEATURES; f++) {
    const kind = kindOf(f);
    const name = `feature_${String(f).padStart(2, '0')}`;
    if (kind === 'categorical') features[name] = { kind: 'categorical', values: categories(ROWS, 1000 + f) };
    else {
      const values = numeric(ROWS, 1000 + f);
      features[name] =
        kind === 'json'
          ? { kind: 'numeric', values: Array.from(values, (v) => (Number.isNaN(v) ? null : v)) }
          : { kind: 'numeric', valuesF32: encodeFloat32(values) };
    }
  }
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 1,
      model: 'bench',
      modelVersion: 'v1',
      windowEnd: new Date().toISOString(),
      features,
    }),
  );
}

if (process.argv[2] === 'write') {
  const data = batchMessage();
  if (data.length > MAX_MESSAGE_BYTES)
    throw new Error(`the probe's batch is ${data.length} bytes, over the limit`);
  writeFileSync(process.argv[3], data);
  process.exit(0);
}

// The baseline summaries: the largest baseline spreads MAX_BASELINE_VALUES cells over the 100 features.
const baselineRows = MAX_BASELINE_VALUES / MAX_FEATURES;
const summaries = Array.from({ length: MAX_FEATURES }, (_, f) => {
  if (kindOf(f) !== 'categorical')
    return summarizeFeature({ kind: 'numeric', values: numeric(baselineRows, f + 1) });
  const values = categories(baselineRows, f + 1);
  return summarizeFeature({
    kind: 'categorical',
    categories: CATEGORIES,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : CATEGORIES.indexOf(v))),
  });
});

const before = process.resourceUsage().maxRSS;
const data = readFileSync(process.argv[2]);
const batch = decodeMessage(FeatureBatch, data);
const columns = decodeFeatureColumns(batch, MAX_BATCH_VALUES);
let defined = 0;
columns.forEach(({ column }, f) => {
  const statistics = computeFeatureStatistics(summaries[f], column);
  if (statistics.psi !== undefined) defined++;
});
const peak = process.resourceUsage().maxRSS;
console.log(
  JSON.stringify({
    features: columns.length,
    rows: ROWS,
    withStatistics: defined,
    messageMB: data.length / 1e6,
    rssBeforeMiB: before / 1024,
    peakRssMiB: peak / 1024,
  }),
);
