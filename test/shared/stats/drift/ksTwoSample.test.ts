import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { kolmogorovSurvival } from '../../../../shared/stats/drift/kolmogorovDistribution.js';
import { ksTwoSamplePValue, ksTwoSampleStatistic } from '../../../../shared/stats/drift/ksTwoSample.js';

interface HashRecipe {
  seed: number;
  size: number;
  scale: number;
  shift: number;
  quantum: number | null;
}

type SampleSpec =
  | { values: number[] }
  | { base64: string }
  | { linspace: [number, number, number]; add?: number[] }
  | { hash: HashRecipe };

interface TwoSampleCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  statistic: number;
  pvalue: number;
}

interface Golden {
  scipy: string;
  twoSample: TwoSampleCase[];
  kstwoSf: [number, number, number][];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../golden/ks.json', import.meta.url), 'utf8'),
) as Golden;

/** The generator's lowbias32 integer hash (Wellons), on 32-bit unsigned values. */
function lowbias32(input: number): number {
  let x = input;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Rebuilds a sample exactly as test/golden/generate_ks.py describes it. */
function buildSample(spec: SampleSpec): Float64Array {
  if ('values' in spec) return Float64Array.from(spec.values);
  if ('base64' in spec) {
    const bytes = Buffer.from(spec.base64, 'base64');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float64Array.from({ length: bytes.byteLength / 8 }, (_, i) => view.getFloat64(8 * i, true));
  }
  if ('linspace' in spec) {
    const [start, stop, num] = spec.linspace;
    const step = (stop - start) / (num - 1);
    const y = Float64Array.from({ length: num }, (_, i) => i * step + start);
    y[num - 1] = stop;
    for (const a of spec.add ?? []) for (let i = 0; i < num; i += 1) y[i] = y[i]! + a;
    return y;
  }
  const { seed, size, scale, shift, quantum } = spec.hash;
  const base = (seed * 0x9e3779b9) % 4294967296;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i += 1) {
    let sum = 0;
    for (let k = 0; k < 4; k += 1) {
      const u = (lowbias32((4 * i + k + base) % 4294967296) + 0.5) / 4294967296;
      sum = k === 0 ? u : sum + u;
    }
    const x = (sum - 2.0) * scale + shift;
    out[i] = quantum === null ? x : Math.floor(x * quantum) / quantum;
  }
  return out;
}

const sorted = (values: Float64Array): Float64Array => Float64Array.from(values).sort();

/**
 * The agreed tolerance (1e-6 absolute or 1e-4 relative), plus a much tighter guard (1e-12 absolute or
 * 1e-9 relative; observed errors are ~1e-15 absolute and ~5e-13 relative) so accuracy regressions show.
 */
function assertPValueClose(actual: number, expected: number, label: string): void {
  const error = Math.abs(actual - expected);
  const message = `${label}: p-value ${actual} differs from scipy ${expected} by ${error}`;
  assert.ok(error <= 1e-6 || error <= 1e-4 * Math.abs(expected), message);
  assert.ok(error <= 1e-12 || error <= 1e-9 * Math.abs(expected), `${message} (tight guard)`);
}

test('the golden cases cover the exact and asymptotic paths, ties, and both tails of kstwo', () => {
  // What the comparisons below are worth: the regimes the committed cases reach (not only their count).
  const sizes = golden.twoSample.map((c) => [buildSample(c.reference), buildSample(c.current)] as const);
  assert.ok(
    sizes.some(([r, c]) => Math.max(r.length, c.length) <= 10_000),
    'a case on the exact path',
  );
  assert.ok(
    sizes.some(([r, c]) => Math.max(r.length, c.length) > 10_000),
    'a case on the asymptotic path',
  );
  assert.ok(
    sizes.some(([r, c]) => new Set([...r, ...c]).size < r.length + c.length),
    'a case with tied values',
  );
  assert.ok(golden.twoSample.some((c) => c.pvalue < 1e-10) && golden.twoSample.some((c) => c.pvalue > 0.5));
  const survivals = golden.kstwoSf.map(([, , p]) => p);
  assert.ok(survivals.some((p) => p < 1e-10) && survivals.some((p) => p > 0.5), 'both tails of kstwo.sf');
});

test('statistic and p-value equal scipy ks_2samp for every golden two-sample case', () => {
  for (const c of golden.twoSample) {
    const reference = sorted(buildSample(c.reference));
    const current = sorted(buildSample(c.current));
    const statistic = ksTwoSampleStatistic(reference, current);
    assert.ok(
      Math.abs(statistic - c.statistic) <= 1e-12,
      `${c.name}: statistic ${statistic} differs from scipy ${c.statistic}`,
    );
    assertPValueClose(ksTwoSamplePValue(statistic, reference.length, current.length), c.pvalue, c.name);
  }
});

test('kolmogorovSurvival equals scipy kstwo.sf across sample sizes and distances', () => {
  for (const [n, d, expected] of golden.kstwoSf) {
    assertPValueClose(kolmogorovSurvival(d, n), expected, `kstwo.sf(${d}, ${n})`);
  }
});

test('empty samples and invalid sizes or statistics are rejected', () => {
  assert.throws(() => ksTwoSampleStatistic(new Float64Array(0), Float64Array.of(1)), {
    name: 'RangeError',
    message: 'ksTwoSampleStatistic requires non-empty samples',
  });
  assert.throws(() => ksTwoSamplePValue(0.5, 0, 3), RangeError);
  assert.throws(() => ksTwoSamplePValue(0.5, 2.5, 3), RangeError);
  assert.throws(() => ksTwoSamplePValue(1.5, 2, 3), RangeError);
  assert.throws(() => ksTwoSamplePValue(-0.1, 2, 3), RangeError);
});

test('missing values propagate as NaN like scipy', () => {
  assert.ok(Number.isNaN(ksTwoSampleStatistic(sorted(Float64Array.of(1, Number.NaN)), Float64Array.of(2))));
  assert.ok(Number.isNaN(ksTwoSamplePValue(Number.NaN, 3, 4)));
  assert.ok(Number.isNaN(kolmogorovSurvival(0.1, 2.5)));
});

const sampleArb = fc
  .array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((values) => sorted(Float64Array.from(values)));
const tiedSampleArb = fc
  .array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 })
  .map((values) => sorted(Float64Array.from(values)));
const anySampleArb = fc.oneof(sampleArb, tiedSampleArb);

test('identical samples give a statistic of zero and a p-value of one', () => {
  fc.assert(
    fc.property(anySampleArb, (sample) => {
      const statistic = ksTwoSampleStatistic(sample, Float64Array.from(sample));
      assert.equal(statistic, 0);
      assert.equal(ksTwoSamplePValue(statistic, sample.length, sample.length), 1);
    }),
  );
});

test('swapping the samples leaves statistic and p-value unchanged', () => {
  fc.assert(
    fc.property(anySampleArb, anySampleArb, (reference, current) => {
      const forward = ksTwoSampleStatistic(reference, current);
      const backward = ksTwoSampleStatistic(current, reference);
      assert.equal(forward, backward);
      assert.equal(
        ksTwoSamplePValue(forward, reference.length, current.length),
        ksTwoSamplePValue(backward, current.length, reference.length),
      );
    }),
  );
});

test('statistic and p-value stay within the unit interval', () => {
  fc.assert(
    fc.property(anySampleArb, anySampleArb, (reference, current) => {
      const statistic = ksTwoSampleStatistic(reference, current);
      assert.ok(statistic >= 0 && statistic <= 1);
      const p = ksTwoSamplePValue(statistic, reference.length, current.length);
      assert.ok(p >= 0 && p <= 1);
    }),
  );
});

test('the p-value does not increase as the statistic grows for fixed sizes', () => {
  const sizes = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 10001, max: 400000 }));
  fc.assert(
    fc.property(
      sizes,
      sizes,
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (n, m, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const pLow = ksTwoSamplePValue(low, n, m);
        const pHigh = ksTwoSamplePValue(high, n, m);
        assert.ok(pHigh <= pLow + 1e-12, `p(${high}) = ${pHigh} > p(${low}) = ${pLow} for sizes ${n}, ${m}`);
      },
    ),
    { numRuns: 300 },
  );
});
