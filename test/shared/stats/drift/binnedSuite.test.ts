import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_STORED_REFERENCE, summarizeBaseline } from '../../../../shared/stats/drift/baselineSummary.js';
import { binnedKolmogorovSmirnov } from '../../../../shared/stats/drift/binnedKolmogorovSmirnov.js';
import { computeBinnedDrift } from '../../../../shared/stats/drift/binnedSuite.js';
import { binnedWasserstein } from '../../../../shared/stats/drift/binnedWasserstein.js';
import { cumulativeShares } from '../../../../shared/stats/drift/cumulativeShares.js';
import { coarseCounts, isRefinement } from '../../../../shared/stats/drift/fineBins.js';
import { binCountsSorted } from '../../../../shared/stats/drift/quantileBins.js';
import { computeDrift } from '../../../../shared/stats/drift/suite.js';
import { assertClose } from '../../../support/assertClose.js';
import { readGolden } from '../../../support/golden.js';

interface BinningGoldenCase {
  name: string;
  reference: number[];
  current: number[];
  scale: number;
  expected: {
    n: number;
    nReference: number;
    bins: number;
    psi: number;
    psiNull99: number;
    psiPValue: number;
    jsDistance: number;
    edges: number[];
    fineEdges: number[];
    fineCounts: number[];
    ksStatistic: number;
    wasserstein: number;
    referenceStd: number;
  };
}

const golden = readGolden<{ scipy: string; cases: BinningGoldenCase[] }>('binning.json');
const EXACT = { relative: 1e-12, absolute: 1e-15 } as const;

describe(`binned windows reproduce the raw statistics of numpy/scipy ${golden.scipy}`, () => {
  for (const { name, reference, current, scale, expected } of golden.cases) {
    test(`binned PSI, psiNull99, psiPValue and JS equal the raw ones to 1e-12: ${name}`, () => {
      const summary = summarizeBaseline(reference);
      assert.deepEqual(
        Array.from(summary.fine!.edges),
        expected.fineEdges,
        'fine edges equal numpy bit for bit',
      );
      assert.ok(isRefinement(summary.fine!.edges, summary.edges), 'every PSI edge is a fine edge');
      const fineCounts = binCountsSorted(Float64Array.from(current).sort(), summary.fine!.edges).map(
        (count) => count * scale,
      );
      assert.deepEqual(fineCounts, expected.fineCounts, 'fine counts equal numpy.searchsorted(side="right")');

      const binned = computeBinnedDrift(summary, expected.fineCounts);
      assert.equal(binned.n, expected.n);
      assert.equal(binned.nReference, expected.nReference);
      assert.equal(binned.bins, expected.bins);
      assertClose(binned.psi, expected.psi, EXACT, 'psi');
      assertClose(binned.psiNull99, expected.psiNull99, EXACT, 'psiNull99');
      assertClose(binned.psiPValue, expected.psiPValue, { relative: 1e-9, absolute: 1e-12 }, 'psiPValue');
      assertClose(binned.jsDistance, expected.jsDistance, EXACT, 'jsDistance');
      assert.deepEqual(binned.approximate, ['ksStatistic', 'ksPValue', 'wasserstein', 'wassersteinNormed']);

      // The bounds contain scipy's statistics of the raw values.
      assert.ok(binned.ksStatistic <= expected.ksStatistic + 1e-12, 'edge KS is a lower bound');
      assert.ok(expected.ksStatistic <= binned.ksStatisticUpperBound + 1e-12, 'KS upper bound holds');
      assert.ok(binned.wasserstein <= expected.wasserstein * (1 + 1e-12), 'Wasserstein lower bound holds');
      const inRange = current.every((x) => x >= Math.min(...reference) && x <= Math.max(...reference));
      if (inRange) assert.ok(expected.wasserstein <= binned.wassersteinUpperBound * (1 + 1e-12));

      if (scale === 1) {
        // The same values raw: every exact statistic equal to the last bit, not just to 1e-12.
        const raw = computeDrift(summary, Float64Array.from(current));
        for (const field of ['n', 'psi', 'psiNull99', 'psiPValue', 'jsDistance'] as const)
          assert.equal(binned[field], raw[field], field);
      }
    });
  }
});

describe('binned drift', () => {
  test('a subsampled reference keeps exact fine counts and exact PSI from binned windows', () => {
    const size = MAX_STORED_REFERENCE + 20_001;
    const reference = Array.from({ length: size }, (_, i) => ((i * 7919) % size) / size);
    const summary = summarizeBaseline(reference);
    assert.equal(summary.subsampled, true);
    assert.equal(
      summary.fine!.referenceCounts.reduce((a, b) => a + b),
      size,
    );
    const current = Float64Array.from({ length: 5000 }, (_, i) => (((i * 31) % 5000) / 5000) ** 1.3);
    const counts = binCountsSorted(Float64Array.from(current).sort(), summary.fine!.edges);
    const binned = computeBinnedDrift(summary, counts);
    const raw = computeDrift(summary, current);
    assert.equal(binned.psi, raw.psi);
    assert.equal(binned.jsDistance, raw.jsDistance);
  });

  test('the KS p-value of a binned window is that of the edge statistic, never smaller than the raw one', () => {
    const reference = Array.from({ length: 2000 }, (_, i) => (i + 0.5) / 2000);
    const summary = summarizeBaseline(reference);
    const current = Float64Array.from({ length: 1500 }, (_, i) => ((i + 0.5) / 1500) ** 1.05);
    const counts = binCountsSorted(Float64Array.from(current).sort(), summary.fine!.edges);
    const binned = computeBinnedDrift(summary, counts);
    const raw = computeDrift(summary, Float64Array.from(current));
    assert.ok(binned.ksStatistic <= raw.ksStatistic);
    assert.ok(binned.ksPValue >= raw.ksPValue);
    assert.ok(binned.wassersteinNormed <= raw.wassersteinNormed);
  });

  test('refuses counts that are not one per fine bin, and a baseline without fine bins', () => {
    const summary = summarizeBaseline([1, 2, 3, 4, 5]);
    assert.throws(() => computeBinnedDrift(summary, [1, 2]), /one count per fine bin/);
    const { fine: _, ...legacy } = summary;
    assert.throws(() => computeBinnedDrift(legacy, [1]), /fine bins/);
    assert.throws(
      () => computeBinnedDrift(summary, new Array(summary.fine!.edges.length + 1).fill(0)),
      /at least one prediction/,
    );
  });

  test('coarseCounts sums fine bins into the PSI bins that contain them', () => {
    assert.deepEqual(coarseCounts(Float64Array.of(1, 2, 3), [1, 1, 1, 1], Float64Array.of(2)), [2, 2]);
    assert.deepEqual(coarseCounts(Float64Array.of(1, 2, 3), [5, 0, 2, 1], Float64Array.of(1, 3)), [5, 2, 1]);
    assert.deepEqual(coarseCounts(Float64Array.of(1, 2, 3), [5, 0, 2, 1], new Float64Array(0)), [8]);
  });

  test('binnedKolmogorovSmirnov and binnedWasserstein give their documented examples', () => {
    assert.deepEqual(binnedKolmogorovSmirnov([1, 1], [2, 0]), { lower: 0.5, upper: 1 });
    assert.deepEqual(binnedWasserstein(Float64Array.of(1), [1, 1], [0, 2], 0, 2), { lower: 0, upper: 1.5 });
    assert.deepEqual(Array.from(cumulativeShares([1, 1, 2])), [0.25, 0.5, 1]);
    assert.throws(() => cumulativeShares([0, 0]), /requires non-empty samples/);
    // Identical counts: the edge statistic is 0, the bound is the largest bin share.
    assert.deepEqual(binnedKolmogorovSmirnov([1, 3], [1, 3]), { lower: 0, upper: 0.75 });
  });
});
