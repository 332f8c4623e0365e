/**
 * Counted FeatureBatch columns on random data (fast-check): a numeric batch counted in the feature's fine bins (by
 * an independent searchsorted, side="right", as the producer's numpy would) gives the raw column's psi, psiNull99,
 * jsDistance, outOfRangeShare, n and missing shares, and KS / Wasserstein bounds that contain the raw statistics; a
 * categorical batch counted by name gives exactly the raw column's statistics.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type {
  BinnedNumericColumn,
  CountedCategoricalColumn,
  NumericColumn,
} from '../../shared/contracts/featureColumns.js';
import { MAX_VALUE_MAGNITUDE } from '../../shared/contracts/index.js';
import {
  MAX_KEPT_CATEGORIES,
  type NumericFeatureSummary,
  summarizeFeature,
} from '../../shared/stats/features/featureSummary.js';
import { nextDoubleUp } from '../../shared/stats/features/rangeFineBins.js';
import {
  computeFeatureStatistics,
  type NumericFeatureStatistics,
} from '../../shared/stats/features/suite.js';
import { categoricalColumn, searchSortedRight } from '../support/featureMessages.js';

const RUNS = 200;
const RELATIVE = 1e-12;

/** The batch counted in the summary's fine bins, missing values (NaN) counted apart. */
function binColumn(summary: NumericFeatureSummary, values: number[]): BinnedNumericColumn {
  const edges = summary.values?.fine?.edges ?? new Float64Array(0);
  const counts = new Array<number>(edges.length + 1).fill(0);
  let missing = 0;
  for (const x of values) {
    if (Number.isNaN(x)) missing++;
    else counts[searchSortedRight(edges, x)]!++;
  }
  return { kind: 'numeric', binCounts: { binning: '0123456789abcdef', counts }, missing };
}

function assertRelative(actual: number | undefined, expected: number | undefined, field: string): void {
  if (expected === undefined) {
    assert.equal(actual, undefined, field);
    return;
  }
  assert.ok(actual !== undefined, `${field} undefined, expected ${expected}`);
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= RELATIVE * scale, `${field}: ${actual} vs ${expected}`);
}

/** A value scale: tiny ranges (a few ulps around 1, near 1e-300), unit ones, the largest a contract accepts. */
const valuesAround = (missingWeight: number) =>
  fc
    .constantFrom(
      (t: number) => 1 + Math.round(t * 8) * Number.EPSILON,
      (t: number) => 1e-300 * (1 + Math.round(t * 4)),
      (t: number) => Math.round(t * 10) - 5,
      (t: number) => t * 200 - 100,
      (t: number) => (t * 2 - 1) * MAX_VALUE_MAGNITUDE,
    )
    .chain((scale) => {
      // Positions in [-0.5, 1.5] so the batch is partly outside the reference's [0, 1] positions.
      const value = (low: number, high: number) =>
        fc.oneof(
          { arbitrary: fc.double({ min: low, max: high, noNaN: true }).map(scale), weight: 4 },
          { arbitrary: fc.constant(Number.NaN), weight: missingWeight },
        );
      return fc.tuple(
        fc.array(value(0, 1), { minLength: 1, maxLength: 300 }),
        fc.array(value(-0.5, 1.5), { minLength: 1, maxLength: 300 }),
        fc.constant(scale),
      );
    });

const numeric = (values: number[]): NumericColumn => ({ kind: 'numeric', values: Float64Array.from(values) });

function rawAndBinned(reference: number[], batch: number[]) {
  const summary = summarizeFeature(numeric(reference));
  assert.equal(summary.kind, 'numeric');
  const numericSummary = summary as NumericFeatureSummary;
  const raw = computeFeatureStatistics(numericSummary, numeric(batch)) as NumericFeatureStatistics;
  const binned = computeFeatureStatistics(
    numericSummary,
    binColumn(numericSummary, batch),
  ) as NumericFeatureStatistics;
  return { summary: numericSummary, raw, binned };
}

const EXACT = [
  'n',
  'nReference',
  'missingShare',
  'missingShareReference',
  'missingShareDiffLower',
  'missingShareDiffUpper',
  'psi',
  'psiNull99',
  'jsDistance',
  'outOfRangeShare',
] as const;

describe('binned numeric feature columns on random data', () => {
  test('psi, psiNull99, jsDistance, outOfRangeShare, n and the missing shares equal the raw column', () => {
    fc.assert(
      fc.property(valuesAround(1), ([reference, batch]) => {
        const { raw, binned } = rawAndBinned(reference, batch);
        for (const field of EXACT) assertRelative(binned[field], raw[field], field);
        assert.ok(!binned.approximate?.includes('outOfRangeShare'), 'outOfRangeShare is exact');
        if (raw.ksStatistic === undefined) assert.equal(binned.approximate, undefined);
        else assert.deepEqual(binned.approximate, ['ksStatistic', 'ksPValue', 'wassersteinNormed']);
      }),
      { numRuns: RUNS },
    );
  });

  test('the outOfRangeShare equals the brute-force share of the batch outside the reference range', () => {
    fc.assert(
      fc.property(valuesAround(1), ([reference, batch]) => {
        const { summary, binned } = rawAndBinned(reference, batch);
        const present = batch.filter((x) => !Number.isNaN(x));
        if (present.length === 0 || summary.values === undefined) return;
        const outside = present.filter((x) => x < summary.min || x > summary.max).length;
        assert.equal(binned.outOfRangeShare, outside / present.length);
      }),
      { numRuns: RUNS },
    );
  });

  test('KS lower <= raw KS <= ksStatisticUpperBound, binned ksPValue >= raw, Wasserstein lower <= raw', () => {
    fc.assert(
      fc.property(valuesAround(1), ([reference, batch]) => {
        const { raw, binned } = rawAndBinned(reference, batch);
        if (raw.ksStatistic === undefined) {
          assert.equal(binned.ksStatistic, undefined);
          return;
        }
        const ks = raw.ksStatistic;
        assert.ok(binned.ksStatistic! <= ks * (1 + RELATIVE), `${binned.ksStatistic} > ${ks}`);
        assert.ok(ks <= binned.ksStatisticUpperBound! * (1 + RELATIVE), `${ks} > upper`);
        assert.ok(binned.ksPValue! >= raw.ksPValue! * (1 - RELATIVE), `${binned.ksPValue} < ${raw.ksPValue}`);
        const w = raw.wassersteinNormed!;
        assert.ok(
          binned.wassersteinNormed! <= w * (1 + RELATIVE) + 1e-300,
          `${binned.wassersteinNormed} > ${w}`,
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('raw wassersteinNormed <= wassersteinNormedUpperBound for a batch within the reference range', () => {
    fc.assert(
      fc.property(valuesAround(1), ([reference, batch]) => {
        const present = reference.filter((x) => !Number.isNaN(x));
        if (present.length === 0) return;
        const low = Math.min(...present);
        const high = Math.max(...present);
        const within = batch.map((x) => (Number.isNaN(x) ? x : Math.min(high, Math.max(low, x))));
        const { raw, binned } = rawAndBinned(reference, within);
        if (raw.wassersteinNormed === undefined) return;
        assert.equal(binned.outOfRangeShare, 0);
        const bound = binned.wassersteinNormedUpperBound!;
        assert.ok(
          raw.wassersteinNormed <= bound * (1 + RELATIVE) + 1e-300,
          `${raw.wassersteinNormed} > ${bound}`,
        );
        assert.ok(binned.wassersteinNormed! <= raw.wassersteinNormed * (1 + RELATIVE) + 1e-300);
      }),
      { numRuns: RUNS },
    );
  });

  test('batch values at the range ends and one double beyond them are counted in or out exactly as raw', () => {
    fc.assert(
      fc.property(
        valuesAround(1),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 40 }),
        ([reference], picks) => {
          const present = reference.filter((x) => !Number.isNaN(x));
          if (present.length === 0) return;
          const min = Math.min(...present);
          const max = Math.max(...present);
          const ends = [min, max, nextDoubleUp(max), -nextDoubleUp(-min), Number.NaN, present[0]!];
          const batch = picks.map((p) => ends[p]!);
          const { raw, binned } = rawAndBinned(reference, batch);
          for (const field of EXACT) assertRelative(binned[field], raw[field], field);
          const presentBatch = batch.filter((x) => !Number.isNaN(x));
          if (presentBatch.length === 0) return;
          const outside = presentBatch.filter((x) => x < min || x > max).length;
          assert.equal(binned.outOfRangeShare, outside / presentBatch.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('a batch with every value missing, or a reference with every value missing, defines no distribution statistic', () => {
    fc.assert(
      fc.property(valuesAround(1), fc.nat(5), ([reference, batch], extra) => {
        const allMissing = Array<number>(extra + 1).fill(Number.NaN);
        for (const [r, b] of [
          [reference, allMissing],
          [allMissing, batch],
        ] as const) {
          const { raw, binned } = rawAndBinned(r, b);
          assert.deepEqual(
            Object.keys(binned).sort(),
            Object.keys(raw).sort(),
            'the same statistics are defined',
          );
          for (const field of EXACT) assertRelative(binned[field], raw[field], field);
        }
      }),
      { numRuns: 50 },
    );
  });
});

/** The same values counted by name, names in an order of their own (reversed first appearance). */
function countByName(values: (string | null)[]): CountedCategoricalColumn {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of [...values].reverse()) {
    if (value === null) missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { kind: 'categorical', counts, missing };
}

const SPECIAL = ['__proto__', 'constructor', 'toString', '__other__', '__unseen__', 'hasOwnProperty'];
const categoryName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:/+-]{1,6}$/), fc.constantFrom(...SPECIAL));

describe('counted categorical feature columns on random data', () => {
  test('counts by name give exactly the raw statistics, special names and names outside the reference included', () => {
    const pool = fc.uniqueArray(categoryName, { minLength: 1, maxLength: 12 });
    const values = (names: string[]) =>
      fc.array(fc.option(fc.constantFrom(...names), { freq: 5 }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(
        pool.chain((names) => fc.tuple(values(names), values(names))),
        ([reference, batch]) => {
          const summary = summarizeFeature(categoricalColumn(reference));
          assert.deepEqual(
            computeFeatureStatistics(summary, countByName(batch)),
            computeFeatureStatistics(summary, categoricalColumn(batch)),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('with more than MAX_KEPT_CATEGORIES reference categories (pooled as __other__) the same holds', () => {
    const many = fc.integer({ min: MAX_KEPT_CATEGORIES + 1, max: MAX_KEPT_CATEGORIES + 200 }).chain((k) =>
      fc.tuple(
        fc.constant(k),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: k, maxLength: k }),
        fc.array(fc.option(fc.integer({ min: 0, max: k + 20 }), { freq: 8 }), {
          minLength: 1,
          maxLength: 400,
        }),
      ),
    );
    fc.assert(
      fc.property(many, ([k, repeats, picks]) => {
        const names = Array.from({ length: k }, (_, i) => (i === 7 ? '__proto__' : `c${i}`));
        const reference = names.flatMap((name, i) => Array<string>(repeats[i]!).fill(name));
        // Picks beyond k are names the reference never saw.
        const batch = picks.map((p) => (p === null ? null : p < k ? names[p]! : `new${p}`));
        const summary = summarizeFeature(categoricalColumn(reference));
        assert.equal(summary.kind === 'categorical' && summary.otherCount > 0, true);
        assert.deepEqual(
          computeFeatureStatistics(summary, countByName(batch)),
          computeFeatureStatistics(summary, categoricalColumn(batch)),
        );
      }),
      { numRuns: 30 },
    );
  });

  test('a counted __proto__ category counts as a category, not as a prototype', () => {
    const summary = summarizeFeature(categoricalColumn(['__proto__', '__proto__', 'a', null]));
    const counted = computeFeatureStatistics(summary, {
      kind: 'categorical',
      counts: new Map([['__proto__', 3]]),
      missing: 1,
    });
    assert.deepEqual(
      counted,
      computeFeatureStatistics(summary, categoricalColumn(['__proto__', '__proto__', '__proto__', null])),
    );
    assert.equal(counted.n, 3);
    assert.equal(counted.kind === 'categorical' && counted.unseenShare, 0);
  });
});
