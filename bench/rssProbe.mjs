// Peak memory of one function instance handling a 1M-value predictionsF32 batch: decode, statistics, series.
// Runs the built code (npm run build) in a fresh Node process and prints its peak RSS in MiB.
import {
  decodeMessage,
  encodeFloat32,
  PredictionBatch,
  predictionValues,
} from '../build/shared/contracts/index.js';
import { metricsWrittenBy } from '../build/shared/monitoring/catalog.js';
import { buildSeries } from '../build/shared/monitoring/series.js';
import { summarizeBaseline } from '../build/shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../build/shared/stats/drift/suite.js';

const values = (count, seed) => {
  let state = seed;
  return Float64Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    const u = state / 2147483648;
    return 0.01 + 0.2 * u * u;
  });
};
const baseline = summarizeBaseline(values(100_000, 1)); // a stored baseline holds at most 100,000 values
const before = process.resourceUsage().maxRSS;
const data = Buffer.from(
  JSON.stringify({
    schemaVersion: 1,
    model: 'bench',
    modelVersion: 'v1',
    windowEnd: new Date().toISOString(),
    predictionsF32: encodeFloat32(values(1_000_000, 2)),
  }),
);
const batch = decodeMessage(PredictionBatch, data);
const statistics = computeDrift(baseline, predictionValues(batch, 1_000_000));
const series = buildSeries(
  {
    projectId: 'bench',
    model: batch.model,
    modelVersion: batch.modelVersion,
    segment: batch.segment,
    endTime: new Date(batch.windowEnd),
  },
  metricsWrittenBy('driftMonitor'),
  statistics,
);
const peak = process.resourceUsage().maxRSS;
console.log(
  JSON.stringify({
    series: series.length,
    n: statistics.n,
    messageMB: data.length / 1e6,
    rssBeforeMiB: before / 1024,
    peakRssMiB: peak / 1024,
  }),
);
