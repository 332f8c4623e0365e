import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { srmPValue } from '../../../../shared/stats/lift/sampleRatioMismatch.js';
import { assertClose } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

interface SrmGoldenCase {
  name: string;
  treatmentUnits: number;
  controlUnits: number;
  plannedTreatmentShare: number;
  /** scipy's p-value, 0 below the smallest normal double. */
  expected: number;
  /** The same in 50-digit mpmath, for the double share exactly. */
  exact: number;
}

const golden = readGolden<{ scipy: string; mpmath: string; cases: SrmGoldenCase[] }>('srm.json');

describe(`the sample ratio mismatch p-value agrees with scipy ${golden.scipy} chisquare`, () => {
  for (const c of golden.cases) {
    test(c.name, () => {
      const p = srmPValue(c.treatmentUnits, c.controlUnits, c.plannedTreatmentShare);
      if (c.expected === 0) {
        assert.equal(p, 0, 'below the smallest normal double the p-value is 0');
        return;
      }
      // scipy rounds N s in its expected counts: up to ~3e-12 relative near 1e-300 (see the generator).
      assertClose(p, c.expected, { relative: 5e-12 }, 'against scipy');
      assertClose(p, c.exact, { relative: 1e-12 }, `against mpmath ${golden.mpmath}`);
    });
  }

  test('covers tiny arms, very unequal shares, exact matches and p-values near 1e-300', () => {
    const cases = golden.cases;
    assert.ok(cases.some((c) => c.treatmentUnits + c.controlUnits <= 2));
    assert.ok(cases.some((c) => c.plannedTreatmentShare === 0.999));
    assert.ok(cases.some((c) => c.plannedTreatmentShare === 0.001));
    assert.ok(cases.some((c) => c.exact === 1 && c.treatmentUnits > 0));
    assert.ok(cases.some((c) => c.exact > 1e-301 && c.exact < 1e-299));
    assert.ok(cases.some((c) => c.expected === 0));
  });

  test('an exact match gives 1', () => {
    assert.equal(srmPValue(750, 250, 0.75), 1);
    assert.equal(srmPValue(5000, 5000, 0.5), 1);
    // 0.9 is not a double: 1000 x 0.9 exceeds 900 by 2.2e-14, so the p-value is 1 - 2e-15.
    assertClose(srmPValue(900, 100, 0.9), 1, { absolute: 1e-14 });
  });
});

describe('srmPValue at the edges of the open interval', () => {
  test('a unit in an arm planned at the smallest double gives 0, an empty one 1', () => {
    assert.equal(srmPValue(1, 1, 5e-324), 0);
    assert.equal(srmPValue(1e15, 1e15, 1e-300), 0);
    assert.equal(srmPValue(0, 1, 5e-324), 1);
    assert.equal(srmPValue(0, 10, 1 - 2 ** -53), 0);
    // X^2 = N (1 - s) / s = 1.1e-15, and erfc(sqrt(X^2 / 2)) ~ 1 - sqrt(2 X^2 / pi) = 1 - 2.7e-8.
    assertClose(srmPValue(10, 0, 1 - 2 ** -53), 1 - 2.66e-8, { absolute: 1e-9 });
  });
});

describe('srmPValue refuses what it cannot test', () => {
  for (const [name, nt, nc, share] of [
    ['a share of 0', 10, 10, 0],
    ['a share of 1', 10, 10, 1],
    ['a share above 1', 10, 10, 1.5],
    ['a NaN share', 10, 10, Number.NaN],
    ['no units', 0, 0, 0.5],
    ['negative units', -1, 10, 0.5],
    ['fractional units', 1.5, 10, 0.5],
  ] as const) {
    test(`throws on ${name}`, () => assert.throws(() => srmPValue(nt, nc, share), RangeError));
  }
});

const share = fc.double({ min: 0.001, max: 0.999, noNaN: true });
const arms = fc.tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 2_000_000 }));

describe('srmPValue properties', () => {
  test('is a probability', () => {
    fc.assert(
      fc.property(arms, share, ([nt, nc], s) => {
        fc.pre(nt + nc > 0);
        const p = srmPValue(nt, nc, s);
        return p >= 0 && p <= 1;
      }),
    );
  });

  test('is symmetric under swapping the arms with s and 1 - s', () => {
    // Shares k / 2^20, so that 1 - s is exact and the two sides test the same hypothesis.
    const dyadicShare = fc.integer({ min: 1, max: 2 ** 20 - 1 }).map((k) => k / 2 ** 20);
    fc.assert(
      fc.property(arms, dyadicShare, ([nt, nc], s) => {
        fc.pre(nt + nc > 0);
        const p = srmPValue(nt, nc, s);
        const swapped = srmPValue(nc, nt, 1 - s);
        assertClose(swapped, p, { relative: 1e-12, absolute: 1e-300 }, `${nt}/${nc} at ${s}`);
      }),
    );
  });

  test('decreases as the imbalance grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        share,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (total, s, near, further) => {
          // Two treatment counts on the same side of N s, the second further from it.
          const expected = total * s;
          for (const direction of [1, -1]) {
            const a = Math.round(expected + direction * near);
            const b = a + direction * further;
            if (a < 0 || a > total || b < 0 || b > total) continue;
            if (Math.sign(a - expected) !== direction && a !== Math.round(expected)) continue;
            const pNear = srmPValue(a, total - a, s);
            const pFar = srmPValue(b, total - b, s);
            if (!(pFar <= pNear * (1 + 1e-12))) return false;
          }
          return true;
        },
      ),
    );
  });
});
