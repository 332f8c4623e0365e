import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { brierScore } from '../../../../shared/stats/calibration/brierScore.js';
import {
  binIndex,
  calibrationBins,
  uniformBinEdges,
} from '../../../../shared/stats/calibration/calibrationBins.js';
import { calibrationIntercept } from '../../../../shared/stats/calibration/calibrationIntercept.js';
import { calibrationLogits } from '../../../../shared/stats/calibration/calibrationLogits.js';
import { calibrationSlope } from '../../../../shared/stats/calibration/calibrationSlope.js';
import { sumCalibrationTerms } from '../../../../shared/stats/calibration/calibrationSums.js';
import { expectedCalibrationError } from '../../../../shared/stats/calibration/expectedCalibrationError.js';
import { evaluateLogistic } from '../../../../shared/stats/calibration/logisticEvaluation.js';
import { FitFailure } from '../../../../shared/stats/calibration/logisticFit.js';
import { logLoss } from '../../../../shared/stats/calibration/logLoss.js';
import { twoSidedNormalPValue } from '../../../../shared/stats/calibration/normalTail.js';
import {
  OE_EXACT_BELOW,
  observedExpectedRatio,
} from '../../../../shared/stats/calibration/observedExpectedRatio.js';
import { spiegelhalterTest } from '../../../../shared/stats/calibration/spiegelhalterTest.js';
import {
  type CalibrationStatistics,
  computeCalibration,
} from '../../../../shared/stats/calibration/suite.js';
import { wilsonInterval } from '../../../../shared/stats/wilsonInterval.js';
import { assertClose, type Tolerance } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

type Expected = Omit<CalibrationStatistics, 'fit'> & {
  fitReason: FitFailure | null;
  interceptSource: string | null;
};

interface OeGolden {
  observed: number;
  expected: number;
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  method: 'exact' | 'log-normal';
  /** The exact (Garwood) bounds, also where the approximation is used. */
  exactLower: number | null;
  exactUpper: number | null;
}

interface CalibrationGolden {
  numpy: string;
  scipy: string;
  sklearn: string;
  statsmodels: string;
  mpmath: string;
  binEdges: number[];
  oeExactBelow: number;
  oeRatio: OeGolden[];
  cases: { name: string; predictions: number[]; outcomes: number[]; expected: Expected }[];
}

const golden = readGolden<CalibrationGolden>('calibration.json');
/** Sums and ratios: numpy sums pairwise, we compensate, so both are within a few roundings of exact. */
const TIGHT = { relative: 1e-12, absolute: 1e-15 } as const;
/** Fitted coefficients: ~0 values (a perfectly calibrated intercept) are held absolutely. */
const COEFFICIENT = { relative: 1e-9, absolute: 1e-12 } as const;
/**
 * Standard errors come from the information at the last Newton iterate, a step of at most 1e-6 before the
 * estimate: with logits at +-34.5 (p clipped at 0 or 1) that moves them by up to ~1e-5 relative.
 */
const STANDARD_ERROR = { relative: 1e-4 } as const;
const P_VALUE = { absolute: 1e-12, relative: 1e-9 } as const;
/**
 * O/E bounds: the exact ones, from @stdlib's chi-squared quantile, are within 1.23e-15 of the 50-digit roots (the
 * lower bound at O = 21; the upper within 2.4e-16); the log-scale ones within 1.3e-15 of numpy's.
 */
const OE_BOUND = { relative: 1e-14 } as const;

function closeOrNull(
  actual: number | null,
  expected: number | null,
  tolerance: Tolerance,
  label: string,
): void {
  if (expected === null) assert.equal(actual, null, `${label} is null`);
  else {
    assert.notEqual(actual, null, `${label} is not null`);
    assertClose(actual!, expected, tolerance, label);
  }
}

function checkAgainstGolden(result: CalibrationStatistics, expected: Expected): void {
  assert.equal(result.n, expected.n);
  assert.equal(result.positives, expected.positives);
  assertClose(result.meanPrediction, expected.meanPrediction, TIGHT, 'meanPrediction');
  assertClose(result.observedRate, expected.observedRate, TIGHT, 'observedRate');
  closeOrNull(result.oeRatio, expected.oeRatio, TIGHT, 'oeRatio');
  closeOrNull(result.oeRatioLower, expected.oeRatioLower, TIGHT, 'oeRatioLower');
  closeOrNull(result.oeRatioUpper, expected.oeRatioUpper, TIGHT, 'oeRatioUpper');
  assertClose(result.brier, expected.brier, TIGHT, 'brier');
  assertClose(result.logLoss, expected.logLoss, TIGHT, 'logLoss');
  assertClose(result.ece, expected.ece, TIGHT, 'ece');
  assert.equal(result.bins.length, expected.bins.length, 'non-empty bins');
  result.bins.forEach((bin, b) => {
    const want = expected.bins[b]!;
    assert.equal(bin.lower, want.lower, `bin ${b} lower edge`);
    assert.equal(bin.upper, want.upper, `bin ${b} upper edge`);
    assert.equal(bin.count, want.count, `bin ${b} count`);
    assertClose(bin.meanPrediction, want.meanPrediction, TIGHT, `bin ${b} meanPrediction`);
    assertClose(bin.observedRate, want.observedRate, TIGHT, `bin ${b} observedRate`);
    assertClose(bin.observedRateLower, want.observedRateLower, TIGHT, `bin ${b} observedRateLower`);
    assertClose(bin.observedRateUpper, want.observedRateUpper, TIGHT, `bin ${b} observedRateUpper`);
  });
  closeOrNull(result.calibrationSlope, expected.calibrationSlope, COEFFICIENT, 'calibrationSlope');
  closeOrNull(
    result.calibrationSlopeStandardError,
    expected.calibrationSlopeStandardError,
    STANDARD_ERROR,
    'calibrationSlopeStandardError',
  );
  closeOrNull(
    result.calibrationIntercept,
    expected.calibrationIntercept,
    COEFFICIENT,
    'calibrationIntercept',
  );
  closeOrNull(
    result.calibrationInterceptStandardError,
    expected.calibrationInterceptStandardError,
    STANDARD_ERROR,
    'calibrationInterceptStandardError',
  );
  closeOrNull(result.spiegelhalterZ, expected.spiegelhalterZ, TIGHT, 'spiegelhalterZ');
  closeOrNull(result.spiegelhalterPValue, expected.spiegelhalterPValue, P_VALUE, 'spiegelhalterPValue');
  assert.equal(result.fit.reason, expected.fitReason);
  assert.equal(result.fit.converged, expected.fitReason === null);
}

const peers = `sklearn ${golden.sklearn}, statsmodels ${golden.statsmodels}, scipy ${golden.scipy}`;

describe(`calibration statistics agree with ${peers}`, () => {
  test('bin edges are numpy linspace(0, 1, 11) bit for bit', () => {
    assert.deepEqual(Array.from(uniformBinEdges(10)), golden.binEdges);
  });

  for (const { name, predictions, outcomes, expected } of golden.cases) {
    test(`matches the peers on: ${name}`, () => {
      checkAgainstGolden(
        computeCalibration(Float64Array.from(predictions), Uint8Array.from(outcomes)),
        expected,
      );
    });
  }

  test('takes outcomes as a Float64Array too', () => {
    const { predictions, outcomes, expected } = golden.cases[1]!;
    checkAgainstGolden(
      computeCalibration(Float64Array.from(predictions), Float64Array.from(outcomes)),
      expected,
    );
  });
});

const bins = (p: number[], y: number[], binCount: number) =>
  calibrationBins(sumCalibrationTerms(Float64Array.from(p), Uint8Array.from(y), binCount));
const suite = (p: number[], y: number[]) => computeCalibration(Float64Array.from(p), Uint8Array.from(y));
const logitsOf = (p: number[]) => calibrationLogits(Float64Array.from(p), new Uint8Array(p.length)).logits;

const CC4 = {
  p: [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0],
  y: [0, 0, 0, 1, 1, 1, 1, 1, 1],
};
const CS1 = {
  p: [0.01, 0.01, 0.24, 0.22, 0.02, 0.1, 0.03, 0.12, 0.04, 0.01],
  y: [0, 1, 1, 0, 0, 0, 0, 0, 0, 0],
};
const CS2 = {
  p: [0.1, 0.2, 0.3, 0.35, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9],
  y: [0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
};

describe(`O/E interval agrees with 50-digit mpmath ${golden.mpmath} and scipy ${golden.scipy}`, () => {
  test(`is exact (Garwood) below O = ${golden.oeExactBelow}, as the generator`, () => {
    assert.equal(OE_EXACT_BELOW, golden.oeExactBelow);
  });

  test(`matches ${golden.oeRatio.length} intervals: O = 0..120 at E = 1, and O = 0..100000 over E = 0.37..123456.789`, () => {
    for (const { observed, expected, ratio, lower, upper } of golden.oeRatio) {
      const result = observedExpectedRatio(observed, expected);
      const label = `O = ${observed}, E = ${expected}`;
      closeOrNull(result.ratio, ratio, TIGHT, `${label} ratio`);
      closeOrNull(result.lower, lower, OE_BOUND, `${label} lower`);
      closeOrNull(result.upper, upper, OE_BOUND, `${label} upper`);
    }
  });

  test('from O = 100 on, the log-scale bounds are within 1.03% (lower) and 0.021% (upper) of the exact ones', () => {
    for (const { observed, expected, lower, upper, method, exactLower, exactUpper } of golden.oeRatio) {
      if (method !== 'log-normal' || lower === null || upper === null) continue;
      assertClose(lower, exactLower!, { relative: 0.0103 }, `O = ${observed}, E = ${expected} lower`);
      assertClose(upper, exactUpper!, { relative: 0.00021 }, `O = ${observed}, E = ${expected} upper`);
    }
  });
});

describe('calibration statistics: published values (stats-references section 2)', () => {
  test('reliability bins match sklearn calibration_curve CC-1, CC-4 and CC-6', () => {
    const cc1 = bins([0, 0.1, 0.2, 0.8, 0.9, 1], [0, 0, 0, 1, 1, 1], 2);
    assert.deepEqual(
      cc1.map((bin) => bin.observedRate),
      [0, 1],
    );
    assertClose(cc1[0]!.meanPrediction, 0.1, TIGHT);
    assertClose(cc1[1]!.meanPrediction, 0.9, TIGHT);
    assert.deepEqual(
      bins(CC4.p, CC4.y, 4).map((bin) => bin.observedRate),
      [0, 0.5, 1, 1],
    );
    const cc6 = bins([0.2, 0.5, 0.9], [0, 1, 1], 2);
    assert.deepEqual(
      cc6.map((bin) => [bin.observedRate, bin.meanPrediction]),
      [
        [0.5, 0.35],
        [1, 0.9],
      ],
    );
  });

  test('ECE with sklearn bins is ECE-6 0.1, ECE-7 0.1722..., ECE-8 0.1333..., ECE-9 0.26 and 0.16', () => {
    const ece = (p: number[], y: number[], binCount: number) =>
      expectedCalibrationError(bins(p, y, binCount));
    assertClose(ece([0, 0.1, 0.2, 0.8, 0.9, 1], [0, 0, 0, 1, 1, 1], 2), 0.1, TIGHT);
    assertClose(ece(CC4.p, CC4.y, 4), 0.17222222222222222, TIGHT);
    assertClose(ece([0.2, 0.5, 0.9], [0, 1, 1], 2), 0.13333333333333333, TIGHT);
    assertClose(ece(CS2.p, CS2.y, 10), 0.26, TIGHT);
    assertClose(ece(CS2.p, CS2.y, 5), 0.16000000000000003, TIGHT);
  });

  test('Brier score matches sklearn B-1, B-2 and B-5', () => {
    const brier = (p: number[], y: number[]) =>
      brierScore(sumCalibrationTerms(Float64Array.from(p), Uint8Array.from(y)));
    assertClose(brier([0.1, 0.8, 0.9, 0.3, 1.0, 0.95], [0, 1, 1, 0, 1, 1]), 0.02541666666666666, TIGHT);
    assertClose(brier([0.4], [0]), 0.16, TIGHT);
    assertClose(brier([0.4], [1]), 0.36, TIGHT);
    assertClose(brier([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0]), 0.0375, TIGHT);
  });

  test('log loss matches sklearn LL-2, LL-5 and LL-6 (binary cases)', () => {
    const loss = (p: number[], y: number[]) =>
      logLoss(calibrationLogits(Float64Array.from(p), Uint8Array.from(y)).atIdentity.logLikelihood, p.length);
    assertClose(loss([0.5, 0.9, 0.99, 0.1, 0.25, 0.999], [0, 0, 0, 1, 1, 1]), 1.881797068998267, TIGHT);
    assertClose(loss([0.9, 0.9], [1, 1]), -Math.log(0.9), TIGHT);
    assertClose(loss([0.9, 0.1, 0.2, 0.65], [1, 0, 0, 1]), 0.21616187468057912, TIGHT);
  });

  test("Spiegelhalter's z matches SZ-1, SZ-2 and SZ-3 (p = 1 contributes nothing)", () => {
    const cases = [
      { ...CS1, z: 1.6925988913480894, pValue: 0.09053184225400634 },
      { ...CS2, z: -0.4699028871028435, pValue: 0.6384244015209792 },
      { ...CC4, z: -1.0918383972362429, pValue: 0.2749041385532617 },
    ];
    for (const { p, y, z, pValue } of cases) {
      const result = spiegelhalterTest(sumCalibrationTerms(Float64Array.from(p), Uint8Array.from(y)));
      assertClose(result.z!, z, TIGHT, 'z');
      assertClose(result.pValue!, pValue, P_VALUE, 'p-value');
    }
  });

  test('offset intercept, O/E and Brier match CS-1a and CS-2 exactly', () => {
    const cs1 = suite(CS1.p, CS1.y);
    assertClose(cs1.calibrationIntercept!, 1.2379556124059918, TIGHT, 'CS-1a intercept');
    assert.equal(cs1.oeRatio, 2.5);
    assertClose(cs1.brier, 0.16336, TIGHT, 'CS-1 Brier');
    const cs2 = suite(CS2.p, CS2.y);
    assertClose(cs2.calibrationIntercept!, 0.5368591690470873, TIGHT, 'CS-2 offset intercept');
    assertClose(cs2.oeRatio!, 1.2, TIGHT, 'CS-2 O/E');
    assertClose(cs2.brier, 0.1615, TIGHT, 'CS-2 Brier');
    assertClose(cs2.logLoss, 0.48557137114909155, TIGHT, 'CS-2 log loss');
  });

  test('slope and joint intercept match CS-1 (rms val.prob via tuur) and CS-2 to lbfgs precision', () => {
    // Both literals come from sklearn's lbfgs (tol 1e-4), which stops ~1e-6 short of the maximum; statsmodels
    // agrees with us to 1e-12 on the same data (golden cases "stats-references CS-1" and "CS-2").
    const lbfgs = { relative: 1e-5 } as const;
    const cs1 = calibrationSlope(logitsOf(CS1.p), Uint8Array.from(CS1.y));
    assertClose(cs1.slope!, 0.16386382554885154, lbfgs, 'CS-1 slope');
    assertClose(cs1.intercept!, -0.8927315726785341, lbfgs, 'CS-1 joint intercept');
    const cs2 = calibrationSlope(logitsOf(CS2.p), Uint8Array.from(CS2.y));
    assertClose(cs2.slope!, 1.60478250329039, lbfgs, 'CS-2 slope');
    assertClose(cs2.intercept!, 0.6843930358167917, lbfgs, 'CS-2 joint intercept');
  });

  test('Wilson intervals match propint N-6: 81/263 and 15/148', () => {
    const propint = { absolute: 1e-4 } as const;
    const a = wilsonInterval(81, 263);
    assertClose(a.lower, 0.2553, propint);
    assertClose(a.upper, 0.3662, propint);
    const b = wilsonInterval(15, 148);
    assertClose(b.lower, 0.0624, propint);
    assertClose(b.upper, 0.1605, propint);
  });

  test('two-sided normal p-values equal 2 * scipy norm.sf far into the tail', () => {
    const scipy: [number, number][] = [
      [0, 1],
      [1.959963984540054, 0.05000000000000003],
      [5, 5.733031437583866e-7],
      [10, 1.523970604832094e-23],
      [20, 5.507248237212311e-89],
      [30, 9.813427854295816e-198],
    ];
    for (const [z, p] of scipy) {
      assertClose(twoSidedNormalPValue(z), p, { relative: 1e-12 }, `z = ${z}`);
      assertClose(twoSidedNormalPValue(-z), p, { relative: 1e-12 }, `z = ${-z}`);
    }
  });
});

describe('calibration statistics: edges', () => {
  test('with no positives O/E is 0, with bounds 0 and the exact Poisson -ln(0.025)/E', () => {
    assert.deepEqual(observedExpectedRatio(0, 2), { ratio: 0, lower: 0, upper: -Math.log(0.025) / 2 });
  });

  test('with one positive the exact bounds are -ln(0.975)/E and chi2.ppf(0.975, 4)/2/E', () => {
    const { lower, upper } = observedExpectedRatio(1, 4);
    assertClose(lower!, -Math.log(0.975) / 4, { relative: 1e-14 }, 'lower');
    assertClose(upper!, 5.571643390938898 / 4, { relative: 1e-14 }, 'upper');
  });

  for (const [observed, expected] of [
    [0.5, 1],
    [-1, 1],
    [Number.NaN, 1],
    [1, -1],
    [1, Number.POSITIVE_INFINITY],
  ] as const) {
    test(`O/E refuses O = ${observed}, E = ${expected}: O counts conversions`, () => {
      assert.throws(
        () => observedExpectedRatio(observed, expected),
        /observedExpectedRatio requires an integer observed count and a finite non-negative expected count/,
      );
    });
  }

  test('with every prediction 0, O/E and its interval are null', () => {
    assert.deepEqual(observedExpectedRatio(3, 0), { ratio: null, lower: null, upper: null });
  });

  const failures: { name: string; p: number[]; y: number[]; reason: FitFailure; interceptFits: boolean }[] = [
    {
      name: 'all outcomes 0',
      p: [0.2, 0.4, 0.6],
      y: [0, 0, 0],
      reason: 'all outcomes are 0',
      interceptFits: false,
    },
    {
      name: 'all outcomes 1',
      p: [0.2, 0.4, 0.6],
      y: [1, 1, 1],
      reason: 'all outcomes are 1',
      interceptFits: false,
    },
    {
      name: 'constant predictions',
      p: [0.3, 0.3, 0.3],
      y: [0, 1, 0],
      reason: 'predictions are constant',
      interceptFits: true,
    },
    {
      name: 'constant after clipping',
      p: [0, 1e-17, 1e-16],
      y: [0, 1, 0],
      reason: 'predictions are constant',
      interceptFits: true,
    },
    {
      name: 'separated outcomes',
      p: [0.2, 0.5, 0.9],
      y: [0, 1, 1],
      reason: 'outcomes are separated by the predictions',
      interceptFits: true,
    },
    {
      name: 'reversed separation',
      p: [0.2, 0.5, 0.9],
      y: [1, 0, 0],
      reason: 'outcomes are separated by the predictions',
      interceptFits: true,
    },
    { name: 'a single pair', p: [0.5], y: [1], reason: 'all outcomes are 1', interceptFits: false },
  ];
  for (const { name, p, y, reason, interceptFits } of failures) {
    test(`reports no slope, with the reason, for ${name}`, () => {
      const result = suite(p, y);
      assert.equal(result.calibrationSlope, null);
      assert.equal(result.calibrationSlopeStandardError, null);
      assert.equal(result.fit.converged, false);
      assert.equal(result.fit.reason, reason);
      assert.equal(result.calibrationIntercept !== null, interceptFits);
      assert.equal(result.calibrationInterceptStandardError !== null, interceptFits);
    });
  }

  test('every reason a fit reports is one of FitFailure', () => {
    assert.ok(FitFailure.includes(suite([0.3, 0.3], [0, 1]).fit.reason!));
  });

  test('with every prediction in {0, 0.5, 1} there is no Spiegelhalter z', () => {
    const result = suite([0, 0.5, 1, 0.5], [0, 1, 1, 0]);
    assert.equal(result.spiegelhalterZ, null);
    assert.equal(result.spiegelhalterPValue, null);
  });

  const invalid: { name: string; p: number[]; y: number[]; message: RegExp }[] = [
    { name: 'an empty batch', p: [], y: [], message: /requires at least one prediction/ },
    { name: 'unpaired arrays', p: [0.1, 0.2], y: [1], message: /requires one outcome per prediction/ },
    { name: 'a prediction above 1', p: [0.1, 1.5], y: [1, 0], message: /requires predictions in \[0, 1\]/ },
    { name: 'a negative prediction (CC-3)', p: [-0.1], y: [1], message: /requires predictions in \[0, 1\]/ },
    { name: 'a NaN prediction', p: [Number.NaN], y: [1], message: /requires predictions in \[0, 1\]/ },
    { name: 'an outcome of 0.5', p: [0.1], y: [0.5], message: /requires outcomes of 0 or 1/ },
    { name: 'an outcome of 2', p: [0.1], y: [2], message: /requires outcomes of 0 or 1/ },
  ];
  for (const { name, p, y, message } of invalid) {
    test(`refuses ${name}`, () => {
      assert.throws(() => computeCalibration(Float64Array.from(p), Float64Array.from(y)), message);
    });
  }
});

/** mulberry32: a small seeded generator, so the synthetic data are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Predictions spread on the logit scale and outcomes drawn from them: calibrated by construction. */
function calibratedSample(seed: number, n: number): { predictions: Float64Array; outcomes: Uint8Array } {
  const random = seededRandom(seed);
  const predictions = new Float64Array(n);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    const p = 1 / (1 + Math.exp(-(3 * (u - 0.5) * 2 - 1)));
    predictions[i] = p;
    outcomes[i] = random() < p ? 1 : 0;
  }
  return { predictions, outcomes };
}

const specialPrediction = fc.constantFrom(0, 1, 0.5, 0.1, 0.30000000000000004, 0.7, 1e-300, 1e-16, 1 - 1e-16);
const pairs = fc.array(
  fc.tuple(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), specialPrediction), fc.constantFrom(0, 1)),
  { minLength: 1, maxLength: 200 },
);
const split = (values: [number, number][]) => ({
  predictions: Float64Array.from(values, ([p]) => p),
  outcomes: Uint8Array.from(values, ([, y]) => y),
});

describe('calibration statistics: properties', () => {
  test('calibrated data give O/E, slope and intercept within 4 standard errors of 1, 1 and 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const { predictions, outcomes } = calibratedSample(seed, 20_000);
        const result = computeCalibration(predictions, outcomes);
        assert.ok(
          Math.abs(Math.log(result.oeRatio!)) < 4 / Math.sqrt(result.positives),
          `O/E ${result.oeRatio}`,
        );
        assert.ok(Math.abs(result.calibrationSlope! - 1) < 4 * result.calibrationSlopeStandardError!);
        assert.ok(Math.abs(result.calibrationIntercept!) < 4 * result.calibrationInterceptStandardError!);
        assert.ok(result.ece < 0.03, `ece ${result.ece}`);
      }),
      { seed: 20261127, numRuns: 20 },
    );
  });

  test('the O/E interval holds O/E and moves up with O: exact below 100, log-scale from 100, and across the switch', () => {
    const count = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2_000_000 }));
    const expectedCount = fc.double({ min: 1e-3, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(count, expectedCount, (observed, expected) => {
        const at = observedExpectedRatio(observed, expected);
        const next = observedExpectedRatio(observed + 1, expected);
        assert.ok(at.lower! <= at.ratio! && at.ratio! <= at.upper!, `O = ${observed}: ${JSON.stringify(at)}`);
        assert.ok(at.lower! < next.lower! && at.upper! < next.upper!, `O = ${observed} to ${observed + 1}`);
        if (observed === 0) assert.equal(at.lower, 0);
        else assert.ok(at.lower! > 0);
      }),
      { numRuns: 2000 },
    );
    for (let observed = 0; observed < 1000; observed++) {
      const at = observedExpectedRatio(observed, 1);
      const next = observedExpectedRatio(observed + 1, 1);
      assert.ok(at.lower! < next.lower! && at.upper! < next.upper!, `O = ${observed} to ${observed + 1}`);
    }
  });

  test('every output is finite or null, never NaN or infinite, and within its bounds', () => {
    fc.assert(
      fc.property(pairs, (values) => {
        const { predictions, outcomes } = split(values);
        const result = computeCalibration(predictions, outcomes);
        const { bins, fit, ...scalars } = result;
        for (const [key, value] of Object.entries(scalars))
          assert.ok(value === null || Number.isFinite(value), `${key} is ${value}`);
        for (const bin of bins)
          for (const [key, value] of Object.entries(bin))
            assert.ok(Number.isFinite(value), `bin ${key} is ${value}`);
        assert.ok(result.ece >= 0 && result.ece <= 1);
        assert.ok(result.brier >= 0 && result.brier <= 1);
        assert.ok(result.logLoss >= 0);
        // A bound is null only where it overflows (E below ~1e-308).
        if (result.oeRatio !== null && result.oeRatioLower !== null)
          assert.ok(result.oeRatioLower <= result.oeRatio);
        if (result.oeRatio !== null && result.oeRatioUpper !== null)
          assert.ok(result.oeRatio <= result.oeRatioUpper);
        if (result.spiegelhalterPValue !== null)
          assert.ok(result.spiegelhalterPValue >= 0 && result.spiegelhalterPValue <= 1);
        assert.equal(
          bins.reduce((total, bin) => total + bin.count, 0),
          result.n,
        );
        for (const bin of bins) {
          assert.ok(bin.observedRateLower >= 0 && bin.observedRateUpper <= 1);
          assert.ok(
            bin.observedRateLower <= bin.observedRate + 1e-15 &&
              bin.observedRate <= bin.observedRateUpper + 1e-15,
          );
          // A mean of values in (lower, upper] can round one ulp past an edge: (0.1 + 0.1 + 0.1) / 3 > 0.1.
          assert.ok(bin.lower <= bin.meanPrediction && bin.meanPrediction <= bin.upper * (1 + 2 ** -52));
        }
        assert.equal(fit.converged, fit.reason === null);
        assert.equal(fit.converged, result.calibrationSlope !== null && result.calibrationIntercept !== null);
      }),
      { numRuns: 300 },
    );
  });

  test('converged fits are at the maximum: the score there is zero up to rounding', () => {
    fc.assert(
      fc.property(pairs, (values) => {
        const { predictions, outcomes } = split(values);
        const { logits } = calibrationLogits(predictions, outcomes);
        const joint = calibrationSlope(logits, outcomes);
        if (!joint.converged) return;
        const at = evaluateLogistic(logits, outcomes, joint.intercept!, joint.slope!);
        const { informationInterceptIntercept: iaa, informationInterceptSlope: iab } = at;
        assert.ok(Math.abs(at.scoreIntercept) <= 1e-6 * (iaa + Math.abs(iab)) + 1e-9, 'intercept score');
        assert.ok(
          Math.abs(at.scoreSlope) <= 1e-6 * (Math.abs(iab) + at.informationSlopeSlope) + 1e-9,
          'slope score',
        );
        const offset = calibrationIntercept(predictions, outcomes);
        const atOffset = evaluateLogistic(logits, outcomes, offset.intercept!, 1);
        assert.ok(Math.abs(atOffset.scoreIntercept) <= 1e-6 * atOffset.informationInterceptIntercept + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  test('permuting the pairs changes nothing beyond rounding', () => {
    fc.assert(
      fc.property(pairs, fc.integer(), (values, seed) => {
        const random = seededRandom(seed);
        const shuffled = [...values];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = computeCalibration(split(values).predictions, split(values).outcomes);
        const b = computeCalibration(split(shuffled).predictions, split(shuffled).outcomes);
        const { bins: binsA, fit: fitA, ...scalarsA } = a;
        const { bins: binsB, fit: fitB, ...scalarsB } = b;
        assert.equal(fitA.reason, fitB.reason);
        for (const [key, value] of Object.entries(scalarsA)) {
          const other = scalarsB[key as keyof typeof scalarsB];
          if (value === null) assert.equal(other, null, key);
          else if (key.endsWith('StandardError')) assertClose(other!, value, STANDARD_ERROR, key);
          // Coefficients near separation sit on a flat likelihood, where rounding moves them most.
          else assertClose(other!, value, { relative: 1e-7, absolute: 1e-9 }, key);
        }
        assert.equal(binsA.length, binsB.length);
        binsA.forEach((bin, k) => {
          assert.equal(binsB[k]!.count, bin.count);
          assertClose(binsB[k]!.meanPrediction, bin.meanPrediction, { relative: 1e-12, absolute: 1e-15 });
        });
      }),
      { numRuns: 200 },
    );
  });

  test('a prediction goes to the bin whose upper edge is the first edge at or above it', () => {
    const nearEdge = fc.integer({ min: 1, max: 40 }).chain((binCount) =>
      fc.tuple(
        fc.constant(binCount),
        fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer({ min: 0, max: binCount }).map((k) => uniformBinEdges(binCount)[k]!),
          fc
            .tuple(fc.integer({ min: 0, max: binCount }), fc.constantFrom(-1, 1))
            .map(([k, side]) =>
              Math.min(1, Math.max(0, uniformBinEdges(binCount)[k]! * (1 + side * 2 ** -52))),
            ),
        ),
      ),
    );
    fc.assert(
      fc.property(nearEdge, ([binCount, p]) => {
        const edges = uniformBinEdges(binCount);
        let below = 0;
        for (let k = 1; k < binCount; k++) if (edges[k]! < p) below++;
        assert.equal(binIndex(p, edges), below);
      }),
      { numRuns: 2000 },
    );
  });
});
