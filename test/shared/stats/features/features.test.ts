import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DecodedColumn, WindowColumn } from '../../../../shared/contracts/featureColumns.js';
import { categoricalBuckets } from '../../../../shared/stats/features/categoricalBuckets.js';
import { chiSquareHomogeneity } from '../../../../shared/stats/features/chiSquareHomogeneity.js';
import {
  type CategoricalFeatureSummary,
  type NumericFeatureSummary,
  summarizeFeature,
} from '../../../../shared/stats/features/featureSummary.js';
import { lInfinityDistance } from '../../../../shared/stats/features/lInfinityDistance.js';
import {
  type MissingCounts,
  missingShareDifference,
} from '../../../../shared/stats/features/missingShareDifference.js';
import { outOfRangeShare } from '../../../../shared/stats/features/outOfRangeShare.js';
import { computeFeatureStatistics } from '../../../../shared/stats/features/suite.js';
import { assertClose, type Tolerance } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

type GoldenColumn =
  | { kind: 'numeric'; values: (number | null)[] }
  | { kind: 'categorical'; categories: string[]; codes: number[] };

interface FeatureGoldenCase {
  name: string;
  reference: GoldenColumn;
  batch: GoldenColumn;
  summary:
    | (Omit<NumericFeatureSummary, 'values' | 'min' | 'max'> & {
        min: number | null;
        max: number | null;
        values: {
          referenceSize: number;
          edges: number[];
          referenceCounts: number[];
          referenceStd: number;
          subsampled: boolean;
        } | null;
      })
    | CategoricalFeatureSummary;
  buckets?: {
    names: string[];
    referenceCounts: number[];
    batchCounts: number[];
    chiSquareStatistic?: number;
    degreesOfFreedom?: number;
  };
  /** The batch pre-aggregated as a pipeline sends it (numpy searchsorted in the fine edges; counts by name). */
  binned:
    | { fineEdges: number[]; counts: number[]; missing: number }
    | { counts: Record<string, number>; missing: number };
  expected: Record<string, number | string | null>;
}

interface NewcombeGoldenCase {
  batch: MissingCounts;
  reference: MissingCounts;
  lower: number;
  upper: number;
}

const golden = readGolden<{
  numpy: string;
  scipy: string;
  statsmodels: string;
  cases: FeatureGoldenCase[];
  newcombe: NewcombeGoldenCase[];
}>('features.json');

const TIGHT = { relative: 1e-12, absolute: 1e-15 } as const;
/** As the drift golden test: scipy's KS p-value and the chi-squared quantiles beyond the table. */
const TOLERANCES: Record<string, Tolerance> = {
  psiNull99: { relative: 1e-10 },
  ksStatistic: { absolute: 1e-12 },
  ksPValue: { absolute: 1e-6, relative: 1e-4 },
  chiSquarePValue: { absolute: 1e-12, relative: 1e-9 },
};
const EXACT = new Set(['kind', 'n', 'nReference', 'buckets']);

function decode(column: GoldenColumn): DecodedColumn {
  return column.kind === 'numeric'
    ? { kind: 'numeric', values: Float64Array.from(column.values, (v) => v ?? Number.NaN) }
    : { kind: 'categorical', categories: column.categories, codes: Int32Array.from(column.codes) };
}

describe(`feature statistics agree with numpy ${golden.numpy}, scipy ${golden.scipy} and statsmodels ${golden.statsmodels}`, () => {
  for (const { name, reference, batch, summary: expectedSummary, buckets, expected } of golden.cases) {
    test(`${expected.kind}: matches the golden values on: ${name}`, () => {
      const summary = summarizeFeature(decode(reference));
      assert.equal(summary.rows, expectedSummary.rows);
      assert.equal(summary.missing, expectedSummary.missing);
      if (summary.kind === 'numeric' && expectedSummary.kind === 'numeric') {
        assert.equal(summary.min, expectedSummary.min ?? Number.NaN);
        assert.equal(summary.max, expectedSummary.max ?? Number.NaN);
        const values = expectedSummary.values;
        if (values === null) assert.equal(summary.values, undefined);
        else {
          assert.ok(summary.values);
          assert.equal(summary.values.referenceSize, values.referenceSize);
          assert.deepEqual(
            Array.from(summary.values.edges),
            values.edges,
            'edges equal numpy quantiles bit for bit',
          );
          assert.deepEqual(summary.values.referenceCounts, values.referenceCounts);
          assertClose(summary.values.referenceStd, values.referenceStd, TIGHT, 'referenceStd');
          assert.equal(summary.values.subsampled, values.subsampled);
        }
      } else {
        assert.deepEqual(summary, expectedSummary, 'kept categories, their counts and the pooled count');
      }

      const column = decode(batch);
      if (buckets && summary.kind === 'categorical' && column.kind === 'categorical') {
        const actual = categoricalBuckets(summary, column);
        assert.deepEqual(actual.names, buckets.names);
        assert.deepEqual(Array.from(actual.referenceCounts), buckets.referenceCounts);
        assert.deepEqual(Array.from(actual.batchCounts), buckets.batchCounts);
        if (buckets.chiSquareStatistic !== undefined) {
          const chiSquare = chiSquareHomogeneity(actual.referenceCounts, actual.batchCounts);
          assertClose(chiSquare.statistic, buckets.chiSquareStatistic, TIGHT, 'chi-squared statistic');
          assert.equal(chiSquare.degreesOfFreedom, buckets.degreesOfFreedom);
        }
      }

      const result = computeFeatureStatistics(summary, column) as unknown as Record<string, number | string>;
      const defined = Object.keys(expected).filter((key) => expected[key] !== null);
      assert.deepEqual(
        Object.keys(result).sort(),
        defined.sort(),
        'the statistics defined are the golden ones',
      );
      for (const key of defined) {
        const value = expected[key]!;
        if (EXACT.has(key)) assert.equal(result[key], value, key);
        else assertClose(result[key] as number, value as number, TOLERANCES[key] ?? TIGHT, key);
      }
    });
  }

  for (const { name, reference, batch, binned, expected } of golden.cases) {
    test(`${expected.kind}: the binned batch gives the raw statistics on: ${name}`, () => {
      const summary = summarizeFeature(decode(reference));
      const raw = computeFeatureStatistics(summary, decode(batch)) as unknown as Record<string, number>;
      const column: WindowColumn =
        'fineEdges' in binned
          ? {
              kind: 'numeric',
              binCounts: { binning: 'golden', counts: binned.counts },
              missing: binned.missing,
            }
          : { kind: 'categorical', counts: new Map(Object.entries(binned.counts)), missing: binned.missing };
      if ('fineEdges' in binned) {
        assert.ok(summary.kind === 'numeric');
        assert.deepEqual(
          Array.from(summary.values?.fine?.edges ?? []),
          binned.fineEdges,
          "the feature's fine edges equal numpy's bit for bit (minimum, quantiles at k/1000, nextafter(max))",
        );
      }
      const result = computeFeatureStatistics(summary, column) as unknown as Record<string, unknown>;
      const bounded = new Set(['ksStatistic', 'ksPValue', 'wassersteinNormed']);
      for (const key of Object.keys(expected).filter((key) => expected[key] !== null)) {
        const value = result[key] as number;
        if (bounded.has(key)) continue;
        // Exact: equal to the raw statistics computed from the values (1e-12), and so to numpy's.
        if (EXACT.has(key)) assert.equal(value, raw[key], key);
        else assertClose(value, raw[key]!, TIGHT, `${key} binned = raw`);
        if (EXACT.has(key)) assert.equal(value, expected[key], key);
        else assertClose(value, expected[key] as number, TOLERANCES[key] ?? TIGHT, `${key} binned = numpy`);
      }
      if (expected.kind === 'numeric' && expected.ksStatistic !== null) {
        const slack = 1e-12;
        assert.deepEqual(result.approximate, ['ksStatistic', 'ksPValue', 'wassersteinNormed']);
        assert.ok((result.ksStatistic as number) <= raw.ksStatistic! + slack, 'KS at the edges <= D');
        assert.ok(
          raw.ksStatistic! <= (result.ksStatisticUpperBound as number) + slack,
          'D <= KS upper bound',
        );
        assert.ok((result.ksPValue as number) >= raw.ksPValue! - slack, 'edge p-value >= raw p-value');
        assert.ok((result.wassersteinNormed as number) <= raw.wassersteinNormed! + slack, 'W lower <= W');
        // The upper bound assumes the batch within the reference range; outside it no count can bound W.
        if (raw.outOfRangeShare === 0)
          assert.ok(
            raw.wassersteinNormed! <= (result.wassersteinNormedUpperBound as number) + slack,
            'W <= upper',
          );
      }
    });
  }

  test('the missing-share interval equals statsmodels confint_proportions_2indep(newcomb, diff) at the edges', () => {
    for (const { batch, reference, lower, upper } of golden.newcombe) {
      const interval = missingShareDifference(batch, reference);
      const label = `${batch.missing}/${batch.rows} vs ${reference.missing}/${reference.rows}`;
      assertClose(interval.lower, lower, TIGHT, `${label} lower`);
      assertClose(interval.upper, upper, TIGHT, `${label} upper`);
      assert.equal(interval.difference, batch.missing / batch.rows - reference.missing / reference.rows);
    }
  });
});

describe('feature statistics: published values', () => {
  const categorical = (values: string[]): DecodedColumn => {
    const categories = [...new Set(values)];
    return { kind: 'categorical', categories, codes: Int32Array.from(values, (v) => categories.indexOf(v)) };
  };
  const lInfinityOf = (reference: string[], batch: string[]) => {
    const result = computeFeatureStatistics(summarizeFeature(categorical(reference)), categorical(batch));
    assert.equal(result.kind, 'categorical');
    return result.kind === 'categorical' ? result.lInfinity : undefined;
  };

  test('L-infinity reproduces NannyML L-1 (new category, 1/7), L-2 (no change, 0) and L-3 (total change, 2/3)', () => {
    const abc = ['a', 'a', 'b', 'b', 'c', 'c'];
    assertClose(lInfinityOf(abc, [...abc, 'd'])!, 1 / 7, TIGHT);
    assert.equal(lInfinityOf(abc, abc), 0);
    assertClose(lInfinityOf(abc, ['b', 'b', 'b', 'b', 'b'])!, 2 / 3, TIGHT);
    assertClose(lInfinityDistance([2, 2, 2, 0], [2, 2, 2, 1]), 1 / 7, TIGHT);
  });

  test('chi-squared homogeneity of [30, 20] vs [20, 30] is X^2 = 4 on 1 dof, p = chi2.sf(4, 1)', () => {
    const result = chiSquareHomogeneity([30, 20], [20, 30]);
    assert.equal(result.statistic, 4);
    assert.equal(result.degreesOfFreedom, 1);
    assertClose(result.pValue, 0.04550026389635857, { relative: 1e-12 });
  });

  test('chi-squared drops buckets empty in both and reports p = 1 with 0 dof for one bucket, as scipy', () => {
    assert.deepEqual(chiSquareHomogeneity([30, 0], [20, 0]), {
      statistic: 0,
      degreesOfFreedom: 0,
      pValue: 1,
    });
    assert.deepEqual(
      chiSquareHomogeneity([0, 30, 20], [0, 20, 30]),
      chiSquareHomogeneity([30, 20], [20, 30]),
    );
  });

  test('out-of-range share counts values strictly outside the closed reference range', () => {
    assert.equal(outOfRangeShare(Float64Array.of(-1, 0, 5, 10, 11), 0, 10), 0.4);
    assert.equal(outOfRangeShare(Float64Array.of(0, 10), 0, 10), 0);
    assert.equal(outOfRangeShare(Float64Array.of(3, 3, 3), 5, 5), 1);
  });

  test('the missing-share interval is Newcombe 1998 example N-1 (56/70 vs 48/80)', () => {
    const interval = missingShareDifference({ rows: 70, missing: 56 }, { rows: 80, missing: 48 });
    assertClose(interval.lower, 0.0524, { absolute: 1e-4 });
    assertClose(interval.upper, 0.3339, { absolute: 1e-4 });
  });
});

describe('feature statistics: refusals', () => {
  const numeric: DecodedColumn = { kind: 'numeric', values: Float64Array.of(1, 2, 3) };
  const categorical: DecodedColumn = { kind: 'categorical', categories: ['a'], codes: Int32Array.of(0, 0) };

  test('refuses a batch column of the other kind, naming both kinds', () => {
    assert.throws(
      () => computeFeatureStatistics(summarizeFeature(numeric), categorical),
      (error: unknown) => error instanceof RangeError && /numeric, got categorical/.test(error.message),
    );
    assert.throws(() => computeFeatureStatistics(summarizeFeature(categorical), numeric), RangeError);
  });

  test('refuses codes outside [-1, categories), naming the position', () => {
    const bad: DecodedColumn = { kind: 'categorical', categories: ['a'], codes: Int32Array.of(0, 1) };
    assert.throws(() => summarizeFeature(bad), /codes\[1\] is 1/);
    assert.throws(() => computeFeatureStatistics(summarizeFeature(categorical), bad), /codes\[1\] is 1/);
    const negative: DecodedColumn = { kind: 'categorical', categories: ['a'], codes: Int32Array.of(-2) };
    assert.throws(() => summarizeFeature(negative), /codes\[0\] is -2/);
  });

  test('refuses columns without rows (the missing share is then undefined)', () => {
    const empty: DecodedColumn = { kind: 'numeric', values: new Float64Array(0) };
    assert.throws(() => computeFeatureStatistics(summarizeFeature(numeric), empty), /at least one row/);
    assert.throws(() => computeFeatureStatistics(summarizeFeature(empty), numeric), /at least one row/);
  });
});
