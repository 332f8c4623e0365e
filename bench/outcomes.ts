/**
 * Outcome benchmarks: the calibration suite against a single pass over the pairs (and sklearn/statsmodels on
 * the same data where installed), the campaign suite, and the unit-level uplift suite (and its Qini interval alone)
 * against sorting the scores.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Campaign } from '../shared/contracts/index.js';
import { computeCalibration } from '../shared/stats/calibration/suite.js';
import { computeCampaignLift } from '../shared/stats/lift/campaignSuite.js';
import { QINI_INTERVAL_REPLICATES, qiniAucInterval } from '../shared/stats/uplift/qiniAucInterval.js';
import { rankByUplift } from '../shared/stats/uplift/rankByUplift.js';
import { computeUplift } from '../shared/stats/uplift/suite.js';
import { medianMs, printTable, uniforms } from './support.js';

/** Predicted probabilities and outcomes drawn from them (so the model is calibrated). */
function pairs(count: number): { predictions: Float64Array; outcomes: Uint8Array } {
  const u = uniforms(count, 3);
  const v = uniforms(count, 4);
  const predictions = u.map((x) => 0.01 + 0.3 * x * x);
  const outcomes = Uint8Array.from(predictions, (p, i) => (v[i]! < p ? 1 : 0));
  return { predictions, outcomes };
}

/** One pass over the pairs: the least any calibration statistic must do. */
function singlePass({ predictions, outcomes }: { predictions: Float64Array; outcomes: Uint8Array }): number {
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) sum += predictions[i]! - outcomes[i]!;
  return sum;
}

export function benchCalibration(): void {
  const folder = mkdtempSync(join(tmpdir(), 'liftwatch-bench-'));
  const rows: (string | number)[][] = [];
  try {
    for (const size of [10_000, 100_000, 1_000_000]) {
      const data = pairs(size);
      const runs = size >= 1_000_000 ? 5 : 11;
      const floor = medianMs(runs, () => data, singlePass);
      const suite = medianMs(
        runs,
        () => data,
        ({ predictions, outcomes }) => computeCalibration(predictions, outcomes),
      );
      writeFileSync(join(folder, `p-${size}.f64`), data.predictions);
      writeFileSync(join(folder, `y-${size}.u8`), data.outcomes);
      const python = pythonMs('calibration_sklearn.py', folder, size);
      rows.push([
        size.toLocaleString('en'),
        floor,
        suite,
        `${(suite / floor).toFixed(1)}x`,
        python ?? 'n/a',
        python === undefined ? 'n/a' : `${(python / suite).toFixed(1)}x`,
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    'Calibration suite (median ms; floor = one pass over the pairs; sklearn/statsmodels on the same data)',
    ['N', 'single pass (floor)', 'suite', 'suite/floor', 'sklearn+statsmodels', 'python/suite'],
    rows,
  );
}

export function benchLift(): void {
  const campaigns: Campaign[] = Array.from(uniforms(10_000, 5), (u, i) => ({
    campaignId: `c${i}`,
    predictedLift: 0.002 + 0.02 * u,
    treatment: { units: 5000 + (i % 97) * 10, conversions: 300 + (i % 89) },
    control: { units: 1000 + (i % 13) * 10, conversions: 50 + (i % 17) },
  }));
  const predicted = Float64Array.from(campaigns, (campaign) => campaign.predictedLift);
  const rows: (string | number)[][] = [];
  const campaignFloor = medianMs(
    11,
    () => predicted.slice(),
    (values) => values.sort(),
  );
  const campaignSuite = medianMs(11, () => campaigns, computeCampaignLift);
  rows.push([
    'campaigns',
    '10,000',
    campaignFloor,
    campaignSuite,
    `${(campaignSuite / campaignFloor).toFixed(1)}x`,
  ]);
  for (const size of [100_000, 1_000_000]) {
    const scores = uniforms(size, 6).map((u) => u * 0.04 - 0.01);
    const treatment = Uint8Array.from(uniforms(size, 7), (u) => (u < 0.8 ? 1 : 0));
    const outcomes = Uint8Array.from(uniforms(size, 8), (u, i) =>
      u < 0.05 + (treatment[i] ? scores[i]! : 0) ? 1 : 0,
    );
    const runs = size >= 1_000_000 ? 5 : 11;
    const floor = medianMs(
      runs,
      () => scores.slice(),
      (values) => values.sort(),
    );
    const suite = medianMs(
      runs,
      () => scores,
      (values) => computeUplift(values, treatment, outcomes),
    );
    const ranked = rankByUplift(scores, treatment, outcomes);
    const interval = medianMs(
      runs,
      () => ranked,
      (units) => qiniAucInterval(units),
    );
    rows.push([
      'uplift units, interval included',
      size.toLocaleString('en'),
      floor,
      suite,
      `${(suite / floor).toFixed(2)}x`,
    ]);
    rows.push([
      `of which the Qini interval (${QINI_INTERVAL_REPLICATES} replicates)`,
      size.toLocaleString('en'),
      floor,
      interval,
      `${(interval / floor).toFixed(2)}x`,
    ]);
  }
  printTable(
    'Lift suites (median ms; floor = sorting the scores, or the 10,000 predicted lifts)',
    ['suite', 'size', 'sort (floor)', 'suite', 'suite/floor'],
    rows,
  );
}

/** A python benchmark's median ms, or undefined where /usr/bin/python3 lacks the libraries. */
export function pythonMs(script: string, folder: string, size: number): number | undefined {
  try {
    const output = execFileSync(
      '/usr/bin/python3',
      [new URL(script, import.meta.url).pathname, folder, String(size)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    return Number(output.trim());
  } catch {
    return undefined;
  }
}
