/**
 * binnedOutOfRangeShare (shared/stats/features/binnedOutOfRangeShare.ts): for values counted in any left-closed
 * bins, lower <= the true share outside [min, max] <= upper; equal to it when the edges include min and
 * nextUp(max), as a numeric feature's fine bins do.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { binnedOutOfRangeShare } from '../../../../shared/stats/features/binnedOutOfRangeShare.js';
import { nextDoubleUp } from '../../../../shared/stats/features/rangeFineBins.js';

/** Counts of `values` in bins (-inf, e_0), [e_0, e_1), ..., [e_last, inf): numpy searchsorted side="right". */
function countIn(edges: Float64Array, values: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) counts[edges.filter((edge) => edge <= x).length]!++;
  return counts;
}

const trueShare = (values: number[], min: number, max: number) =>
  values.filter((x) => x < min || x > max).length / values.length;

/** Values with ties and exact hits on edges and on the range ends: small integers, halves, and a few ulps off. */
const value = fc.oneof(
  fc.integer({ min: -10, max: 10 }),
  fc.integer({ min: -20, max: 20 }).map((k) => k / 2),
  fc.integer({ min: -10, max: 10 }).map((k) => nextDoubleUp(k)),
  fc.double({ min: -12, max: 12, noNaN: true }),
);
const sortedUnique = (xs: number[]) =>
  Float64Array.from(new Set(xs.map((x) => (Object.is(x, -0) ? 0 : x)))).sort();
const range = fc.tuple(value, value).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

describe('binnedOutOfRangeShare', () => {
  test('the documented example', () => {
    assert.deepEqual(binnedOutOfRangeShare(Float64Array.of(0, 5, 10.000000000000002), [1, 2, 1, 0], 0, 10), {
      lower: 0.25,
      upper: 0.25,
    });
  });

  test('lower <= true share <= upper for arbitrary edges', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 12 }),
        fc.array(value, { minLength: 1, maxLength: 200 }),
        range,
        (edgeValues, values, [min, max]) => {
          const edges = sortedUnique(edgeValues);
          const bounds = binnedOutOfRangeShare(edges, countIn(edges, values), min, max);
          const share = trueShare(values, min, max);
          assert.ok(bounds.lower <= share, `lower ${bounds.lower} > ${share}`);
          assert.ok(share <= bounds.upper, `${share} > upper ${bounds.upper}`);
          assert.ok(bounds.lower >= 0 && bounds.upper <= 1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('exact when the edges include min and nextUp(max)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 12 }),
        fc.array(value, { minLength: 1, maxLength: 200 }),
        range,
        (edgeValues, values, [min, max]) => {
          const edges = sortedUnique([...edgeValues, min, nextDoubleUp(max)]);
          const bounds = binnedOutOfRangeShare(edges, countIn(edges, values), min, max);
          const share = trueShare(values, min, max);
          assert.equal(bounds.lower, share);
          assert.equal(bounds.upper, share);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('no edges: one bin that may hold values on both sides, so lower 0 and upper 1', () => {
    assert.deepEqual(binnedOutOfRangeShare(new Float64Array(0), [4], 0, 1), { lower: 0, upper: 1 });
  });

  test('refuses misaligned counts, a reversed range and no counted value', () => {
    assert.throws(() => binnedOutOfRangeShare(Float64Array.of(1), [1], 0, 2), RangeError);
    assert.throws(() => binnedOutOfRangeShare(Float64Array.of(1), [1, 1], 2, 0), RangeError);
    assert.throws(() => binnedOutOfRangeShare(Float64Array.of(1), [1, 1], Number.NaN, 0), RangeError);
    assert.throws(() => binnedOutOfRangeShare(Float64Array.of(1), [0, 0], 0, 2), RangeError);
  });
});
