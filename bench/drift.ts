/**
 * Drift benchmark: the full drift suite against the floor of sorting both samples, measured in the same run,
 * the decode of `predictions` (JSON numbers) against `predictionsF32` for the same values, and scipy doing
 * the same computations on the same data where python3 with scipy is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFloat32 } from '../shared/contracts/float32.js';
import { PredictionBatch, predictionValues } from '../shared/contracts/index.js';
import { summarizeBaseline } from '../shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../shared/stats/drift/suite.js';
import { medianMs, printTable, uniforms } from './support.js';

const SIZES = [10_000, 100_000, 1_000_000];

/** Predicted conversion probabilities: skewed towards small values like a real promotion model's. */
function predictions(count: number, seed: number, shift = 0): Float64Array {
  return uniforms(count, seed).map((u) => 0.01 + 0.2 * u * u + shift);
}

export function benchDrift(): void {
  const folder = mkdtempSync(join(tmpdir(), 'liftwatch-bench-'));
  const rows: (string | number)[][] = [];
  const decodeRows: (string | number)[][] = [];
  try {
    for (const size of SIZES) {
      const reference = predictions(size, 1);
      const current = predictions(size, 2, 0.002);
      const runs = size >= 1_000_000 ? 5 : 11;
      const sortBoth = medianMs(
        runs,
        () => [reference.slice(), current.slice()] as const,
        ([r, c]) => {
          r.sort();
          c.sort();
        },
      );
      const suite = medianMs(
        runs,
        () => current.slice(),
        (batch) => computeDrift(summarizeBaseline(reference), batch),
      );
      const summary = summarizeBaseline(reference);
      const sortBatch = medianMs(
        runs,
        () => current.slice(),
        (batch) => batch.sort(),
      );
      const perBatch = medianMs(
        runs,
        () => current.slice(),
        (batch) => computeDrift(summary, batch),
      );
      writeFileSync(join(folder, `reference-${size}.f64`), reference);
      writeFileSync(join(folder, `current-${size}.f64`), current);
      const scipy = scipyMs(folder, size);
      rows.push([
        size.toLocaleString('en'),
        sortBoth,
        suite,
        `${(suite / sortBoth).toFixed(2)}x`,
        sortBatch,
        perBatch,
        scipy === undefined ? 'n/a' : scipy,
        scipy === undefined ? 'n/a' : `${(scipy / suite).toFixed(1)}x`,
      ]);

      const json = Buffer.from(JSON.stringify({ ...message(), predictions: Array.from(current) }));
      const f32 = Buffer.from(JSON.stringify({ ...message(), predictionsF32: encodeFloat32(current) }));
      // Decoding as decodeMessage does, minus its 10 MB refusal, so the 1M-value JSON batch (over the limit) is timed too.
      const decode = (data: Buffer) =>
        predictionValues(PredictionBatch.parse(JSON.parse(data.toString('utf8'))), 2_000_000);
      const jsonMs = medianMs(runs, () => json, decode);
      const f32Ms = medianMs(runs, () => f32, decode);
      decodeRows.push([
        size.toLocaleString('en'),
        `${(json.length / 1e6).toFixed(1)}${json.length > 10_000_000 ? ' (over limit)' : ''}`,
        jsonMs,
        (f32.length / 1e6).toFixed(1),
        f32Ms,
        `${(jsonMs / f32Ms).toFixed(1)}x`,
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    'Drift suite (median ms; n = m; suite = summarise baseline + all drift statistics; floor = sorting both samples)',
    [
      'n = m',
      'sort both (floor)',
      'suite',
      'suite/floor',
      'sort batch',
      'per batch (stored baseline)',
      'scipy suite',
      'scipy/suite',
    ],
    rows,
  );
  printTable(
    'Message decode (median ms: JSON.parse + contract + float64 values)',
    ['values', 'JSON MB', 'predictions', 'F32 MB', 'predictionsF32', 'JSON/F32'],
    decodeRows,
  );
}

function message() {
  return { schemaVersion: 1, model: 'bench', modelVersion: 'v1', windowEnd: '2026-11-26T15:00:00Z' };
}

/** scipy's time for the same suite on the same data, or undefined where python3 with scipy is absent. */
function scipyMs(folder: string, size: number): number | undefined {
  try {
    const output = execFileSync(
      'python3',
      [new URL('drift_scipy.py', import.meta.url).pathname, folder, String(size)],
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
