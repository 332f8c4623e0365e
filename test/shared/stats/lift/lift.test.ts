import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { averageRanks } from '../../../../shared/stats/lift/averageRanks.js';
import type { CampaignOutcome } from '../../../../shared/stats/lift/campaign.js';
import {
  type CampaignLiftStatistics,
  computeCampaignLift,
} from '../../../../shared/stats/lift/campaignSuite.js';
import { intervalCoverage } from '../../../../shared/stats/lift/intervalCoverage.js';
import { liftBias } from '../../../../shared/stats/lift/liftBias.js';
import { liftRatio } from '../../../../shared/stats/lift/liftRatio.js';
import { meanAbsoluteMiss } from '../../../../shared/stats/lift/meanAbsoluteMiss.js';
import { newcombeInterval } from '../../../../shared/stats/lift/newcombeInterval.js';
import { realizedLift } from '../../../../shared/stats/lift/realizedLift.js';
import { significantMissRate } from '../../../../shared/stats/lift/significantMissRate.js';
import { spearmanCorrelation } from '../../../../shared/stats/lift/spearmanCorrelation.js';
import { NORMAL_QUANTILE_975 } from '../../../../shared/stats/normalQuantile.js';
import { wilsonInterval } from '../../../../shared/stats/wilsonInterval.js';
import { assertClose } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

interface LiftGoldenCase {
  name: string;
  campaigns: CampaignOutcome[];
  expected: CampaignLiftStatistics;
}

const golden = readGolden<{ statsmodels: string; scipy: string; z: number; cases: LiftGoldenCase[] }>(
  'lift.json',
);
const TIGHT = { relative: 1e-12, absolute: 1e-15 } as const;

function assertCloseOrNull(actual: number | null, expected: number | null, label: string): void {
  if (expected === null) assert.equal(actual, null, `${label} is null`);
  else assertClose(actual ?? Number.NaN, expected, TIGHT, label);
}

const arm = (conversions: number, units: number) => ({ units, conversions });

describe(`campaign lift agrees with statsmodels ${golden.statsmodels} and scipy ${golden.scipy}`, () => {
  test('the 97.5% normal quantile is scipy.stats.norm.isf(0.025)', () => {
    assert.equal(NORMAL_QUANTILE_975, golden.z);
  });

  for (const { name, campaigns, expected } of golden.cases) {
    test(`matches the golden values on: ${name}`, () => {
      const result = computeCampaignLift(campaigns);
      assert.equal(result.campaigns, expected.campaigns);
      assertCloseOrNull(result.liftRatio, expected.liftRatio, 'liftRatio');
      assertCloseOrNull(result.liftRatioLower, expected.liftRatioLower, 'liftRatioLower');
      assertCloseOrNull(result.liftRatioUpper, expected.liftRatioUpper, 'liftRatioUpper');
      assertClose(
        result.realizedIncrementalConversions,
        expected.realizedIncrementalConversions,
        { relative: 1e-12, absolute: 1e-12 },
        'realizedIncrementalConversions',
      );
      assertClose(
        result.predictedIncrementalConversions,
        expected.predictedIncrementalConversions,
        { relative: 1e-12, absolute: 1e-12 },
        'predictedIncrementalConversions',
      );
      assertClose(result.liftBias, expected.liftBias, { relative: 1e-12, absolute: 1e-15 }, 'liftBias');
      assertClose(
        result.meanAbsoluteMiss,
        expected.meanAbsoluteMiss,
        { relative: 1e-12, absolute: 1e-15 },
        'meanAbsoluteMiss',
      );
      assertCloseOrNull(result.intervalCoverage, expected.intervalCoverage, 'intervalCoverage');
      assertCloseOrNull(result.rankCorrelation, expected.rankCorrelation, 'rankCorrelation');
      assert.equal(result.significantMissRate, expected.significantMissRate);
      assert.equal(result.perCampaign.length, expected.perCampaign.length);
      result.perCampaign.forEach((row, i) => {
        const want = expected.perCampaign[i]!;
        assert.equal(row.campaignId, want.campaignId);
        assert.equal(row.treatmentUnits, want.treatmentUnits);
        assert.equal(row.controlUnits, want.controlUnits);
        assert.equal(row.predictedLift, want.predictedLift);
        assert.equal(row.realizedLift, want.realizedLift, `${row.campaignId} realizedLift`);
        assertClose(row.realizedLiftLower, want.realizedLiftLower, TIGHT, `${row.campaignId} lower`);
        assertClose(row.realizedLiftUpper, want.realizedLiftUpper, TIGHT, `${row.campaignId} upper`);
      });
    });
  }
});

describe('campaign lift: published values', () => {
  const newcombe = (x1: number, n1: number, x2: number, n2: number) =>
    newcombeInterval(arm(x1, n1), arm(x2, n2));

  test('Newcombe (1998) 56/70 vs 48/80 gives [0.0524, 0.3339] (N-1, propint)', () => {
    const { difference, lower, upper } = newcombe(56, 70, 48, 80);
    assertClose(difference, 0.2, { absolute: 1e-15 });
    assertClose(lower, 0.0524, { absolute: 1e-4 });
    assertClose(upper, 0.3339, { absolute: 1e-4 });
  });

  test('Newcombe (1998) 9/10 vs 3/10 gives [0.1705, 0.8090] (N-2, propint)', () => {
    const { lower, upper } = newcombe(9, 10, 3, 10);
    assertClose(lower, 0.1705, { absolute: 1e-4 });
    assertClose(upper, 0.809, { absolute: 1e-4 });
  });

  test('Fagerland et al. 7/34 vs 1/34 gives [0.019, 0.340] (N-3, statsmodels test_confint_2indep)', () => {
    const { lower, upper } = newcombe(7, 34, 1, 34);
    assertClose(lower, 0.019, { absolute: 0.005 });
    assertClose(upper, 0.34, { absolute: 0.005 });
  });

  test('Wilson 81/263 and 15/148 give [0.2553, 0.3662] and [0.0624, 0.1605] (N-6, propint)', () => {
    const first = wilsonInterval(81, 263);
    const second = wilsonInterval(15, 148);
    assertClose(first.lower, 0.2553, { absolute: 1e-4 });
    assertClose(first.upper, 0.3662, { absolute: 1e-4 });
    assertClose(second.lower, 0.0624, { absolute: 1e-4 });
    assertClose(second.upper, 0.1605, { absolute: 1e-4 });
  });

  test('method 10 reproduces the derived N-7 table to six decimals, including 0/n and n/n arms', () => {
    const table: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.052431, 0.333873],
      [9, 10, 3, 10, 0.170523, 0.809018],
      [7, 34, 1, 34, 0.018921, 0.340369],
      [5, 56, 0, 29, -0.038137, 0.19256],
      [6, 7, 2, 7, 0.058228, 0.80625],
      [0, 10, 0, 20, -0.161125, 0.277533],
      [10, 10, 0, 20, 0.679086, 1],
    ];
    for (const [x1, n1, x2, n2, lower, upper] of table) {
      const interval = newcombe(x1, n1, x2, n2);
      assertClose(interval.lower, lower, { absolute: 5e-7 }, `${x1}/${n1} - ${x2}/${n2} lower`);
      assertClose(interval.upper, upper, { absolute: 5e-7 }, `${x1}/${n1} - ${x2}/${n2} upper`);
    }
  });

  test('the doc comment examples give their stated results', () => {
    const half = { treatment: arm(50, 100), control: arm(25, 100) };
    assert.equal(realizedLift(half), 0.25);
    assert.deepEqual(liftRatio([{ ...half, predictedLift: 0.25 }]), {
      ratio: 1,
      lower: 0.4814422718263771,
      upper: 1.518557728173623,
      realizedIncrementalConversions: 25,
      predictedIncrementalConversions: 25,
    });
    assert.equal(liftBias([{ ...half, predictedLift: 0.5 }]), -0.25);
    assert.equal(
      meanAbsoluteMiss([
        { ...half, predictedLift: 0.5 },
        { ...half, predictedLift: 0 },
      ]),
      0.25,
    );
    assert.deepEqual(wilsonInterval(81, 263), { lower: 0.2552885198782742, upper: 0.36620957698280004 });
    assert.deepEqual(newcombeInterval(arm(56, 70), arm(48, 80)), {
      difference: 0.20000000000000007,
      lower: 0.05243147240236498,
      upper: 0.33387265403690614,
    });
    const small = { treatment: arm(3, 10), control: arm(2, 10) };
    assert.equal(
      intervalCoverage([
        { ...small, predictedLiftInterval: { lower: 0, upper: 0.2 } },
        { ...small, predictedLiftInterval: { lower: 0.2, upper: 0.3 } },
        small,
      ]),
      0.5,
    );
    assert.equal(
      significantMissRate([
        { predictedLift: 0.2, realizedLiftLower: 0.05, realizedLiftUpper: 0.33 },
        { predictedLift: 0.4, realizedLiftLower: 0.05, realizedLiftUpper: 0.33 },
      ]),
      0.5,
    );
    assert.deepEqual(Array.from(averageRanks([10, 20, 10, 30])), [1.5, 3, 1.5, 4]);
    assert.equal(spearmanCorrelation([1, 2, 3], [1, 3, 2]), 0.5);
  });
});

describe('campaign lift: edges and refusals', () => {
  const campaign = (predictedLift: number, t: [number, number], c: [number, number]): CampaignOutcome => ({
    campaignId: `c${predictedLift}`,
    predictedLift,
    treatment: arm(...t),
    control: arm(...c),
  });

  const refusals: [string, CampaignOutcome[], RegExp][] = [
    ['no campaigns', [], /computeCampaignLift requires at least one campaign/],
    [
      'a treatment arm without units',
      [campaign(0.1, [0, 0], [1, 10])],
      /units > 0 .* treatment arm of campaign c0.1/,
    ],
    ['a control arm with more conversions than units', [campaign(0.1, [1, 10], [11, 10])], /control arm/],
    ['negative conversions', [campaign(0.1, [-1, 10], [1, 10])], /treatment arm/],
    ['a NaN predicted lift', [campaign(Number.NaN, [1, 10], [1, 10])], /finite predictedLift/],
    [
      'an inverted predicted interval',
      [{ ...campaign(0.1, [1, 10], [1, 10]), predictedLiftInterval: { lower: 0.2, upper: 0.1 } }],
      /lower <= upper/,
    ],
  ];
  for (const [what, campaigns, message] of refusals) {
    test(`refuses ${what}`, () => {
      assert.throws(() => computeCampaignLift(campaigns), message);
    });
  }

  test('a single campaign has no rank correlation and an undefined ratio when its prediction is not positive', () => {
    const result = computeCampaignLift([campaign(-0.01, [10, 100], [12, 100])]);
    assert.equal(result.rankCorrelation, null);
    assert.equal(result.liftRatio, null);
    assert.equal(result.liftRatioLower, null);
    assert.equal(result.intervalCoverage, null);
  });

  test('spearmanCorrelation refuses vectors of different lengths and is null for a constant vector', () => {
    assert.throws(
      () => spearmanCorrelation([1, 2], [1]),
      /spearmanCorrelation requires x and y of the same length/,
    );
    assert.equal(spearmanCorrelation([1, 1, 1], [1, 2, 3]), null);
    assert.equal(spearmanCorrelation([1], [2]), null);
  });
});

const armArbitrary = fc
  .integer({ min: 1, max: 5000 })
  .chain((units) =>
    fc.record({ units: fc.constant(units), conversions: fc.integer({ min: 0, max: units }) }),
  );
const campaignArbitrary: fc.Arbitrary<CampaignOutcome> = fc
  .record({
    campaignId: fc.string({ maxLength: 8 }),
    predictedLift: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
    treatment: armArbitrary,
    control: armArbitrary,
    halfWidth: fc.option(fc.double({ min: 0, max: 0.2, noNaN: true }), { nil: undefined }),
  })
  .map(({ halfWidth, ...rest }) =>
    halfWidth === undefined
      ? rest
      : {
          ...rest,
          predictedLiftInterval: {
            lower: rest.predictedLift - halfWidth,
            upper: rest.predictedLift + halfWidth,
          },
        },
  );
const campaignsArbitrary = fc.array(campaignArbitrary, { minLength: 1, maxLength: 40 });

describe('campaign lift: properties', () => {
  test('campaigns realizing exactly their predicted lift have a lift ratio of 1, a lift bias of 0 and no miss', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const exact = campaigns.map((c) => ({ ...c, predictedLift: realizedLift(c) }));
        const result = computeCampaignLift(exact);
        assert.equal(result.liftBias, 0);
        assert.equal(result.meanAbsoluteMiss, 0);
        if (result.predictedIncrementalConversions > 0) assert.equal(result.liftRatio, 1);
        else assert.equal(result.liftRatio, null);
        assert.equal(result.significantMissRate, 0);
      }),
    );
  });

  test('every interval contains its estimate and Newcombe intervals stay inside [-1, 1]', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const result = computeCampaignLift(campaigns);
        for (const row of result.perCampaign) {
          assert.ok(row.realizedLiftLower <= row.realizedLift && row.realizedLift <= row.realizedLiftUpper);
          assert.ok(row.realizedLiftLower >= -1 - 1e-12 && row.realizedLiftUpper <= 1 + 1e-12);
        }
        if (result.liftRatio !== null) {
          assert.ok(result.liftRatioLower! <= result.liftRatio && result.liftRatio <= result.liftRatioUpper!);
        }
      }),
    );
  });

  test('rank correlation is null or within [-1, 1], and rates are shares', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const result = computeCampaignLift(campaigns);
        if (result.rankCorrelation !== null) {
          assert.ok(result.rankCorrelation >= -1 && result.rankCorrelation <= 1);
        }
        assert.ok(result.significantMissRate >= 0 && result.significantMissRate <= 1);
        if (result.intervalCoverage !== null) {
          assert.ok(result.intervalCoverage >= 0 && result.intervalCoverage <= 1);
        }
      }),
    );
  });

  test('the order of the campaigns does not matter', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const forward = computeCampaignLift(campaigns);
        const backward = computeCampaignLift([...campaigns].reverse());
        const near = { relative: 1e-9, absolute: 1e-12 };
        if (forward.liftRatio === null) assert.equal(backward.liftRatio, null);
        else assertClose(backward.liftRatio!, forward.liftRatio, near, 'liftRatio');
        assertClose(backward.liftBias, forward.liftBias, near, 'liftBias');
        assert.equal(backward.rankCorrelation === null, forward.rankCorrelation === null);
        if (forward.rankCorrelation !== null) {
          assertClose(backward.rankCorrelation!, forward.rankCorrelation, near, 'rankCorrelation');
        }
        assert.equal(backward.intervalCoverage, forward.intervalCoverage);
        assert.equal(backward.significantMissRate, forward.significantMissRate);
      }),
    );
  });

  test('the mean absolute miss is at least the absolute lift bias, equal to it when every miss has one sign', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const { liftBias: bias, meanAbsoluteMiss: miss } = computeCampaignLift(campaigns);
        // Exact, not approximate: |fl(a + b)| <= fl(|a| + |b|) since rounding is monotone and symmetric.
        assert.ok(miss >= Math.abs(bias), `${miss} >= |${bias}|`);
        const under = campaigns.map((c) => ({
          ...c,
          predictedLift: realizedLift(c) + 0.01 + Math.abs(c.predictedLift),
        }));
        const onOneSide = computeCampaignLift(under);
        assertClose(onOneSide.meanAbsoluteMiss, -onOneSide.liftBias, { relative: 1e-12, absolute: 1e-15 });
      }),
    );
  });

  test('the mean absolute miss scales with the error of the predictions', () => {
    const errors = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
      minLength: 40,
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        campaignsArbitrary,
        errors,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (campaigns, error, k) => {
          const missing = (scale: number) =>
            meanAbsoluteMiss(
              campaigns.map((c, i) => ({ ...c, predictedLift: realizedLift(c) - scale * error[i]! })),
            );
          assertClose(missing(k), k * missing(1), { relative: 1e-9, absolute: 1e-12 });
        },
      ),
    );
  });

  test('doubling every predicted lift halves the lift ratio and its bounds', () => {
    fc.assert(
      fc.property(campaignsArbitrary, (campaigns) => {
        const once = liftRatio(campaigns);
        const twice = liftRatio(campaigns.map((c) => ({ ...c, predictedLift: 2 * c.predictedLift })));
        if (once.ratio === null) return;
        const near = { relative: 1e-12, absolute: 1e-15 };
        assertClose(twice.ratio!, once.ratio / 2, near, 'ratio');
        assertClose(twice.lower!, once.lower! / 2, near, 'lower');
        assertClose(twice.upper!, once.upper! / 2, near, 'upper');
      }),
    );
  });

  test('Spearman correlation is unchanged by a strictly increasing map and flips sign under negation', () => {
    // Integers keep v^3 + 2v exact, so ties stay ties and distinct values stay distinct.
    const pairs = fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), {
      minLength: 2,
      maxLength: 60,
    });
    fc.assert(
      fc.property(pairs, (xy) => {
        const x = xy.map(([a]) => a);
        const y = xy.map(([, b]) => b);
        const rho = spearmanCorrelation(x, y);
        const transformed = spearmanCorrelation(
          x.map((v) => v ** 3 + 2 * v),
          y,
        );
        const negated = spearmanCorrelation(
          x.map((v) => -v),
          y,
        );
        if (rho === null) {
          assert.equal(transformed, null);
          return;
        }
        assert.equal(transformed, rho);
        assertClose(negated!, -rho, { absolute: 1e-12 });
      }),
    );
  });
});

test('the campaign suite handles 10,000 campaigns', () => {
  const campaigns: CampaignOutcome[] = Array.from({ length: 10_000 }, (_, i) => ({
    campaignId: `c${i}`,
    predictedLift: ((i % 97) - 20) / 1000,
    treatment: arm((i * 7919) % 500, 1000 + (i % 300)),
    control: arm((i * 104729) % 400, 800 + (i % 200)),
    ...(i % 3 === 0 ? { predictedLiftInterval: { lower: -0.05, upper: 0.05 } } : {}),
  }));
  const result = computeCampaignLift(campaigns);
  assert.equal(result.perCampaign.length, 10_000);
  assert.ok(result.rankCorrelation !== null && Number.isFinite(result.rankCorrelation));
});
