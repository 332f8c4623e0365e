/**
 * Feature-suite benchmark: computeFeatureStatistics over every feature of one batch (the baseline summaries
 * precomputed, as at registration), against its floor measured in the same run (sorting every numeric column
 * once), and scipy computing the same statistics on the same data where python3 with scipy is installed.
 * 80% of the features are numeric (counts with ties, uniform, skewed, whole days), 20% categorical over ~50
 * categories (one new in the batch); 2% of the values are missing and the batch is mildly shifted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecodedColumn } from '../shared/contracts/featureColumns.js';
import { type FeatureSummary, summarizeFeature } from '../shared/stats/features/featureSummary.js';
import { computeFeatureStatistics } from '../shared/stats/features/suite.js';
import { medianMs, printTable, uniforms } from './support.js';

const SHAPES = [
  { features: 100, rows: 10_000 },
  { features: 20, rows: 100_000 },
];
const NUMERIC_SHARE = 0.8;
const CATEGORIES = 50;
const MISSING_SHARE = 0.02;

/** A numeric column of one of four shapes; `shift` > 0 moves the batch a little. */
function numericColumn(shape: number, rows: number, seed: number, shift: number): Float64Array {
  const u = uniforms(rows, seed);
  const missing = uniforms(rows, seed + 7919);
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = u[i]!;
    const value =
      shape === 0
        ? Math.round(1000 * (1 + shift) * -Math.log(1 - x)) // follower counts: integers, many ties
        : shape === 1
          ? 100 * x + shift * 10 // uniform
          : shape === 2
            ? x * x + shift * 0.1 // skewed to 0
            : Math.floor(365 * x * (1 + shift)); // track age in whole days
    values[i] = missing[i]! < MISSING_SHARE ? Number.NaN : value;
  }
  return values;
}

/** A categorical column over CATEGORIES names with Zipf-like shares; the batch adds one category at 1%. */
function categoricalColumn(rows: number, seed: number, batch: boolean): DecodedColumn {
  const names = Array.from({ length: CATEGORIES }, (_, k) => `genre_${k.toString().padStart(2, '0')}`);
  const cumulative = new Float64Array(CATEGORIES);
  let total = 0;
  for (let k = 0; k < CATEGORIES; k++) {
    total += 1 / (k + 1 + (batch ? 0.3 : 0));
    cumulative[k] = total;
  }
  const u = uniforms(rows, seed);
  const missing = uniforms(rows, seed + 7919);
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (missing[i]! < MISSING_SHARE) codes[i] = -1;
    else if (batch && missing[i]! > 0.99) codes[i] = CATEGORIES;
    else {
      const target = u[i]! * total;
      let k = 0;
      while (cumulative[k]! < target) k++;
      codes[i] = k;
    }
  }
  return { kind: 'categorical', categories: batch ? [...names, 'genre_new'] : names, codes };
}

function columns(features: number, rows: number, batch: boolean): DecodedColumn[] {
  return Array.from({ length: features }, (_, f) => {
    const seed = 1 + f * 2 + (batch ? 1 : 0) + rows;
    return f < features * NUMERIC_SHARE
      ? { kind: 'numeric', values: numericColumn(f % 4, rows, seed, batch ? 0.02 : 0) }
      : categoricalColumn(rows, seed, batch);
  });
}

export function benchFeatures(): void {
  const folder = mkdtempSync(join(tmpdir(), 'liftwatch-bench-features-'));
  const rows: (string | number)[][] = [];
  try {
    for (const { features, rows: size } of SHAPES) {
      const reference = columns(features, size, false);
      const batch = columns(features, size, true);
      const summaries: FeatureSummary[] = reference.map((column) => summarizeFeature(column));
      const runs = 11;
      const numericValues = batch.flatMap((column) => (column.kind === 'numeric' ? [column.values] : []));
      const floor = medianMs(
        runs,
        () => numericValues.map((values) => values.slice()),
        (copies) => {
          for (const copy of copies) copy.sort();
        },
      );
      const suite = medianMs(
        runs,
        () => undefined,
        () => {
          for (let f = 0; f < features; f++) computeFeatureStatistics(summaries[f]!, batch[f]!);
        },
      );
      const scipy = scipyMs(folder, reference, batch);
      rows.push([
        `${features} x ${size.toLocaleString('en')}`,
        floor,
        suite,
        `${(suite / floor).toFixed(2)}x`,
        scipy === undefined ? 'n/a' : scipy,
        scipy === undefined ? 'n/a' : `${(scipy / suite).toFixed(1)}x`,
      ]);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    `Feature suite (median ms per batch; ${NUMERIC_SHARE * 100}% numeric, ${CATEGORIES} categories, ${MISSING_SHARE * 100}% missing; summaries precomputed; floor = sorting every numeric batch column once)`,
    ['features x rows', 'sort numeric (floor)', 'suite', 'suite/floor', 'scipy suite', 'scipy/suite'],
    rows,
  );
}

/** scipy's time for the same statistics on the same columns, or undefined where python3 with scipy is absent. */
function scipyMs(folder: string, reference: DecodedColumn[], batch: DecodedColumn[]): number | undefined {
  const manifest = reference.map((column, f) => {
    const other = batch[f]!;
    const write = (side: string, data: DecodedColumn) =>
      writeFileSync(join(folder, `${side}-${f}.bin`), data.kind === 'numeric' ? data.values : data.codes);
    write('reference', column);
    write('batch', other);
    return column.kind === 'numeric' || other.kind === 'numeric'
      ? { kind: 'numeric' }
      : { kind: 'categorical', reference: column.categories, batch: other.categories };
  });
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
  try {
    const output = execFileSync('python3', [new URL('features_scipy.py', import.meta.url).pathname, folder], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return Number(output.trim());
  } catch {
    return undefined;
  }
}
