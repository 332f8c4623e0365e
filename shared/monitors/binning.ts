/**
 * The binning of a baseline as producers see it: a fingerprint naming (model, version, fine edges), and the check
 * that a binned window was counted in its baseline's bins.
 *
 * Fingerprint: the first 16 hex digits of SHA-256 over the UTF-8 bytes of
 *   "liftwatch-binning-v1" NUL model NUL modelVersion NUL edges
 * with the edges as consecutive little-endian float64 (8 bytes each). For a feature's numeric column the feature
 * name comes before the edges ("... NUL modelVersion NUL featureName NUL edges"); for a categorical column the kept
 * category names joined by NUL take the place of the edges. Any change of model, version or a single edge bit
 * changes it, so counts made for another registration are refused rather than compared.
 */
import { createHash } from 'node:crypto';
import { BinningMismatchError, InvalidMessageError } from '../errors.js';
import type { BaselineSummary } from '../stats/drift/baselineSummary.js';
import type { FeatureSummary } from '../stats/features/featureSummary.js';

export const BINNING_DOMAIN = 'liftwatch-binning-v1';

/** The binning fingerprint of edges (numeric) or kept category names (categorical). */
export function binningFingerprint(
  model: string,
  modelVersion: string,
  bins: Float64Array | readonly string[],
  featureName?: string,
): string {
  const hash = createHash('sha256');
  hash.update(`${BINNING_DOMAIN}\0${model}\0${modelVersion}\0`);
  if (featureName !== undefined) hash.update(`${featureName}\0`);
  if (bins instanceof Float64Array) {
    const bytes = Buffer.alloc(bins.length * 8);
    for (let i = 0; i < bins.length; i++) bytes.writeDoubleLE(bins[i]!, i * 8);
    hash.update(bytes);
  } else {
    hash.update(bins.join('\0'));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The binning a pipeline counts a prediction baseline's windows in: `liftwatch bins` prints it. */
export interface PredictionBinning {
  binning: string;
  edges: number[];
}

export function predictionBinning(
  model: string,
  modelVersion: string,
  summary: BaselineSummary,
): PredictionBinning {
  const edges = summary.fine?.edges ?? new Float64Array(0);
  return { binning: binningFingerprint(model, modelVersion, edges), edges: Array.from(edges) };
}

/**
 * The binning of one feature of a FeatureBaseline, as `liftwatch bins` prints it under the feature's name: a
 * numeric feature's fine edges (rangeFineBins.ts; none when every reference value is missing, one bin), or a
 * categorical feature's kept categories. A FeatureBatch's `counts` are keyed by category name and need no
 * fingerprint: every category outside the kept ones counts in the pooled bucket, whatever its name.
 */
export type FeatureBinning = { binning: string; edges: number[] } | { binning: string; categories: string[] };

export function featureBinning(
  model: string,
  modelVersion: string,
  featureName: string,
  summary: FeatureSummary,
): FeatureBinning {
  if (summary.kind === 'categorical') {
    return {
      binning: binningFingerprint(model, modelVersion, summary.categories, featureName),
      categories: [...summary.categories],
    };
  }
  const edges = summary.values?.fine?.edges ?? new Float64Array(0);
  return { binning: binningFingerprint(model, modelVersion, edges, featureName), edges: Array.from(edges) };
}

/**
 * The counts of a binned window, checked against the baseline's binning: refused as a binning mismatch when
 * `binning` is not the baseline's (or the baseline predates binned windows), and as an invalid message when the
 * fingerprint matches but the counts are not one per fine bin. A feature's summary without values (every reference
 * value missing) has one bin.
 */
export function binnedCounts<Counts extends readonly number[]>(
  binCounts: { binning: string; counts: Counts },
  stored: { binning?: string | undefined; summary: BaselineSummary | undefined },
  field = 'binCounts',
): Counts {
  const fine = stored.summary ? stored.summary.fine : { edges: new Float64Array(0) };
  if (!fine || stored.binning === undefined) {
    throw new BinningMismatchError(
      `${field}.binning`,
      'the baseline was registered before binned windows; register it again and read its binning with liftwatch bins',
    );
  }
  if (binCounts.binning !== stored.binning) {
    throw new BinningMismatchError(
      `${field}.binning`,
      `${binCounts.binning} is not the baseline's binning ${stored.binning}; count the window in the bins liftwatch bins prints for the registered baseline`,
    );
  }
  const bins = fine.edges.length + 1;
  if (binCounts.counts.length !== bins) {
    throw new InvalidMessageError([
      {
        path: `${field}.counts`,
        message: `has ${binCounts.counts.length} counts; the baseline's binning has ${bins} bins`,
      },
    ]);
  }
  return binCounts.counts;
}
