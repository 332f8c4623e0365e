/**
 * Binned windows on random data (fast-check): the exact statistics equal the raw ones, and the KS and Wasserstein
 * bounds computed from the fine-bin counts contain the raw statistics of the values that were counted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { computeBinnedDrift } from '../../shared/stats/drift/binnedSuite.js';
import { ksTwoSampleStatistic } from '../../shared/stats/drift/ksTwoSample.js';
import { binCountsSorted } from '../../shared/stats/drift/quantileBins.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';
import { wassersteinDistance } from '../../shared/stats/drift/wassersteinDistance.js';

const RUNS = 300;

/** Continuous values, values with many ties, and a mix: the bins of tied references merge (unique edges). */
const sample = (maxLength: number) =>
  fc.oneof(
    fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength }),
    fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength }),
    fc.array(
      fc.oneof(
        fc.constant(0.5),
        fc.double({ min: 0, max: 1, noNaN: true }).map((x) => Math.round(x * 50) / 50),
      ),
      { minLength: 1, maxLength },
    ),
  );

function binnedAndRaw(reference: number[], current: number[]) {
  const summary = summarizeBaseline(reference);
  const sortedCurrent = Float64Array.from(current).sort();
  const counts = binCountsSorted(sortedCurrent, summary.fine!.edges);
  const sortedReference = Float64Array.from(reference).sort();
  return {
    summary,
    counts,
    binned: computeBinnedDrift(summary, counts),
    raw: computeDrift(summary, Float64Array.from(current)),
    ks: ksTwoSampleStatistic(sortedReference, sortedCurrent),
    wasserstein: wassersteinDistance(sortedReference, sortedCurrent),
    min: sortedReference[0]!,
    max: sortedReference[sortedReference.length - 1]!,
  };
}

/** The largest single-bin share of either sample. */
function largestShare(referenceCounts: number[], currentCounts: number[]): number {
  const m = referenceCounts.reduce((a, b) => a + b);
  const n = currentCounts.reduce((a, b) => a + b);
  return Math.max(...referenceCounts.map((c) => c / m), ...currentCounts.map((c) => c / n));
}

const SLACK = 1e-12;

describe('binned drift on random data', () => {
  test('PSI, psiNull99, psiPValue and JS of the counts equal those of the raw values', () => {
    fc.assert(
      fc.property(sample(400), sample(400), (reference, current) => {
        const { binned, raw } = binnedAndRaw(reference, current);
        for (const field of [
          'n',
          'nReference',
          'bins',
          'psi',
          'psiNull99',
          'psiPValue',
          'jsDistance',
        ] as const)
          assert.equal(binned[field], raw[field], field);
      }),
      { numRuns: RUNS },
    );
  });

  test('KS at the edges <= true D <= ksStatisticUpperBound <= edge D + the largest single-bin share', () => {
    fc.assert(
      fc.property(sample(400), sample(400), (reference, current) => {
        const { binned, ks, summary, counts } = binnedAndRaw(reference, current);
        assert.ok(binned.ksStatistic <= ks + SLACK, `edge D ${binned.ksStatistic} > D ${ks}`);
        assert.ok(
          ks <= binned.ksStatisticUpperBound + SLACK,
          `D ${ks} > bound ${binned.ksStatisticUpperBound}`,
        );
        const share = largestShare(summary.fine!.referenceCounts, counts);
        assert.ok(binned.ksStatisticUpperBound <= binned.ksStatistic + share + SLACK);
      }),
      { numRuns: RUNS },
    );
  });

  test('the Wasserstein lower bound holds for any window, also with values outside the reference range', () => {
    fc.assert(
      fc.property(sample(400), sample(400), (reference, current) => {
        const { binned, wasserstein, summary } = binnedAndRaw(reference, current);
        const slack = SLACK * (1 + wasserstein);
        assert.ok(binned.wasserstein <= wasserstein + slack, `${binned.wasserstein} > ${wasserstein}`);
        const spread = Math.max(summary.referenceStd, 0.001);
        assert.ok(binned.wassersteinNormed <= wasserstein / spread + slack / spread);
      }),
      { numRuns: RUNS },
    );
  });

  test('the Wasserstein upper bound holds for a window within the reference range, normed alike', () => {
    fc.assert(
      fc.property(
        sample(400),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (reference, positions) => {
          const low = Math.min(...reference);
          const high = Math.max(...reference);
          // Current values anywhere in [low, high], not only at reference values.
          const current = positions.map((t) => Math.min(high, low + t * (high - low)));
          const { binned, wasserstein, summary } = binnedAndRaw(reference, current);
          const slack = SLACK * (1 + binned.wassersteinUpperBound);
          assert.ok(binned.wasserstein <= wasserstein + slack);
          assert.ok(
            wasserstein <= binned.wassersteinUpperBound + slack,
            `${wasserstein} > ${binned.wassersteinUpperBound}`,
          );
          const spread = Math.max(summary.referenceStd, 0.001);
          assert.ok(wasserstein / spread <= binned.wassersteinNormedUpperBound + slack / spread);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('counts from two workers added up give the statistics of the two windows concatenated', () => {
    fc.assert(
      fc.property(sample(300), sample(200), sample(200), (reference, first, second) => {
        const { summary, counts: a } = binnedAndRaw(reference, first);
        const { counts: b } = binnedAndRaw(reference, second);
        const merged = computeBinnedDrift(
          summary,
          a.map((count, i) => count + b[i]!),
        );
        const whole = binnedAndRaw(reference, [...first, ...second]).binned;
        assert.deepEqual(merged, whole);
      }),
      { numRuns: 100 },
    );
  });
});
