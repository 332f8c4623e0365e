/**
 * The drift suite: every drift statistic of one batch against its model version's baseline summary.
 * The current batch is sorted once and the sorted arrays are shared by the bins, KS and Wasserstein.
 */
import type { BaselineSummary } from './baselineSummary.js';
import { jensenShannonDistance } from './jensenShannonDistance.js';
import { ksTwoSamplePValue, ksTwoSampleStatistic } from './ksTwoSample.js';
import { populationStabilityIndex } from './populationStabilityIndex.js';
import { psiNullQuantile } from './psiNullQuantile.js';
import { psiPValue } from './psiPValue.js';
import { binCountsSorted } from './quantileBins.js';
import { wassersteinDistance } from './wassersteinDistance.js';

/** Below this, population std is treated as this floor when normalising Wasserstein (Evidently's convention). */
export const WASSERSTEIN_STD_FLOOR = 0.001;

export interface DriftStatistics {
  /** Predictions in the batch. */
  n: number;
  /** Values in the full reference. */
  nReference: number;
  /** Bins used: unique reference-quantile edges + 1. */
  bins: number;
  psi: number;
  psiNull99: number;
  psiPValue: number;
  jsDistance: number;
  ksStatistic: number;
  ksPValue: number;
  wasserstein: number;
  wassersteinNormed: number;
}

/** Computes the drift suite. `current` is sorted in place (pass a copy if its order matters). */
export function computeDrift(baseline: BaselineSummary, current: Float64Array): DriftStatistics {
  if (current.length === 0) throw new RangeError('computeDrift requires at least one prediction');
  const sortedCurrent = current.sort();
  const ksStatistic = ksTwoSampleStatistic(baseline.sortedReference, sortedCurrent);
  const wasserstein = wassersteinDistance(baseline.sortedReference, sortedCurrent);
  return {
    ...countStatistics(baseline, binCountsSorted(sortedCurrent, baseline.edges)),
    ksStatistic,
    ksPValue: ksTwoSamplePValue(ksStatistic, baseline.referenceSize, sortedCurrent.length),
    wasserstein,
    wassersteinNormed: wasserstein / Math.max(baseline.referenceStd, WASSERSTEIN_STD_FLOOR),
  };
}

/** The statistics that read only the window's counts in the PSI bins: the same for raw and binned windows. */
export type CountStatistics = Pick<
  DriftStatistics,
  'n' | 'nReference' | 'bins' | 'psi' | 'psiNull99' | 'psiPValue' | 'jsDistance'
>;

export function countStatistics(baseline: BaselineSummary, currentCounts: number[]): CountStatistics {
  let n = 0;
  for (const count of currentCounts) n += count;
  const m = baseline.referenceSize;
  const bins = baseline.edges.length + 1;
  const psi = populationStabilityIndex(baseline.referenceCounts, currentCounts);
  return {
    n,
    nReference: m,
    bins,
    psi,
    psiNull99: psiNullQuantile(bins, n, m),
    psiPValue: psiPValue(psi, bins, n, m),
    jsDistance: jensenShannonDistance(baseline.referenceCounts, currentCounts),
  };
}
