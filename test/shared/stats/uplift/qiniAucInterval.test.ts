import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RandomStream } from '../../../../local/scenario/random.js';
import { poisson1, Xoshiro128 } from '../../../../shared/stats/poissonWeights.js';
import { qiniAuc } from '../../../../shared/stats/uplift/qiniAuc.js';
import {
  QINI_INTERVAL_REPLICATES,
  qiniAucInterval,
  qiniAucReplicates,
  rankedUnitsSeed,
} from '../../../../shared/stats/uplift/qiniAucInterval.js';
import { rankByUplift } from '../../../../shared/stats/uplift/rankByUplift.js';

interface Units {
  scores: Float64Array;
  treatment: Uint8Array;
  outcomes: Uint8Array;
}

/**
 * A randomised batch: score s ~ U(0, 1), treatment ~ Bernoulli(share), conversion probability
 * base + treatment (effect + slope (s - 1/2)). The slope sets how well s ranks by uplift (0: random).
 */
function batch(random: RandomStream, n: number, slope: number, share = 0.5): Units {
  const scores = new Float64Array(n);
  const treatment = new Uint8Array(n);
  const outcomes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = random.uniform();
    const t = random.uniform() < share ? 1 : 0;
    scores[i] = s;
    treatment[i] = t;
    outcomes[i] = random.uniform() < BASE + t * (EFFECT + slope * (s - 0.5)) ? 1 : 0;
  }
  return { scores, treatment, outcomes };
}
const BASE = 0.1;
const EFFECT = 0.05;

/**
 * The Qini coefficient of that process as n grows (areas over n^2, ranks u = 1 - s, tau(u) = effect +
 * slope (1/2 - u)): model pi int (1 - u) tau = pi (effect / 2 + slope / 12), random pi effect / 2, perfect
 * r_t^2 / 2 + (1 - r_c - r_t) r_t + r_c (r_t + pi effect) / 2 with r_t = pi (base + effect), r_c = (1 - pi) base.
 */
function trueQini(slope: number, share = 0.5): number {
  const rt = share * (BASE + EFFECT);
  const rc = (1 - share) * BASE;
  const end = share * EFFECT;
  const perfect = (rt * rt) / 2 + (1 - rc - rt) * rt + (rc * (rt + end)) / 2;
  return (share * slope) / 12 / (perfect - end / 2);
}

const ranked = ({ scores, treatment, outcomes }: Units) => rankByUplift(scores, treatment, outcomes);

describe('qiniAucInterval', () => {
  test('the analytic Qini of the simulation matches a 2,000,000-unit sample', () => {
    const large = ranked(batch(new RandomStream(7, 'large'), 2_000_000, 0.08));
    assert.ok(Math.abs(qiniAuc(large)! - trueQini(0.08)) < 0.004, `${qiniAuc(large)} vs ${trueQini(0.08)}`);
  });

  for (const { slope, label } of [
    { slope: 0.08, label: 'a model that ranks well' },
    { slope: 0, label: 'a random ranking' },
  ]) {
    test(`covers the true Qini in about 95% of 200 batches of 10,000 units (${label})`, (t) => {
      const truth = trueQini(slope);
      let covered = 0;
      const batches = 200;
      for (let b = 0; b < batches; b++) {
        const interval = qiniAucInterval(
          ranked(batch(new RandomStream(b, `coverage ${slope}`), 10_000, slope)),
        );
        assert.ok(interval);
        if (interval.lower <= truth && truth <= interval.upper) covered++;
      }
      t.diagnostic(`covered ${covered} of ${batches}`);
      // Binomial(200, 0.95): 90%-99% holds with probability above 0.998.
      assert.ok(covered >= 180 && covered <= 198, `covered ${covered} of ${batches}`);
    });
  }

  test('each replicate is qiniAuc of the resample in which unit j appears w_j times, ties grouped', () => {
    const random = new RandomStream(3, 'ties');
    const n = 60;
    // Scores on five levels: long runs of ties, so whole runs vanish from some resamples.
    const scores = Float64Array.from({ length: n }, () => Math.floor(random.uniform() * 5) / 4);
    const treatment = Uint8Array.from({ length: n }, () => (random.uniform() < 0.5 ? 1 : 0));
    const outcomes = Uint8Array.from({ length: n }, () => (random.uniform() < 0.4 ? 1 : 0));
    const units = rankByUplift(scores, treatment, outcomes);
    const replicates = qiniAucReplicates(units, 6, 99);
    const stream = new Xoshiro128(99);
    for (let r = 0; r < 6; r += 2) {
      const weights = [new Uint8Array(n), new Uint8Array(n)];
      for (let j = 0; j < n; j++) {
        const word = stream.nextUint32();
        weights[0]![j] = poisson1(word >>> 16);
        weights[1]![j] = poisson1(word & 0xffff);
      }
      for (const [k, w] of weights.entries()) {
        const expanded: number[] = [];
        units.scores.forEach((_, j) => {
          for (let copy = 0; copy < w[j]!; copy++) expanded.push(j);
        });
        const resample = rankByUplift(
          Float64Array.from(expanded, (j) => units.scores[j]!),
          Uint8Array.from(expanded, (j) => units.treatment[j]!),
          Uint8Array.from(expanded, (j) => units.outcomes[j]!),
        );
        const expected = qiniAuc(resample);
        assert.ok(expected !== null);
        assert.ok(Math.abs(replicates[r + k]! - expected) < 1e-12, `${replicates[r + k]} vs ${expected}`);
      }
    }
  });

  test('gives the same interval for the same batch, in any input order of untied units', () => {
    const units = batch(new RandomStream(5, 'same'), 3000, 0.08);
    const first = qiniAucInterval(ranked(units));
    const order = Array.from({ length: 3000 }, (_, i) => 2999 - i);
    const reversed = qiniAucInterval(
      rankByUplift(
        Float64Array.from(order, (i) => units.scores[i]!),
        Uint8Array.from(order, (i) => units.treatment[i]!),
        Uint8Array.from(order, (i) => units.outcomes[i]!),
      ),
    );
    assert.deepEqual(reversed, first);
    assert.deepEqual(qiniAucInterval(ranked(units)), first);
  });

  test('draws other weights for a batch that differs in one outcome', () => {
    const units = batch(new RandomStream(5, 'same'), 3000, 0.08);
    const changed = { ...units, outcomes: units.outcomes.slice() };
    changed.outcomes[17] = 1 - changed.outcomes[17]!;
    assert.notEqual(rankedUnitsSeed(ranked(changed)), rankedUnitsSeed(ranked(units)));
    const a = qiniAucReplicates(ranked(units), 20, rankedUnitsSeed(ranked(units)));
    const b = qiniAucReplicates(ranked(units), 20, rankedUnitsSeed(ranked(changed)));
    assert.notDeepEqual(a, b);
  });

  test('is null when no unit converted, and refuses an odd or non-positive number of replicates', () => {
    const none = rankByUplift(
      Float64Array.of(0.1, 0.2, 0.3, 0.4),
      Uint8Array.of(1, 0, 1, 0),
      new Uint8Array(4),
    );
    assert.equal(qiniAucInterval(none), null);
    assert.throws(() => qiniAucInterval(none, 3), /even number of replicates/);
    assert.throws(() => qiniAucInterval(none, 0), /even number of replicates/);
  });

  test('bounds are finite, ordered and within the range of the replicates (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean(), fc.boolean()), {
          minLength: 8,
          maxLength: 200,
        }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (rows, seed) => {
          const units = rankByUplift(
            Float64Array.from(rows, ([s]) => s / 20),
            Uint8Array.from(rows, ([, t]) => (t ? 1 : 0)),
            Uint8Array.from(rows, ([, , y]) => (y ? 1 : 0)),
          );
          const replicates = qiniAucReplicates(units, 40, seed);
          const interval = qiniAucInterval(units, 40, seed);
          if (replicates.some(Number.isNaN)) {
            assert.equal(interval, null);
            return;
          }
          assert.ok(interval);
          assert.ok(Number.isFinite(interval.lower) && Number.isFinite(interval.upper));
          assert.ok(interval.lower <= interval.upper);
          assert.ok(interval.lower >= Math.min(...replicates) && interval.upper <= Math.max(...replicates));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('reproduces its documented example (the draws are part of the definition: a change shows here)', () => {
    const example = rankByUplift(
      Float64Array.from({ length: 40 }, (_, i) => (i % 8) / 8),
      Uint8Array.from({ length: 40 }, (_, i) => i % 2),
      Uint8Array.from({ length: 40 }, (_, i) => ((i * 7) % 5 < (i % 2 ? 3 : 1) ? 1 : 0)),
    );
    assert.deepEqual(qiniAucInterval(example, 200, 1), {
      lower: -0.24587380205213072,
      upper: 0.4362818182118756,
    });
  });

  test('uses the documented number of replicates', () => {
    assert.equal(QINI_INTERVAL_REPLICATES, 200);
  });
});

describe('poisson1 and Xoshiro128', () => {
  test('xoshiro128** from state (1, 2, 3, 4) starts 11520, 0, 5927040 (the reference implementation)', () => {
    const stream = new Xoshiro128(0);
    stream.state.set([1, 2, 3, 4]);
    assert.deepEqual([stream.nextUint32(), stream.nextUint32(), stream.nextUint32()], [11520, 0, 5927040]);
  });

  test('inverts the Poisson(1) distribution at the midpoints of 16-bit cells', () => {
    // 2^16 e^-1 = 24109.3 and 2^16 2 e^-1 = 48218.7: the cells whose midpoints fall on either side.
    assert.deepEqual([0, 24108, 24109, 48218, 48219, 65535].map(poisson1), [0, 0, 1, 1, 2, 8]);
    const counts = new Array<number>(9).fill(0);
    for (let h = 0; h < 2 ** 16; h++) counts[poisson1(h)]!++;
    let factorial = 1;
    counts.forEach((count, k) => {
      if (k > 0) factorial *= k;
      assert.ok(Math.abs(count / 2 ** 16 - Math.exp(-1) / factorial) <= 2 ** -16, `P(w = ${k})`);
    });
  });

  test('draws weights with mean 1, variance 1 and P(0) = e^-1', () => {
    const stream = new Xoshiro128(42);
    const draws = 1_000_000;
    let sum = 0;
    let squares = 0;
    let zeros = 0;
    for (let i = 0; i < draws; i++) {
      const w = poisson1(stream.nextUint32() >>> 16);
      sum += w;
      squares += w * w;
      if (w === 0) zeros++;
    }
    const mean = sum / draws;
    assert.ok(Math.abs(mean - 1) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(squares / draws - mean * mean - 1) < 0.01, 'variance');
    assert.ok(Math.abs(zeros / draws - Math.exp(-1)) < 0.002, `P(0) ${zeros / draws}`);
  });
});
