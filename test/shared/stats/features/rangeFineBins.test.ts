/**
 * withRangeEdges and nextDoubleUp (shared/stats/features/rangeFineBins.ts): the reference range as two more fine
 * edges, and the next double above a value, against numpy's nextafter(x, inf) and against the IEEE 754 bit order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { nextDoubleUp, withRangeEdges } from '../../../../shared/stats/features/rangeFineBins.js';

/** [x, np.nextafter(x, np.inf)] printed by python3 -c 'import numpy as np; print(repr(x), repr(np.nextafter(x, np.inf)))'. */
const NUMPY_NEXTAFTER: [number, number][] = [
  [0.0, 5e-324],
  [-0.0, 5e-324],
  [5e-324, 1e-323],
  [-5e-324, -0.0],
  [1e-323, 1.5e-323],
  [2.2250738585072014e-308, 2.225073858507202e-308],
  [2.225073858507201e-308, 2.2250738585072014e-308],
  [-2.2250738585072014e-308, -2.225073858507201e-308],
  [1.0, 1.0000000000000002],
  [-1.0, -0.9999999999999999],
  [0.1, 0.10000000000000002],
  [-0.1, -0.09999999999999999],
  [1e9, 1000000000.0000001],
  [-1e9, -999999999.9999999],
  [1.7976931348623155e308, 1.7976931348623157e308],
  [-1.7976931348623157e308, -1.7976931348623155e308],
  [123.456, 123.45600000000002],
  [-3.5, -3.4999999999999996],
  [-1.5e-323, -1e-323],
  [4503599627370496.0, 4503599627370497.0],
  [9007199254740991.0, 9007199254740992.0],
];

/**
 * The position of x in the order of doubles as a signed integer: the bits for x >= 0, minus the magnitude bits for
 * x < 0, so -0 and 0 share position 0 and consecutive doubles have consecutive positions.
 */
function orderPosition(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const magnitude = bits & 0x7fff_ffff_ffff_ffffn;
  return bits >> 63n === 0n ? magnitude : -magnitude;
}

describe('nextDoubleUp', () => {
  test('equals numpy nextafter(x, inf), the sign of -0 included', () => {
    for (const [x, expected] of NUMPY_NEXTAFTER)
      assert.ok(Object.is(nextDoubleUp(x), expected), `${x}: ${nextDoubleUp(x)} vs ${expected}`);
  });

  test('is the smallest double greater than x: one step on in the bit order, nothing between (any finite x)', () => {
    const finite = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -1e-305, max: 1e-305, noNaN: true }),
      fc.integer({ min: -1000, max: 1000 }).map((k) => k * Number.MIN_VALUE),
    );
    fc.assert(
      fc.property(
        finite.filter((x) => x !== Number.MAX_VALUE),
        (x) => {
          const up = nextDoubleUp(x);
          assert.ok(up > x, `${up} > ${x}`);
          assert.equal(orderPosition(up), orderPosition(x) + 1n);
          // No double strictly between: the midpoint rounds to one of the two (halved first only where the sum
          // could overflow; halving is exact there).
          const middle = Math.abs(x) < 1e300 ? (x + up) / 2 : x / 2 + up / 2;
          assert.ok(middle === x || middle === up, `${middle} between ${x} and ${up}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('the largest double steps to Infinity', () => {
    assert.equal(nextDoubleUp(Number.MAX_VALUE), Number.POSITIVE_INFINITY);
    assert.equal(nextDoubleUp(-Number.MAX_VALUE), -1.7976931348623155e308);
  });
});

describe('withRangeEdges', () => {
  test('adds min and nextUp(max) as edges, with empty outer bins', () => {
    const fine = withRangeEdges({ edges: Float64Array.of(2, 3), referenceCounts: [1, 1, 2] }, 1, 4);
    assert.deepEqual([...fine.edges], [1, 2, 3, 4.000000000000001]);
    assert.deepEqual(fine.referenceCounts, [0, 1, 1, 2, 0]);
  });

  test('does not add the minimum again when it is already the first edge (ties at the minimum)', () => {
    const fine = withRangeEdges({ edges: Float64Array.of(1, 3), referenceCounts: [0, 2, 2] }, 1, 5);
    assert.deepEqual([...fine.edges], [1, 3, nextDoubleUp(5)]);
    assert.deepEqual(fine.referenceCounts, [0, 2, 2, 0]);
  });

  test('a constant reference (no quantile edge) gets the two range edges around its one value', () => {
    const fine = withRangeEdges({ edges: new Float64Array(0), referenceCounts: [7] }, -0.5, -0.5);
    assert.deepEqual([...fine.edges], [-0.5, nextDoubleUp(-0.5)]);
    assert.deepEqual(fine.referenceCounts, [0, 7, 0]);
  });

  test('keeps the edges strictly increasing and the reference total, for any edges within [min, max]', () => {
    const input = fc
      .uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
        minLength: 2,
        maxLength: 30,
      })
      .map((xs) => xs.sort((a, b) => a - b).filter((x, i, sorted) => i === 0 || x !== sorted[i - 1]));
    fc.assert(
      fc.property(input, fc.nat(3), (sorted, drop) => {
        if (sorted.length < 2) return;
        const min = sorted[0]!;
        const max = sorted[sorted.length - 1]!;
        // Quantile edges: the inner points, and the minimum itself in some cases (drop 0).
        const edges = drop === 0 ? sorted.slice(0, -1) : sorted.slice(1, -1);
        // No reference value lies below the minimum: the bin below a first edge at the minimum is empty.
        const referenceCounts = Array.from({ length: edges.length + 1 }, (_, i) =>
          i === 0 && drop === 0 ? 0 : i + 1,
        );
        const fine = withRangeEdges({ edges: Float64Array.from(edges), referenceCounts }, min, max);
        assert.equal(fine.edges[0], min);
        assert.equal(fine.edges[fine.edges.length - 1], nextDoubleUp(max));
        for (let i = 1; i < fine.edges.length; i++) assert.ok(fine.edges[i - 1]! < fine.edges[i]!);
        assert.equal(fine.referenceCounts.length, fine.edges.length + 1);
        assert.equal(fine.referenceCounts[0], 0);
        assert.equal(fine.referenceCounts[fine.referenceCounts.length - 1], 0);
        const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        assert.equal(total(fine.referenceCounts), total(referenceCounts));
      }),
      { numRuns: 300 },
    );
  });

  test('refuses a non-finite or reversed range, edges outside it, and misaligned counts', () => {
    const fine = { edges: Float64Array.of(2), referenceCounts: [1, 1] };
    assert.throws(() => withRangeEdges(fine, 3, 1), RangeError);
    assert.throws(() => withRangeEdges(fine, Number.NaN, 3), RangeError);
    assert.throws(() => withRangeEdges(fine, 1, Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => withRangeEdges(fine, 2.5, 3), RangeError);
    assert.throws(() => withRangeEdges(fine, 0, 1.5), RangeError);
    assert.throws(
      () => withRangeEdges({ edges: Float64Array.of(2), referenceCounts: [1] }, 1, 3),
      RangeError,
    );
  });
});
