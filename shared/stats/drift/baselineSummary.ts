/**
 * A baseline summarised once, when registered, into exactly what every later drift comparison needs
 * ("fit once, compare many times"): the reference-quantile bin edges and counts, the population standard
 * deviation, and the sorted reference values themselves for KS and Wasserstein.
 *
 * References of up to MAX_STORED_REFERENCE values are kept whole, so every drift statistic is exact. A larger
 * reference keeps MAX_STORED_REFERENCE evenly spaced order statistics (ranks round(i (m-1)/(K-1)), minimum and
 * maximum included): edges, counts, standard deviation and m still come from the full reference, so PSI, JS
 * and their null quantile and p-value stay exact; the empirical CDF of the subsample is within 1/(K-1) of
 * the full one, so the KS statistic moves by at most ~1e-5 and Wasserstein by at most range/(K-1).
 */
import { standardDeviation } from 'simple-statistics';
import { FINE_BIN_COUNT } from './fineBins.js';
import { binCountsSorted, DEFAULT_BIN_COUNT, quantileEdges } from './quantileBins.js';

/** 100,000 float64 values are 800,000 bytes: they fit one Firestore document (1 MiB) with room to spare. */
export const MAX_STORED_REFERENCE = 100_000;

export interface BaselineSummary {
  /** Values in the full reference (m). */
  referenceSize: number;
  /** Bins requested (B); the number of bins used is edges.length + 1. */
  binCount: number;
  edges: Float64Array;
  referenceCounts: number[];
  /** Population standard deviation (ddof = 0) of the full reference. */
  referenceStd: number;
  /** The reference sorted ascending, or its evenly spaced order statistics when subsampled. */
  sortedReference: Float64Array;
  subsampled: boolean;
  /**
   * The fine bins binned windows are counted in (see fineBins.ts), from the full reference; absent from a baseline
   * stored before binned windows existed.
   */
  fine?: FineBins;
}

/** The fine edges (reference quantiles at k/1000) and the full reference's counts in their bins. */
export interface FineBins {
  edges: Float64Array;
  referenceCounts: number[];
}

/** Summarises reference values (any order; not modified). */
export function summarizeBaseline(values: ArrayLike<number>, binCount = DEFAULT_BIN_COUNT): BaselineSummary {
  if (values.length === 0) throw new RangeError('summarizeBaseline requires at least one value');
  if (FINE_BIN_COUNT % binCount !== 0)
    throw new RangeError(`summarizeBaseline requires a bin count dividing ${FINE_BIN_COUNT}`);
  const sorted = Float64Array.from(values).sort();
  const edges = quantileEdges(sorted, binCount);
  const fineEdges = quantileEdges(sorted, FINE_BIN_COUNT);
  return {
    referenceSize: sorted.length,
    binCount,
    edges,
    referenceCounts: binCountsSorted(sorted, edges),
    referenceStd: standardDeviation(sorted as unknown as number[]),
    sortedReference: evenlySpacedOrderStatistics(sorted, MAX_STORED_REFERENCE),
    subsampled: sorted.length > MAX_STORED_REFERENCE,
    fine: { edges: fineEdges, referenceCounts: binCountsSorted(sorted, fineEdges) },
  };
}

/** The order statistics at ranks round(i (m-1)/(k-1)), i = 0..k-1; the sample itself when m <= k. */
export function evenlySpacedOrderStatistics(sorted: Float64Array, k: number): Float64Array {
  const m = sorted.length;
  if (m <= k) return sorted;
  const kept = new Float64Array(k);
  for (let i = 0; i < k; i++) kept[i] = sorted[Math.round((i * (m - 1)) / (k - 1))]!;
  return kept;
}
