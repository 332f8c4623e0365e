/**
 * The feature statistics on arbitrary columns (fast-check): summarizeFeature and computeFeatureStatistics. Whatever
 * the columns, every statistic is finite and within its bounds, defined exactly when both sides have a
 * non-missing value; identical columns show no drift; the categorical statistics depend on the values only, not on
 * how the producer numbered or ordered the categories and rows; the summary keeps categories by the documented
 * order rule.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type {
  CategoricalColumn,
  DecodedColumn,
  NumericColumn,
} from '../../shared/contracts/featureColumns.js';
import { MAX_VALUE_MAGNITUDE } from '../../shared/contracts/index.js';
import { chiSquareHomogeneity } from '../../shared/stats/features/chiSquareHomogeneity.js';
import { MAX_KEPT_CATEGORIES, summarizeFeature } from '../../shared/stats/features/featureSummary.js';
import { lInfinityDistance } from '../../shared/stats/features/lInfinityDistance.js';
import { missingShareDifference } from '../../shared/stats/features/missingShareDifference.js';
import { outOfRangeShare } from '../../shared/stats/features/outOfRangeShare.js';
import { computeFeatureStatistics, type FeatureStatistics } from '../../shared/stats/features/suite.js';
import { categoricalColumn } from '../support/featureMessages.js';

const RUNS = 200;
const ROUNDING = 1e-12;

/** Any value a contract accepts, integer-valued ones with many ties, and missing ones. */
const numericValue = fc.oneof(
  { arbitrary: fc.double({ min: -MAX_VALUE_MAGNITUDE, max: MAX_VALUE_MAGNITUDE, noNaN: true }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 3 },
  { arbitrary: fc.constant(Number.NaN), weight: 1 },
);
const numericColumn: fc.Arbitrary<NumericColumn> = fc
  .array(numericValue, { minLength: 1, maxLength: 300, size: 'medium' })
  .map((values) => ({ kind: 'numeric', values: Float64Array.from(values) }));

const categoryName = fc.stringMatching(/^[A-Za-z0-9_.:/+-]{1,6}$/);
/** Values drawn from a small pool of names (so both sides share some), null = missing. */
const categoricalValues = (pool: string[]) =>
  fc.array(fc.option(fc.constantFrom(...pool), { freq: 6 }), {
    minLength: 1,
    maxLength: 300,
    size: 'medium',
  });
const pools = fc.uniqueArray(categoryName, { minLength: 1, maxLength: 10 });
const categoricalPair = pools.chain((pool) => fc.tuple(categoricalValues(pool), categoricalValues(pool)));

/** The same column with its categories listed in another order (codes renumbered to match). */
function relabel(column: CategoricalColumn, order: number[]): CategoricalColumn {
  const categories = order.map((i) => column.categories[i]!);
  const newCode = new Int32Array(order.length);
  order.forEach((oldCode, position) => {
    newCode[oldCode] = position;
  });
  return {
    kind: 'categorical',
    categories,
    codes: column.codes.map((code) => (code < 0 ? code : newCode[code]!)),
  };
}

function statistics(reference: DecodedColumn, batch: DecodedColumn): FeatureStatistics {
  return computeFeatureStatistics(summarizeFeature(reference), batch);
}

const DISTRIBUTION = {
  numeric: [
    'psi',
    'psiNull99',
    'jsDistance',
    'ksStatistic',
    'ksPValue',
    'wassersteinNormed',
    'outOfRangeShare',
  ],
  categorical: ['psi', 'psiNull99', 'jsDistance', 'lInfinity', 'chiSquarePValue', 'unseenShare', 'buckets'],
} as const;

function assertWithinBounds(result: FeatureStatistics): void {
  const record = result as unknown as Record<string, number | undefined>;
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'kind') assert.ok(Number.isFinite(value), `${key} is ${value}`);
  }
  for (const share of [result.missingShare, result.missingShareReference])
    assert.ok(share >= 0 && share <= 1);
  const difference = result.missingShare - result.missingShareReference;
  assert.ok(result.missingShareDiffLower <= difference + ROUNDING, 'lower <= difference');
  assert.ok(difference <= result.missingShareDiffUpper + ROUNDING, 'difference <= upper');
  assert.ok(result.missingShareDiffLower >= -1 - ROUNDING && result.missingShareDiffUpper <= 1 + ROUNDING);
  const defined = result.n > 0 && result.nReference > 0;
  for (const key of DISTRIBUTION[result.kind]) {
    assert.equal(
      record[key] !== undefined,
      defined,
      `${key} is defined exactly when n > 0 and nReference > 0`,
    );
  }
  if (!defined) return;
  assert.ok(result.psi! >= 0 && result.psiNull99! >= 0);
  assert.ok(result.jsDistance! >= 0 && result.jsDistance! <= 1 + ROUNDING);
  if (result.kind === 'numeric') {
    assert.ok(result.ksStatistic! >= 0 && result.ksStatistic! <= 1);
    assert.ok(result.ksPValue! >= 0 && result.ksPValue! <= 1);
    assert.ok(result.outOfRangeShare! >= 0 && result.outOfRangeShare! <= 1);
    assert.ok(result.wassersteinNormed! >= 0);
  } else {
    assert.ok(result.lInfinity! >= 0 && result.lInfinity! <= 1);
    assert.ok(result.chiSquarePValue! >= 0 && result.chiSquarePValue! <= 1);
    assert.ok(result.unseenShare! >= 0 && result.unseenShare! <= 1);
    assert.ok(Number.isInteger(result.buckets) && result.buckets! >= 1);
  }
}

describe('feature statistics: bounds', () => {
  test('numeric: every statistic is finite, within its bounds, and defined exactly when both sides have values', () => {
    fc.assert(
      fc.property(numericColumn, numericColumn, (reference, batch) => {
        assertWithinBounds(statistics(reference, batch));
      }),
      { numRuns: RUNS },
    );
  });

  test('categorical: the same, with unseen categories on either side', () => {
    const values = categoricalValues(['a', 'b', 'c', 'D', 'e.f', '0']);
    fc.assert(
      fc.property(values, values, (reference, batch) => {
        assertWithinBounds(statistics(categoricalColumn(reference), categoricalColumn(batch)));
      }),
      { numRuns: RUNS },
    );
  });

  test('the missing-share interval contains the difference, inside [-1, 1], for any counts', () => {
    const counts = fc
      .integer({ min: 1, max: 1_000_000 })
      .chain((rows) => fc.record({ rows: fc.constant(rows), missing: fc.integer({ min: 0, max: rows }) }));
    fc.assert(
      fc.property(counts, counts, (batch, reference) => {
        const interval = missingShareDifference(batch, reference);
        assert.ok(interval.lower <= interval.difference && interval.difference <= interval.upper);
        assert.ok(interval.lower >= -1 - ROUNDING && interval.upper <= 1 + ROUNDING);
        // Swapping the columns mirrors the interval exactly.
        const swapped = missingShareDifference(reference, batch);
        assert.equal(swapped.lower, -interval.upper);
        assert.equal(swapped.upper, -interval.lower);
      }),
      { numRuns: RUNS },
    );
  });

  test('out-of-range share is the brute-force share of values outside [min, max]', () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 100 });
    fc.assert(
      fc.property(sample, fc.integer({ min: -15, max: 15 }), fc.nat(10), (values, min, width) => {
        const max = min + width;
        const expected = values.filter((x) => x < min || x > max).length / values.length;
        assert.equal(outOfRangeShare(Float64Array.from(values).sort(), min, max), expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('feature statistics: no drift between identical columns', () => {
  test('numeric: psi, JS, KS and out-of-range share 0, KS p-value 1, a missing-share interval around 0', () => {
    fc.assert(
      fc.property(numericColumn, (column) => {
        const result = statistics(column, column);
        assert.equal(result.kind, 'numeric');
        assert.equal(result.missingShareDiffLower, -result.missingShareDiffUpper);
        if (result.kind !== 'numeric' || result.n === 0) return;
        assert.equal(result.psi, 0);
        assert.equal(result.jsDistance, 0);
        assert.equal(result.ksStatistic, 0);
        assert.equal(result.ksPValue, 1);
        assert.equal(result.wassersteinNormed, 0);
        assert.equal(result.outOfRangeShare, 0);
      }),
      { numRuns: RUNS },
    );
  });

  test('categorical: psi, JS, L-infinity and unseen share 0, chi-squared p-value 1', () => {
    fc.assert(
      fc.property(
        pools.chain((pool) => categoricalValues(pool)),
        (values) => {
          const result = statistics(categoricalColumn(values), categoricalColumn(values));
          assert.equal(result.kind, 'categorical');
          if (result.kind !== 'categorical' || result.n === 0) return;
          assert.equal(result.psi, 0);
          assert.equal(result.jsDistance, 0);
          assert.equal(result.lInfinity, 0);
          assert.equal(result.unseenShare, 0);
          assert.equal(result.chiSquarePValue, 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('categorical: a batch whose counts are a whole multiple of the reference counts has p-value 1 and no drift', () => {
    fc.assert(
      fc.property(
        pools.chain((pool) => categoricalValues(pool)),
        fc.integer({ min: 2, max: 5 }),
        (values, times) => {
          const repeated = Array.from({ length: times }, () => values).flat();
          const result = statistics(categoricalColumn(values), categoricalColumn(repeated));
          if (result.kind !== 'categorical' || result.n === 0) return;
          assertClose(result.chiSquarePValue!, 1);
          assertClose(result.lInfinity!, 0);
          assertClose(result.psi!, 0);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function assertClose(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= ROUNDING, `got ${actual}, expected ${expected}`);
}

describe('feature statistics: invariance and symmetry', () => {
  test('categorical statistics do not depend on how either column numbers its categories or orders its rows', () => {
    fc.assert(
      fc.property(
        categoricalPair.chain(([reference, batch]) => {
          const r = categoricalColumn(reference);
          const b = categoricalColumn(batch);
          const order = (k: number) =>
            fc.shuffledSubarray([...Array(k).keys()], { minLength: k, maxLength: k });
          return fc.tuple(
            fc.constant(r),
            fc.constant(b),
            order(r.categories.length),
            order(b.categories.length),
            fc.shuffledSubarray([...Array(batch.length).keys()], {
              minLength: batch.length,
              maxLength: batch.length,
            }),
          );
        }),
        ([reference, batch, referenceOrder, batchOrder, rowOrder]) => {
          const expected = statistics(reference, batch);
          assert.deepEqual(
            statistics(relabel(reference, referenceOrder), relabel(batch, batchOrder)),
            expected,
          );
          const shuffled = { ...batch, codes: Int32Array.from(rowOrder, (row) => batch.codes[row]!) };
          assert.deepEqual(statistics(reference, shuffled), expected);
          assert.deepEqual(summarizeFeature(relabel(reference, referenceOrder)), summarizeFeature(reference));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('numeric statistics do not depend on the order of the rows', () => {
    fc.assert(
      fc.property(
        numericColumn,
        numericColumn.chain((batch) =>
          fc.tuple(
            fc.constant(batch),
            fc.shuffledSubarray([...batch.values.keys()], {
              minLength: batch.values.length,
              maxLength: batch.values.length,
            }),
          ),
        ),
        (reference, [batch, order]) => {
          const shuffled: NumericColumn = {
            kind: 'numeric',
            values: Float64Array.from(order, (i) => batch.values[i]!),
          };
          assert.deepEqual(statistics(reference, shuffled), statistics(reference, batch));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('L-infinity and the chi-squared test are symmetric in their two histograms', () => {
    const counts = fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const length = Math.min(a.length, b.length);
        const p = a.slice(0, length).map((x) => x + 1);
        const q = b.slice(0, length).map((x, i) => (i === 0 ? x + 1 : x));
        assert.equal(lInfinityDistance(p, q), lInfinityDistance(q, p));
        const forward = chiSquareHomogeneity(p, q);
        const backward = chiSquareHomogeneity(q, p);
        assert.equal(forward.degreesOfFreedom, backward.degreesOfFreedom);
        assert.ok(
          Math.abs(forward.statistic - backward.statistic) <= ROUNDING * Math.max(1, forward.statistic),
        );
        assert.ok(Math.abs(forward.pValue - backward.pValue) <= ROUNDING);
      }),
      { numRuns: RUNS },
    );
  });

  test('categorical: swapping reference and batch over the same categories leaves PSI, JS, L-infinity and p alone', () => {
    fc.assert(
      fc.property(
        categoricalPair.filter(([r, b]) => sameNames(r, b)),
        ([reference, batch]) => {
          const forward = statistics(categoricalColumn(reference), categoricalColumn(batch));
          const backward = statistics(categoricalColumn(batch), categoricalColumn(reference));
          if (forward.kind !== 'categorical' || backward.kind !== 'categorical' || forward.n === 0) return;
          for (const key of ['psi', 'jsDistance', 'lInfinity', 'chiSquarePValue', 'psiNull99'] as const) {
            assert.ok(Math.abs(forward[key]! - backward[key]!) <= ROUNDING * Math.max(1, forward[key]!), key);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function sameNames(a: (string | null)[], b: (string | null)[]): boolean {
  const left = new Set(a.filter((v) => v !== null));
  const right = new Set(b.filter((v) => v !== null));
  return left.size === right.size && [...left].every((v) => right.has(v));
}

describe('feature summary: which categories are kept', () => {
  /** 950 to 1,100 categories with counts 1-4 (many ties at the cut), names at random. */
  const manyCategories = fc
    .uniqueArray(categoryName, { minLength: 950, maxLength: 1100, size: 'max' })
    .chain((names) =>
      fc.tuple(
        fc.constant(names),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: names.length, maxLength: names.length }),
      ),
    );

  test('the most frequent MAX_KEPT_CATEGORIES are kept, ties by name ascending, the rest pooled', () => {
    fc.assert(
      fc.property(manyCategories, ([names, counts]) => {
        const values = names.flatMap((name, i) => Array<string>(counts[i]!).fill(name));
        const summary = summarizeFeature(categoricalColumn(values));
        assert.equal(summary.kind, 'categorical');
        if (summary.kind !== 'categorical') return;
        const ranked = names
          .map((name, i) => [name, counts[i]!] as const)
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
        const kept = ranked.slice(0, MAX_KEPT_CATEGORIES);
        assert.deepEqual(
          summary.categories,
          kept.map(([name]) => name),
        );
        assert.deepEqual(
          summary.counts,
          kept.map(([, count]) => count),
        );
        assert.equal(summary.otherCount, values.length - kept.reduce((sum, [, count]) => sum + count, 0));
        for (let i = 1; i < summary.counts.length; i++) {
          const order = summary.counts[i - 1]! - summary.counts[i]!;
          assert.ok(order > 0 || (order === 0 && summary.categories[i - 1]! < summary.categories[i]!));
        }
      }),
      { numRuns: 50 },
    );
  });

  test('a batch value outside the kept categories counts as __other__ when the reference pooled, else __unseen__', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1200 }),
        fc.integer({ min: 1, max: 50 }),
        (distinct, newValues) => {
          const reference = categoricalColumn(Array.from({ length: distinct }, (_, i) => `c${i}`));
          const batch = categoricalColumn(Array.from({ length: newValues }, (_, i) => `new${i}`));
          const result = statistics(reference, batch);
          assert.equal(result.kind, 'categorical');
          if (result.kind !== 'categorical') return;
          const pooled = distinct > MAX_KEPT_CATEGORIES;
          assert.equal(result.unseenShare, pooled ? 0 : 1);
          assert.equal(result.buckets, Math.min(distinct, MAX_KEPT_CATEGORIES) + 1);
        },
      ),
      { numRuns: 50 },
    );
  });
});
