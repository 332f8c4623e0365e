/**
 * npm run bench: every benchmark, each measured against its floor in the same run (and against scipy where
 * installed). Timings are medians of repeated runs on a shared, noisy machine: read the ratios.
 * `npm run bench -- day [KIND...]` runs only the day benchmark and its cost table (bench/day.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchColdStart } from './coldStart.js';
import { benchDay } from './day.js';
import { benchDrift } from './drift.js';
import { benchFeatures } from './features.js';
import { benchCalibration, benchLift } from './outcomes.js';
import { printTable } from './support.js';
import { benchThroughput } from './throughput.js';

console.log(`liftwatch benchmarks: Node ${process.version}, ${new Date().toISOString()}`);
const [selected, ...kinds] = process.argv.slice(2);
if (selected === 'day') {
  benchDay(kinds);
  process.exit(0);
}
if (selected !== undefined) throw new Error(`unknown benchmark ${selected}: run all (no argument) or day`);
benchDrift();
benchFeatures();
benchCalibration();
benchLift();

const probe = JSON.parse(
  execFileSync(process.execPath, [new URL('rssProbe.mjs', import.meta.url).pathname], { encoding: 'utf8' }),
) as { messageMB: number; rssBeforeMiB: number; peakRssMiB: number };
printTable(
  'Memory: one 1M-value predictionsF32 batch (decode + statistics + series) in a fresh process',
  ['message MB', 'RSS before MiB', 'peak RSS MiB', 'target'],
  [
    [
      probe.messageMB.toFixed(1),
      probe.rssBeforeMiB,
      probe.peakRssMiB,
      probe.peakRssMiB <= 256 ? 'met (<= 256 MiB)' : 'MISSED (> 256 MiB)',
    ],
  ],
);

// The feature batch is written by one process and read by another, as a function instance receives it: a Buffer.
const featureFolder = mkdtempSync(join(tmpdir(), 'liftwatch-bench-rss-'));
try {
  const featureProbe = new URL('featureRssProbe.mjs', import.meta.url).pathname;
  const batchFile = join(featureFolder, 'feature-batch.json');
  execFileSync(process.execPath, [featureProbe, 'write', batchFile]);
  const features = JSON.parse(
    execFileSync(process.execPath, [featureProbe, batchFile], { encoding: 'utf8' }),
  ) as {
    features: number;
    rows: number;
    messageMB: number;
    rssBeforeMiB: number;
    peakRssMiB: number;
  };
  printTable(
    'Memory: one FeatureBatch (decode + every feature statistic, largest baseline summaries held) in a fresh process',
    ['features x rows', 'message MB', 'RSS before MiB', 'peak RSS MiB', 'target'],
    [
      [
        `${features.features} x ${features.rows.toLocaleString('en')}`,
        features.messageMB.toFixed(1),
        features.rssBeforeMiB,
        features.peakRssMiB,
        features.peakRssMiB <= 256 ? 'met (<= 256 MiB)' : 'MISSED (> 256 MiB)',
      ],
    ],
  );
} finally {
  rmSync(featureFolder, { recursive: true, force: true });
}

benchColdStart();
await benchThroughput();
benchDay();
