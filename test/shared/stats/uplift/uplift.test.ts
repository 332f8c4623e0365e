import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { areaAboveRandom, trapezoidArea } from '../../../../shared/stats/uplift/curveArea.js';
import { downsampleCurve } from '../../../../shared/stats/uplift/downsampleCurve.js';
import { numpySum } from '../../../../shared/stats/uplift/numpySum.js';
import { perfectQiniCurve } from '../../../../shared/stats/uplift/perfectQiniCurve.js';
import { perfectUpliftCurve } from '../../../../shared/stats/uplift/perfectUpliftCurve.js';
import { qiniAuc } from '../../../../shared/stats/uplift/qiniAuc.js';
import { qiniCurve } from '../../../../shared/stats/uplift/qiniCurve.js';
import { rankByUplift } from '../../../../shared/stats/uplift/rankByUplift.js';
import { computeUplift } from '../../../../shared/stats/uplift/suite.js';
import { run, thresholdsOfRuns } from '../../../../shared/stats/uplift/thresholdsOfRuns.js';
import { upliftAtK } from '../../../../shared/stats/uplift/upliftAtK.js';
import { upliftAuc } from '../../../../shared/stats/uplift/upliftAuc.js';
import { type UpliftBin, upliftByPercentile } from '../../../../shared/stats/uplift/upliftByPercentile.js';
import { type UpliftCurve, upliftCurve } from '../../../../shared/stats/uplift/upliftCurve.js';
import { assertClose } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

interface GoldenCurve {
  units: number[];
  values: number[];
}

interface UpliftGoldenCase {
  name: string;
  uplift: { values: number[] } | { base64: string };
  treatment: string;
  outcomes: string;
  expected: {
    sklift_accepts_input: boolean;
    n: number;
    qiniAuc: number | null;
    upliftAuc: number | null;
    upliftAt30: number | null;
    deciles: UpliftBin[];
    qiniCurve: { units: number; value: number }[];
    curves?: Record<'uplift' | 'perfectUplift' | 'qini' | 'perfectQini', GoldenCurve>;
  };
}

const golden = readGolden<{ sklift: string; numpy: string; sklearn: string; cases: UpliftGoldenCase[] }>(
  'uplift.json',
);
const TIGHT = { relative: 1e-12, absolute: 1e-12 } as const;

function scoresOf(recipe: UpliftGoldenCase['uplift']): Float64Array {
  if ('values' in recipe) return Float64Array.from(recipe.values);
  const bytes = Buffer.from(recipe.base64, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

const bitsOf = (text: string) => Uint8Array.from(text, (c) => (c === '1' ? 1 : 0));
const f64 = (...values: number[]) => Float64Array.from(values);
const u8 = (...values: number[]) => Uint8Array.from(values);

function assertCloseOrNull(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) assert.equal(actual, null, `${label} is null`);
  else assertClose(actual ?? Number.NaN, expected, TIGHT, label);
}

function assertCurve(actual: UpliftCurve, expected: GoldenCurve, label: string): void {
  assert.deepEqual(Array.from(actual.units), expected.units, `${label} units`);
  assert.equal(actual.values.length, expected.values.length, `${label} length`);
  actual.values.forEach((v, k) => {
    assertClose(v, expected.values[k]!, TIGHT, `${label}[${k}]`);
  });
}

describe(`unit-level uplift agrees with scikit-uplift ${golden.sklift}`, () => {
  for (const { name, uplift, treatment, outcomes, expected } of golden.cases) {
    test(`matches the transcribed sklift on: ${name}`, () => {
      const scores = scoresOf(uplift);
      const t = bitsOf(treatment);
      const y = bitsOf(outcomes);
      const result = computeUplift(scores, t, y);
      assert.equal(result.n, expected.n);
      assertCloseOrNull(result.qiniAuc, expected.qiniAuc, 'qiniAuc');
      assertCloseOrNull(result.upliftAuc, expected.upliftAuc, 'upliftAuc');
      assertCloseOrNull(result.upliftAt30, expected.upliftAt30, 'upliftAt30');
      assert.equal(result.deciles.length, expected.deciles.length);
      result.deciles.forEach((bin, b) => {
        const want = expected.deciles[b]!;
        assert.equal(bin.n, want.n);
        assert.equal(bin.treated, want.treated, `decile ${b} treated`);
        assert.equal(bin.control, want.control, `decile ${b} control`);
        assertClose(bin.meanPredicted, want.meanPredicted, TIGHT, `decile ${b} meanPredicted`);
        assertCloseOrNull(bin.treatedRate, want.treatedRate, `decile ${b} treatedRate`);
        assertCloseOrNull(bin.controlRate, want.controlRate, `decile ${b} controlRate`);
        assertCloseOrNull(bin.realizedUplift, want.realizedUplift, `decile ${b} realizedUplift`);
      });
      assert.deepEqual(
        result.qiniCurve.map((p) => p.units),
        expected.qiniCurve.map((p) => p.units),
      );
      result.qiniCurve.forEach((p, k) => {
        assertClose(p.value, expected.qiniCurve[k]!.value, TIGHT, `qini[${k}]`);
      });
      if (expected.curves !== undefined) {
        const { thresholds } = rankByUplift(scores, t, y);
        assertCurve(upliftCurve(thresholds), expected.curves.uplift, 'uplift curve');
        assertCurve(perfectUpliftCurve(thresholds), expected.curves.perfectUplift, 'perfect uplift curve');
        assertCurve(qiniCurve(thresholds), expected.curves.qini, 'qini curve');
        assertCurve(perfectQiniCurve(thresholds), expected.curves.perfectQini, 'perfect qini curve');
      }
    });
  }
});

describe("unit-level uplift: sklift's published values", () => {
  // sklift/tests/test_metrics.py::make_predictions(binary=True): y=[0,1,0], uplift=[0,0,0], treatment=[0,1,1].
  const fixture = () => rankByUplift(f64(0, 0, 0), u8(0, 1, 1), u8(0, 1, 0));
  const designD = () =>
    rankByUplift(
      f64(0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05),
      u8(1, 1, 0, 0, 1, 0, 1, 0, 1, 0),
      u8(1, 0, 1, 0, 1, 1, 0, 0, 1, 0),
    );
  const plain = (curve: UpliftCurve) => ({
    units: Array.from(curve.units),
    values: Array.from(curve.values),
  });

  test('U-1 test_uplift_curve: x [0, 3], y [0, 1.5]', () => {
    assert.deepEqual(plain(upliftCurve(fixture().thresholds)), { units: [0, 3], values: [0, 1.5] });
  });

  test('U-2 test_perfect_uplift_curve: x [0, 1, 2, 3], y [0, 1, 2, 1.5]', () => {
    assert.deepEqual(plain(perfectUpliftCurve(fixture().thresholds)), {
      units: [0, 1, 2, 3],
      values: [0, 1, 2, 1.5],
    });
  });

  test('U-3 test_qini_curve: x [0, 3], y [0, 1]', () => {
    assert.deepEqual(plain(qiniCurve(fixture().thresholds)), { units: [0, 3], values: [0, 1] });
  });

  test('U-4 test_perfect_qini_curve (negative_effect=True): x [0, 1, 3], y [0, 1, 1]', () => {
    assert.deepEqual(plain(perfectQiniCurve(fixture().thresholds)), { units: [0, 1, 3], values: [0, 1, 1] });
  });

  test('U-5 and U-6 test_uplift_auc_score: 0 and 1', () => {
    assert.equal(upliftAuc(rankByUplift(f64(0.1, 0.3), u8(1, 0), u8(0, 1))), 0);
    assert.equal(upliftAuc(rankByUplift(f64(0.1, 0.3), u8(0, 1), u8(1, 0))), 1);
  });

  test('U-7 and U-8 test_qini_auc_score: 1 and 1', () => {
    assert.equal(qiniAuc(rankByUplift(f64(0.1, 0.3), u8(1, 0), u8(0, 1))), 1);
    assert.equal(qiniAuc(rankByUplift(f64(0.1, 0.3), u8(0, 1), u8(1, 0))), 1);
  });

  test('U-14 test_uplift_by_percentile (bins=1): [[2, 1, 0.5, 0, 0.5]]', () => {
    const [bin, ...rest] = upliftByPercentile(fixture(), 1);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [bin!.treated, bin!.control, bin!.treatedRate, bin!.controlRate, bin!.realizedUplift],
      [2, 1, 0.5, 0, 0.5],
    );
  });

  test('U-17..U-20 design D curves', () => {
    const { thresholds } = designD();
    assert.deepEqual(plain(upliftCurve(thresholds)), {
      units: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      values: [
        0, 1.0, 1.0, -1.5, 0.0, 0.8333333333333331, 0.0, -1.1666666666666665, 0.0, 0.8999999999999998,
        1.9999999999999996,
      ],
    });
    assert.deepEqual(plain(perfectUpliftCurve(thresholds)), {
      units: [0, 3, 6, 8, 10],
      values: [0, 3, 6, 4.8, 1.9999999999999996],
    });
    assert.deepEqual(
      plain(qiniCurve(thresholds)).values,
      [0, 1.0, 1.0, -1.0, 0.0, 0.5, 0.0, -0.6666666666666665, 0.0, 0.5, 1.0],
    );
    assert.deepEqual(plain(perfectQiniCurve(thresholds)), { units: [0, 3, 8, 10], values: [0, 3, 3, 1] });
  });

  test('U-21 and U-22 design D scores: uplift AUC, Qini AUC and uplift at k=0.5 overall', () => {
    assert.equal(upliftAuc(designD()), -0.30989583333333326);
    assert.equal(qiniAuc(designD()), -0.17117117117117117);
    assert.equal(upliftAtK(designD(), 0.5), 0.16666666666666663);
  });

  test('U-24 design D by two percentiles: n, rates and uplift of each half', () => {
    const bins = upliftByPercentile(designD(), 2);
    const rows = bins.map((b) => [b.treated, b.control, b.treatedRate, b.controlRate, b.realizedUplift]);
    const expected = [
      [3, 2, 0.666667, 0.5, 0.166667],
      [2, 3, 0.5, 0.333333, 0.166667],
    ];
    rows.forEach((row, i) => {
      row.forEach((v, j) => {
        assertClose(v!, expected[i]![j]!, { absolute: 1e-6 });
      });
    });
  });
});

describe('unit-level uplift: edges and doc examples', () => {
  test('the doc comment examples give their stated results', () => {
    const ranked = rankByUplift(f64(0.1, 0.3, 0.1), u8(1, 0, 0), u8(0, 1, 1));
    assert.deepEqual(Array.from(ranked.scores), [0.3, 0.1, 0.1]);
    assert.deepEqual(Array.from(ranked.treatment), [0, 0, 1], 'equal scores in reverse input order');
    assert.deepEqual(Array.from(ranked.thresholds.units), [1, 3]);
    assert.equal(numpySum(f64(0.1, 0.2, 0.3)), 0.6000000000000001);
    assert.equal(trapezoidArea({ units: f64(0, 1, 3), values: f64(0, 1, 1) }), 2.5);
    assert.equal(
      areaAboveRandom(
        { units: f64(0, 1, 2), values: f64(0, 0.5, 1) },
        { units: f64(0, 1, 2), values: f64(0, 1, 1) },
      ),
      0,
    );
    const runs = thresholdsOfRuns([run(2, 1, 1, 0), run(0, 0, 0, 0), run(1, 0, 0, 1)]);
    assert.deepEqual(Array.from(runs.units), [2, 3]);
    assert.equal(upliftAtK(rankByUplift(f64(0.9, 0.8, 0.7, 0.6), u8(1, 0, 1, 0), u8(1, 0, 0, 1)), 0.5), 1);
    assert.deepEqual(
      upliftByPercentile(rankByUplift(f64(0.4, 0.3, 0.2, 0.1), u8(1, 0, 1, 0), u8(1, 0, 0, 0)), 2),
      [
        {
          n: 2,
          meanPredicted: 0.35,
          treated: 1,
          control: 1,
          treatedRate: 1,
          controlRate: 0,
          realizedUplift: 1,
        },
        {
          n: 2,
          meanPredicted: 0.15000000000000002,
          treated: 1,
          control: 1,
          treatedRate: 0,
          controlRate: 0,
          realizedUplift: 0,
        },
      ],
    );
    assert.deepEqual(downsampleCurve({ units: f64(0, 1, 2, 3, 4), values: f64(0, 1, 0, 1, 2) }, 3), [
      { units: 0, value: 0 },
      { units: 2, value: 0 },
      { units: 4, value: 2 },
    ]);
  });

  test('numpySum equals a compensated sum to within a few ulps across the block boundaries', () => {
    for (const n of [7, 8, 9, 127, 128, 129, 8191, 8192, 8193, 20_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10 ** (i % 7));
      let sum = 0;
      let compensation = 0;
      for (const v of values) {
        const t = sum + v;
        compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
        sum = t;
      }
      assertClose(numpySum(values), sum + compensation, { relative: 1e-13 }, `n = ${n}`);
    }
  });

  const refusals: [string, () => unknown, RegExp][] = [
    ['no units', () => rankByUplift(f64(), u8(), u8()), /rankByUplift requires at least one unit/],
    ['arrays of different lengths', () => rankByUplift(f64(1, 2), u8(1), u8(0, 1)), /same length/],
    ['a NaN score', () => rankByUplift(f64(Number.NaN), u8(1), u8(1)), /finite uplift scores/],
    ['an infinite score', () => rankByUplift(f64(Number.POSITIVE_INFINITY), u8(1), u8(1)), /finite/],
    ['a treatment of 2', () => rankByUplift(f64(1), u8(2), u8(1)), /treatment and outcomes of 0 or 1/],
    [
      'k outside (0, 1)',
      () => upliftAtK(rankByUplift(f64(1), u8(1), u8(1)), 1),
      /upliftAtK requires 0 < k < 1/,
    ],
    [
      'zero bins',
      () => upliftByPercentile(rankByUplift(f64(1), u8(1), u8(1)), 0),
      /upliftByPercentile requires/,
    ],
  ];
  for (const [what, run, message] of refusals) {
    test(`refuses ${what}`, () => assert.throws(run, message));
  }

  test('a single unit gives null scores and one decile', () => {
    const result = computeUplift(f64(0.2), u8(1), u8(1));
    assert.equal(result.upliftAt30, null);
    assert.equal(result.deciles.length, 1);
    assert.equal(result.deciles[0]!.controlRate, null);
  });

  test('-0 and 0 are one run of tied scores, as np.diff sees them', () => {
    const ranked = rankByUplift(f64(-0, 0, -0), u8(1, 0, 1), u8(1, 0, 0));
    assert.deepEqual(Array.from(ranked.thresholds.units), [3]);
    assert.ok(ranked.scores.every((s) => Object.is(s, 0)));
  });

  test('ranks extreme and negative scores in numeric order', () => {
    const scores = f64(-1e308, 5e-324, -5e-324, 1e308, 0, -1, 1, Number.MIN_VALUE, -0.5);
    const ranked = rankByUplift(scores, new Uint8Array(scores.length), new Uint8Array(scores.length));
    assert.deepEqual(
      Array.from(ranked.scores),
      Array.from(scores).sort((a, b) => b - a),
    );
  });
});

/** Units with both arms present, scores drawn by `score`. */
const unitsWith = (score: fc.Arbitrary<number>) =>
  fc
    .array(
      fc.record({
        score,
        treated: fc.integer({ min: 0, max: 1 }),
        converted: fc.integer({ min: 0, max: 1 }),
      }),
      { minLength: 2, maxLength: 300 },
    )
    .filter((units) => units.some((u) => u.treated === 1) && units.some((u) => u.treated === 0));
/** Scores with many ties (small integers) or almost none (any finite double, subnormals and -0 included). */
const unitsArbitrary = unitsWith(
  fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
);
/** Scores on a 2^-20 grid in [-1, 1], where 2x + 8 is exact: ties stay ties and order stays order. */
const gridUnitsArbitrary = unitsWith(
  fc.oneof(
    fc.integer({ min: -5, max: 5 }).map((k) => k / 8),
    fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 2 ** 20),
  ),
);

const arraysOf = (units: { score: number; treated: number; converted: number }[]) => ({
  scores: Float64Array.from(units, (u) => u.score),
  treatment: Uint8Array.from(units, (u) => u.treated),
  outcomes: Uint8Array.from(units, (u) => u.converted),
});

describe('unit-level uplift: properties', () => {
  test('the ranking is a descending, stable-reversed permutation of the input', () => {
    fc.assert(
      fc.property(unitsArbitrary, (units) => {
        const { scores, treatment, outcomes } = arraysOf(units);
        const ranked = rankByUplift(scores, treatment, outcomes);
        const order = units
          .map((u, i) => ({ ...u, score: u.score + 0, i }))
          .sort((a, b) => b.score - a.score || b.i - a.i);
        assert.deepEqual(
          Array.from(ranked.scores),
          order.map((u) => u.score),
        );
        assert.deepEqual(
          Array.from(ranked.treatment),
          order.map((u) => u.treated),
        );
        assert.deepEqual(
          Array.from(ranked.outcomes),
          order.map((u) => u.converted),
        );
      }),
    );
  });

  test('every statistic is finite or null, and AUCs are finite whenever the perfect curve has area', () => {
    fc.assert(
      fc.property(unitsArbitrary, (units) => {
        const { scores, treatment, outcomes } = arraysOf(units);
        const result = computeUplift(scores, treatment, outcomes);
        for (const value of [result.qiniAuc, result.upliftAuc, result.upliftAt30]) {
          assert.ok(value === null || Number.isFinite(value));
        }
        if (outcomes.some((y) => y === 1)) {
          const { thresholds } = rankByUplift(scores, treatment, outcomes);
          const perfect = perfectQiniCurve(thresholds);
          const randomArea = (perfect.units.at(-1)! * perfect.values.at(-1)!) / 2;
          if (trapezoidArea(perfect) !== randomArea) assert.ok(Number.isFinite(result.qiniAuc));
        }
        assert.equal(
          result.deciles.reduce((sum, bin) => sum + bin.n, 0),
          units.length,
        );
        assert.ok(result.qiniCurve.length <= 101);
        assert.equal(result.qiniCurve.at(-1)!.units, units.length);
      }),
    );
  });

  test('Qini and uplift AUC are invariant under a strictly increasing transform of the scores', () => {
    fc.assert(
      fc.property(gridUnitsArbitrary, (units) => {
        const { scores, treatment, outcomes } = arraysOf(units);
        const transformed = scores.map((s) => 2 * s + 8);
        const before = computeUplift(scores, treatment, outcomes);
        const after = computeUplift(transformed, treatment, outcomes);
        assert.equal(after.qiniAuc, before.qiniAuc);
        assert.equal(after.upliftAuc, before.upliftAuc);
        assert.equal(after.upliftAt30, before.upliftAt30);
        assert.deepEqual(after.qiniCurve, before.qiniCurve);
      }),
    );
  });

  test('an oracle ranking scores 1: the perfect Qini score for Qini AUC, the perfect uplift score for uplift AUC', () => {
    fc.assert(
      fc.property(unitsArbitrary, (units) => {
        const { treatment, outcomes } = arraysOf(units);
        const qiniOracle = Float64Array.from(units, (u) => u.converted * (2 * u.treated - 1));
        const quality = qiniAuc(rankByUplift(qiniOracle, treatment, outcomes));
        if (quality !== null) assertClose(quality, 1, { absolute: 1e-12 });
        const controlResponders = units.filter((u) => u.treated === 0 && u.converted === 1).length;
        const treatedQuiet = units.filter((u) => u.treated === 1 && u.converted === 0).length;
        const upliftOracle = Float64Array.from(
          units,
          (u) =>
            2 * (u.converted === u.treated ? 1 : 0) +
            (controlResponders > treatedQuiet ? u.converted : u.treated),
        );
        const upliftQuality = upliftAuc(rankByUplift(upliftOracle, treatment, outcomes));
        if (upliftQuality !== null) assertClose(upliftQuality, 1, { absolute: 1e-12 });
      }),
    );
  });
});

test('the unit suite handles a million units', () => {
  const n = 1_000_000;
  const scores = new Float64Array(n);
  const treatment = new Uint8Array(n);
  const outcomes = new Uint8Array(n);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    scores[i] = next() * 0.1 - 0.02;
    treatment[i] = next() < 0.5 ? 1 : 0;
    outcomes[i] = next() < 0.1 + 0.2 * treatment[i]! * scores[i]! ? 1 : 0;
  }
  const result = computeUplift(scores, treatment, outcomes);
  assert.equal(result.n, n);
  assert.equal(result.deciles.length, 10);
  assert.ok(result.qiniAuc !== null && result.qiniAuc > 0, 'scores carry signal');
  assert.ok(result.qiniCurve.length <= 101);
});
