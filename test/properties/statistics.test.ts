/**
 * Every statistic suite on arbitrary input the contracts accept (fast-check): computeDrift via
 * summarizeBaseline, computeCalibration, computeCampaignLift and computeUplift. Whatever the input, a suite
 * either refuses it with its documented RangeError or returns finite values (null only where documented), and it
 * returns promptly: sizes are bounded and each run is timed.
 *
 * The domains are those of the message contracts, not a convenient sub-range: a PredictionBatch or a Baseline
 * may carry any finite double, a campaign any safe-integer counts and any finite predicted lift, an UpliftBatch
 * any finite scores.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CampaignResults, MAX_VALUE_MAGNITUDE, PREDICTION } from '../../shared/contracts/index.js';
import { computeCalibration } from '../../shared/stats/calibration/suite.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';
import { computeCampaignLift } from '../../shared/stats/lift/campaignSuite.js';
import { computeUplift } from '../../shared/stats/uplift/suite.js';
import { assertFiniteResult, computedOrRangeError } from './support/outcome.js';

const RUNS = 300;
/** A suite on at most a few hundred values must answer far within this. */
const PROMPT_MS = 2_000;

function timed<T>(compute: () => T): T | undefined {
  const start = performance.now();
  const result = computedOrRangeError(compute);
  const elapsedMs = performance.now() - start;
  assert.ok(elapsedMs < PROMPT_MS, `took ${elapsedMs.toFixed(0)} ms`);
  return result;
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const values = (arbitrary: fc.Arbitrary<number>, maxLength = 300) =>
  fc.array(arbitrary, { minLength: 1, maxLength });
/** Values a predictionsF32 message can carry: every finite float32. */
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround);
/** Any value a contract accepts for predictions and uplift scores. */
const contractValue = fc.double({ min: -MAX_VALUE_MAGNITUDE, max: MAX_VALUE_MAGNITUDE, noNaN: true });

describe('drift: computeDrift(summarizeBaseline(reference), batch)', () => {
  const driftHolds = (reference: number[], batch: number[]) => {
    const result = timed(() => computeDrift(summarizeBaseline(reference), Float64Array.from(batch)));
    assert.ok(result, 'non-empty samples are never refused');
    assertFiniteResult(result, new Set());
    assert.ok(result.psiPValue >= 0 && result.psiPValue <= 1);
    assert.ok(result.ksPValue >= 0 && result.ksPValue <= 1);
  };

  test('every statistic is finite for any float32 values (what predictionsF32 carries)', () => {
    fc.assert(fc.property(values(float32), values(float32), driftHolds), { numRuns: RUNS });
  });

  test('every statistic is finite for values up to 1e150 in magnitude', () => {
    const moderate = fc.double({ min: -1e150, max: 1e150, noNaN: true });
    fc.assert(fc.property(values(moderate), values(moderate), driftHolds), { numRuns: RUNS });
  });

  test('every statistic is finite for any values the contracts accept (within ±1e9)', () => {
    fc.assert(fc.property(values(contractValue), values(contractValue), driftHolds), { numRuns: RUNS });
  });

  test('the contracts refuse any finite double beyond ±1e9, where the statistics would overflow', () => {
    fc.assert(
      fc.property(
        finite.filter((value) => Math.abs(value) > MAX_VALUE_MAGNITUDE),
        (value) => {
          assert.equal(PREDICTION.accepts(value), false);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('a batch at the contract bound against an ordinary baseline: wassersteinNormed is finite', () => {
    const result = computeDrift(
      summarizeBaseline([0.1, 0.2, 0.3, 0.4]),
      Float64Array.of(MAX_VALUE_MAGNITUDE, -MAX_VALUE_MAGNITUDE),
    );
    assert.ok(Number.isFinite(result.wassersteinNormed), `wassersteinNormed is ${result.wassersteinNormed}`);
  });

  test('a baseline at the contract bound keeps a finite standard deviation', () => {
    const summary = summarizeBaseline([MAX_VALUE_MAGNITUDE, -MAX_VALUE_MAGNITUDE, 0]);
    assert.ok(Number.isFinite(summary.referenceStd), `referenceStd is ${summary.referenceStd}`);
  });
});

describe('calibration: computeCalibration(predictions, outcomes)', () => {
  const NULLABLE = new Set([
    'oeRatio',
    'oeRatioLower',
    'oeRatioUpper',
    'calibrationSlope',
    'calibrationSlopeStandardError',
    'calibrationIntercept',
    'calibrationInterceptStandardError',
    'spiegelhalterZ',
    'spiegelhalterPValue',
    'reason',
  ]);
  const probability = fc.oneof(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom(0, 1, 1e-300, 1 - 1e-16),
  );
  const pairs = (predictionArbitrary: fc.Arbitrary<number>) =>
    fc
      .array(fc.tuple(predictionArbitrary, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 300 })
      .map((list) => ({
        predictions: Float64Array.from(list, ([p]) => p),
        outcomes: Uint8Array.from(list, ([, y]) => y),
      }));
  const calibrationHolds = ({
    predictions,
    outcomes,
  }: {
    predictions: Float64Array;
    outcomes: Uint8Array;
  }) => {
    const result = timed(() => computeCalibration(predictions, outcomes));
    assert.ok(result, 'valid pairs are never refused');
    assertFiniteResult(result, NULLABLE);
  };

  test('every statistic is finite or a documented null, for any probabilities and outcomes', () => {
    fc.assert(fc.property(pairs(probability), calibrationHolds), { numRuns: RUNS });
  });

  test('the same for float32 probabilities (what predictionsF32 carries)', () => {
    fc.assert(fc.property(pairs(probability.map(Math.fround)), calibrationHolds), { numRuns: RUNS });
  });

  test('all outcomes 0, all outcomes 1, all predictions 0 or 1: finite or documented null', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(0, 1),
        fc.constantFrom(0, 1, 0.5, 1e-300),
        (n, outcome, prediction) =>
          calibrationHolds({
            predictions: new Float64Array(n).fill(prediction),
            outcomes: new Uint8Array(n).fill(outcome),
          }),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('campaign lift: computeCampaignLift(campaigns)', () => {
  const NULLABLE = new Set([
    'liftRatio',
    'liftRatioLower',
    'liftRatioUpper',
    'intervalCoverage',
    'rankCorrelation',
    // Null without a planned treatment share, and the aggregates when every campaign is excluded for SRM.
    'srmPValue',
    'srmExcludedShare',
    'liftBias',
    'meanAbsoluteMiss',
    'significantMissRate',
  ]);
  const arm = (maxUnits: number) =>
    fc
      .integer({ min: 1, max: maxUnits })
      .chain((units) =>
        fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 0, max: units }) }),
      );
  const campaigns = (maxUnits: number, lift: fc.Arbitrary<number>) =>
    fc.array(
      fc.record(
        {
          campaignId: fc.string({ minLength: 1, maxLength: 8 }),
          predictedLift: lift,
          predictedLiftInterval: fc
            .tuple(lift, lift)
            .map(([a, b]) => ({ lower: Math.min(a, b), upper: Math.max(a, b) })),
          treatment: arm(maxUnits),
          control: arm(maxUnits),
          // Any share the contract accepts: the open interval (0, 1).
          plannedTreatmentShare: fc.double({ min: Number.MIN_VALUE, max: 1 - 2 ** -53, noNaN: true }),
        },
        { requiredKeys: ['campaignId', 'predictedLift', 'treatment', 'control'] },
      ),
      { minLength: 1, maxLength: 40 },
    );
  const liftHolds = (list: Parameters<typeof computeCampaignLift>[0]) => {
    const result = timed(() => computeCampaignLift(list));
    assert.ok(result, 'valid campaigns are never refused');
    assertFiniteResult(result, NULLABLE);
  };

  test('finite or documented null for realistic counts and lifts (units up to 1e7, lift in [-1, 1])', () => {
    fc.assert(fc.property(campaigns(10_000_000, fc.double({ min: -1, max: 1, noNaN: true })), liftHolds), {
      numRuns: RUNS,
    });
  });

  test('finite or documented null for any counts the contract accepts (safe integers) and lifts in [-1, 1]', () => {
    fc.assert(
      fc.property(campaigns(Number.MAX_SAFE_INTEGER, fc.double({ min: -1, max: 1, noNaN: true })), liftHolds),
      { numRuns: RUNS },
    );
  });

  test('the contract refuses predicted lifts outside [-1, 1], where the sums could overflow', () => {
    const message = (predictedLift: number) =>
      CampaignResults.safeParse({
        schemaVersion: 1,
        model: 'm',
        modelVersion: 'v1',
        windowEnd: '2026-11-26T15:00:00Z',
        campaigns: [
          {
            campaignId: 'c',
            predictedLift,
            treatment: { units: 1, conversions: 0 },
            control: { units: 1, conversions: 0 },
          },
        ],
      }).success;
    fc.assert(
      fc.property(
        finite.filter((value) => Math.abs(value) > 1),
        (value) => {
          assert.equal(message(value), false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('uplift: computeUplift(uplift, treatment, outcomes)', () => {
  const NULLABLE = new Set([
    'qiniAuc',
    'qiniAucLower',
    'qiniAucUpper',
    'upliftAuc',
    'upliftAt30',
    'treatedRate',
    'controlRate',
    'realizedUplift',
  ]);
  const units = (score: fc.Arbitrary<number>) =>
    fc
      .array(fc.tuple(score, fc.constantFrom(0, 1), fc.constantFrom(0, 1)), { minLength: 2, maxLength: 300 })
      .filter((list) => list.some(([, t]) => t === 1) && list.some(([, t]) => t === 0))
      .map((list) => ({
        uplift: Float64Array.from(list, ([u]) => u),
        treatment: Uint8Array.from(list, ([, t]) => t),
        outcomes: Uint8Array.from(list, ([, , y]) => y),
      }));
  const upliftHolds = ({
    uplift,
    treatment,
    outcomes,
  }: {
    uplift: Float64Array;
    treatment: Uint8Array;
    outcomes: Uint8Array;
  }) => {
    const result = timed(() => computeUplift(uplift, treatment, outcomes));
    assert.ok(result, 'units with both arms are never refused');
    assertFiniteResult(result, NULLABLE);
  };

  test('finite or documented null for any float32 scores (what upliftF32 carries)', () => {
    fc.assert(fc.property(units(float32), upliftHolds), { numRuns: RUNS });
  });

  test('finite or documented null for any scores the contract accepts (within ±1e9)', () => {
    fc.assert(fc.property(units(contractValue), upliftHolds), { numRuns: RUNS });
  });

  test('finite or documented null for heavily tied scores', () => {
    fc.assert(fc.property(units(fc.constantFrom(0, 0.1, -0.1)), upliftHolds), { numRuns: RUNS });
  });
});
