import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { summarizeBaseline } from '../../../../shared/stats/drift/baselineSummary.js';
import { jensenShannonDistance } from '../../../../shared/stats/drift/jensenShannonDistance.js';
import { populationStabilityIndex } from '../../../../shared/stats/drift/populationStabilityIndex.js';
import {
  CHI_SQUARED_99,
  chiSquaredQuantile,
  psiNullQuantile,
} from '../../../../shared/stats/drift/psiNullQuantile.js';
import { psiPValue } from '../../../../shared/stats/drift/psiPValue.js';
import { binCountsSorted, quantileEdges } from '../../../../shared/stats/drift/quantileBins.js';
import { computeDrift } from '../../../../shared/stats/drift/suite.js';
import { wassersteinDistance } from '../../../../shared/stats/drift/wassersteinDistance.js';
import { quantileSorted } from '../../../../shared/stats/quantileSorted.js';
import { assertClose } from '../../../support/assertClose.js';
import { type DriftGoldenCase, readGolden } from '../../../support/golden.js';

const golden = readGolden<{ scipy: string; cases: DriftGoldenCase[] }>('drift.json');
const P_VALUE = { absolute: 1e-6, relative: 1e-4 } as const;
const TIGHT = { relative: 1e-12, absolute: 1e-15 } as const;

describe(`drift statistics agree with numpy/scipy ${golden.scipy}`, () => {
  for (const { name, reference, current, expected } of golden.cases) {
    test(`matches scipy on: ${name}`, () => {
      const summary = summarizeBaseline(reference);
      assert.deepEqual(Array.from(summary.edges), expected.edges, 'edges equal numpy quantiles bit for bit');
      assert.deepEqual(summary.referenceCounts, expected.referenceCounts);
      assertClose(summary.referenceStd, expected.referenceStd, TIGHT, 'referenceStd');
      const sortedCurrent = Float64Array.from(current).sort();
      assert.deepEqual(binCountsSorted(sortedCurrent, summary.edges), expected.currentCounts);

      const result = computeDrift(summary, Float64Array.from(current));
      assert.equal(result.n, expected.n);
      assert.equal(result.nReference, expected.nReference);
      assert.equal(result.bins, expected.bins);
      assertClose(result.psi, expected.psi, TIGHT, 'psi');
      assertClose(result.psiNull99, expected.psiNull99, { relative: 1e-10 }, 'psiNull99');
      assertClose(result.psiPValue, expected.psiPValue, { absolute: 1e-12, relative: 1e-9 }, 'psiPValue');
      assertClose(result.jsDistance, expected.jsDistance, TIGHT, 'jsDistance');
      assertClose(result.ksStatistic, expected.ksStatistic, { absolute: 1e-12 }, 'ksStatistic');
      assertClose(result.ksPValue, expected.ksPValue, P_VALUE, 'ksPValue');
      assertClose(result.wasserstein, expected.wasserstein, TIGHT, 'wasserstein');
      assertClose(result.wassersteinNormed, expected.wassersteinNormed, TIGHT, 'wassersteinNormed');
    });
  }
});

describe('drift statistics: published values', () => {
  test('quantileSorted interpolates linearly like numpy', () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileSorted([7], 0.3), 7);
    assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  });

  test('PSI of the stats-references PSI-2 counts is 0.0372183815772908 without flooring effects', () => {
    assertClose(
      populationStabilityIndex([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]),
      0.037218381577290835,
      TIGHT,
    );
  });

  test('PSI on reference deciles of the PSI-3 data is 0.0290102378056409', () => {
    const reference = Float64Array.from({ length: 10_000 }, (_, i) => (i + 0.5) / 10_000);
    const current = Float64Array.from({ length: 8000 }, (_, j) => ((j + 0.5) / 8000) ** 1.2);
    const summary = summarizeBaseline(reference);
    assertClose(computeDrift(summary, current).psi, 0.029010237805640944, { relative: 1e-9 });
  });

  test('Jensen-Shannon distance matches scipy literal cases JS-1, JS-3, JS-7 and JS-8', () => {
    assert.equal(jensenShannonDistance([1, 0, 0], [0, 1, 0]), 1);
    assert.equal(jensenShannonDistance([1, 0, 0], [1, 0, 0]), 0);
    assertClose(jensenShannonDistance([1, 0], [0.5, 0.5]), 0.5579230452841438, TIGHT);
    assertClose(
      jensenShannonDistance([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]),
      0.08173421330573757,
      TIGHT,
    );
  });

  test('Wasserstein distance matches scipy literal cases W-4, W-5, W-7, W-8 and W-9', () => {
    const w = (a: number[], b: number[]) =>
      wassersteinDistance(Float64Array.from(a).sort(), Float64Array.from(b).sort());
    assert.equal(w([0, 1, 2], [1, 2, 3]), 1);
    assert.equal(w([1, 2, 3], [2, 1, 3]), 0);
    assert.equal(w([0], [1]), 1);
    assert.equal(w([-5], [5]), 10);
    assert.equal(w([1, 2, 3, 4, 5], [11, 12, 13, 14, 15]), 10);
  });

  test('the tabulated chi-squared 0.99 quantiles agree with @stdlib and the fallback serves other probabilities', () => {
    const stdlib = createRequire(import.meta.url)('@stdlib/stats-base-dists-chisquare-quantile') as (
      p: number,
      k: number,
    ) => number;
    for (const [index, value] of CHI_SQUARED_99.entries()) {
      assertClose(value, stdlib(0.99, index + 1), { relative: 1e-14 });
    }
    assertClose(chiSquaredQuantile(0.95, 9), 16.918977604620448, { relative: 1e-12 });
    assertClose(chiSquaredQuantile(0.99, 30), 50.89218131151707, { relative: 1e-12 });
  });

  test('psiNull99 and psiPValue equal chi2.ppf and chi2.sf', () => {
    assertClose(psiNullQuantile(10, 1000, 1000), 21.665994333461924 * (2 / 1000), { relative: 1e-12 });
    // chi2.sf(100, 9) = 1.5735176303753947e-17: PSI 0.2 with n = m = 1000 gives statistic 100.
    assertClose(psiPValue(0.2, 10, 1000, 1000), 1.5735176303753947e-17, { relative: 1e-9 });
  });

  test('refuses empty samples with a message naming the function', () => {
    assert.throws(() => summarizeBaseline([]), /summarizeBaseline requires at least one value/);
    assert.throws(
      () => wassersteinDistance(new Float64Array(0), Float64Array.of(1)),
      /wassersteinDistance requires/,
    );
    assert.throws(() => quantileEdges(Float64Array.of(1), 1), /quantileEdges requires at least 2 bins/);
  });
});

const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
  minLength: 1,
  maxLength: 300,
});

describe('drift statistics: properties', () => {
  test('identical samples give zero drift and a p-value of 1', () => {
    fc.assert(
      fc.property(sample, (values) => {
        const result = computeDrift(summarizeBaseline(values), Float64Array.from(values));
        assert.equal(result.psi, 0);
        assert.equal(result.jsDistance, 0);
        assert.equal(result.ksStatistic, 0);
        assert.equal(result.wasserstein, 0);
        assert.equal(result.psiPValue, 1);
        assert.equal(result.ksPValue, 1);
      }),
    );
  });

  test('every statistic is finite and within its bounds', () => {
    fc.assert(
      fc.property(sample, sample, (reference, current) => {
        const result = computeDrift(summarizeBaseline(reference), Float64Array.from(current));
        for (const [key, value] of Object.entries(result))
          assert.ok(Number.isFinite(value), `${key} is ${value}`);
        assert.ok(result.psi >= 0);
        assert.ok(result.jsDistance >= 0 && result.jsDistance <= 1 + 1e-12);
        assert.ok(result.ksStatistic >= 0 && result.ksStatistic <= 1);
        for (const p of [result.psiPValue, result.ksPValue]) assert.ok(p >= 0 && p <= 1);
        assert.ok(result.bins >= 2 && result.bins <= 10);
      }),
    );
  });

  test('Jensen-Shannon distance and PSI are symmetric in their histograms', () => {
    const counts = fc.array(fc.nat(1000), { minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const length = Math.min(a.length, b.length);
        const p = a.slice(0, length).map((x) => x + 1);
        const q = b.slice(0, length).map((x) => x + 1);
        assertClose(jensenShannonDistance(p, q), jensenShannonDistance(q, p), { absolute: 1e-15 });
        assertClose(populationStabilityIndex(p, q), populationStabilityIndex(q, p), {
          absolute: 1e-12,
          relative: 1e-12,
        });
      }),
    );
  });

  test('Wasserstein distance is symmetric and equals the shift when one sample is shifted', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: -1000, max: 1000 }), (values, shift) => {
        const a = Float64Array.from(values.map((v) => Math.round(v))).sort();
        const b = a.map((v) => v + shift);
        assertClose(wassersteinDistance(a, b), Math.abs(shift), { absolute: 1e-9 });
        assert.equal(wassersteinDistance(a, b), wassersteinDistance(b, a));
      }),
    );
  });

  test('PSI p-value does not increase as PSI grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, y) => {
          const [low, high] = x < y ? [x, y] : [y, x];
          assert.ok(psiPValue(high, 10, 500, 2000) <= psiPValue(low, 10, 500, 2000));
        },
      ),
    );
  });
});
