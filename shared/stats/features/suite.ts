/**
 * The feature suite: every statistic of one feature's batch column against its baseline summary.
 *
 * Numeric: the non-missing batch values are copied out once and sorted once (by computeDrift, the prediction drift
 * suite itself, so psi, psiNull99, jsDistance, ksStatistic, ksPValue and wassersteinNormed are exactly the
 * prediction statistics), and outOfRangeShare reads the same sorted array. Categorical: the codes are counted by
 * code and mapped to buckets (categoricalBuckets), then every statistic reads the K bucket counts; psiNull99 is
 * chi2_{0.99}(K - 1) (1/n + 1/m), and 0 when K = 1 (chi-squared with 0 degrees of freedom is the point mass at
 * 0; PSI is then 0 too). Both kinds: the missing shares over all rows and the Newcombe interval of their
 * difference. Distribution statistics are left undefined when the batch or the reference has no non-missing value.
 *
 * Counted batch columns (a FeatureBatch's binCounts and counts) give the same statistics from their counts. A
 * categorical column's counts by category are exactly what its raw values give. A numeric column's counts in the
 * feature's fine bins give psi, psiNull99 and jsDistance exactly, outOfRangeShare exactly (its fine bins have the
 * reference range among their edges; binnedOutOfRangeShare), and ksStatistic, ksPValue and wassersteinNormed as
 * the prediction drift suite does for binned windows (computeBinnedDrift): the bound that errs towards "no drift",
 * named in `approximate`, with ksStatisticUpperBound and wassersteinNormedUpperBound.
 *
 * @example computeFeatureStatistics(
 *   summarizeFeature({ kind: 'categorical', categories: ['a', 'b'], codes: Int32Array.of(0, 0, 1, 1) }),
 *   { kind: 'categorical', categories: ['a', 'b'], codes: Int32Array.of(0, 0, 1, 1) },
 * ) // => { kind: 'categorical', n: 4, nReference: 4, missingShare: 0, missingShareReference: 0,
 * //        missingShareDiffLower: -0.4898908364545974, missingShareDiffUpper: 0.4898908364545974, psi: 0,
 * //        psiNull99: 3.3174483005106072, jsDistance: 0, lInfinity: 0, chiSquarePValue: 1, unseenShare: 0,
 * //        buckets: 2 }
 */
import type {
  BinnedNumericColumn,
  CategoricalColumn,
  CountedCategoricalColumn,
  NumericColumn,
  WindowColumn,
} from '../../contracts/featureColumns.js';
import { computeBinnedDrift } from '../drift/binnedSuite.js';
import { jensenShannonDistance } from '../drift/jensenShannonDistance.js';
import { populationStabilityIndex } from '../drift/populationStabilityIndex.js';
import { psiNullQuantile } from '../drift/psiNullQuantile.js';
import { computeDrift, type DriftStatistics } from '../drift/suite.js';
import { binnedOutOfRangeShare } from './binnedOutOfRangeShare.js';
import { categoricalBuckets } from './categoricalBuckets.js';
import { chiSquareHomogeneity } from './chiSquareHomogeneity.js';
import type { CategoricalFeatureSummary, FeatureSummary, NumericFeatureSummary } from './featureSummary.js';
import { lInfinityDistance } from './lInfinityDistance.js';
import { missingShareDifference } from './missingShareDifference.js';
import { nonMissingValues } from './nonMissingValues.js';
import { outOfRangeShare } from './outOfRangeShare.js';

/** Statistics of either kind. Distribution statistics are undefined when n or nReference is 0. */
export interface FeatureStatisticsCommon {
  /** Non-missing batch values. */
  n: number;
  /** Non-missing reference values. */
  nReference: number;
  /** Missing share of the batch column, over all its rows. */
  missingShare: number;
  missingShareReference: number;
  /** Newcombe hybrid score 95% interval of missingShare - missingShareReference. */
  missingShareDiffLower: number;
  missingShareDiffUpper: number;
  psi?: number;
  psiNull99?: number;
  jsDistance?: number;
}

export interface NumericFeatureStatistics extends FeatureStatisticsCommon {
  kind: 'numeric';
  ksStatistic?: number;
  ksPValue?: number;
  wassersteinNormed?: number;
  outOfRangeShare?: number;
  /** A binned column's statistics that are bounds rather than exact values (see computeBinnedDrift). */
  approximate?: string[];
  ksStatisticUpperBound?: number;
  wassersteinNormedUpperBound?: number;
}

export interface CategoricalFeatureStatistics extends FeatureStatisticsCommon {
  kind: 'categorical';
  lInfinity?: number;
  chiSquarePValue?: number;
  unseenShare?: number;
  /** Buckets used (K: non-empty in reference or batch). */
  buckets?: number;
}

export type FeatureStatistics = NumericFeatureStatistics | CategoricalFeatureStatistics;

/**
 * Every statistic of `column` (a batch column; not modified) against `summary`. Throws RangeError when their
 * kinds differ (the monitor refuses those first) or either column has no row.
 */
export function computeFeatureStatistics(summary: FeatureSummary, column: WindowColumn): FeatureStatistics {
  if (summary.kind === 'numeric' && column.kind === 'numeric') {
    return 'binCounts' in column
      ? binnedNumericStatistics(summary, column)
      : numericStatistics(summary, column);
  }
  if (summary.kind === 'categorical' && column.kind === 'categorical')
    return categoricalStatistics(summary, column);
  throw new RangeError(
    `computeFeatureStatistics requires a column of the summary's kind (${summary.kind}, got ${column.kind})`,
  );
}

function numericStatistics(summary: NumericFeatureSummary, column: NumericColumn): NumericFeatureStatistics {
  const rows = column.values.length;
  const values = nonMissingValues(column.values);
  const n = values.length;
  const result: NumericFeatureStatistics = { kind: 'numeric', ...common(summary, rows, n) };
  if (n === 0 || summary.values === undefined) return result;
  const drift = computeDrift(summary.values, values); // sorts `values`, a copy, in place
  Object.assign(result, driftStatistics(drift));
  result.outOfRangeShare = outOfRangeShare(values, summary.min, summary.max);
  return result;
}

/**
 * A binned numeric column: `counts` one per fine bin of summary.values (the monitor checks the binning first;
 * a RangeError otherwise).
 */
function binnedNumericStatistics(
  summary: NumericFeatureSummary,
  column: BinnedNumericColumn,
): NumericFeatureStatistics {
  const counts = column.binCounts.counts;
  const n = counts.reduce((sum, count) => sum + count, 0);
  const result: NumericFeatureStatistics = { kind: 'numeric', ...common(summary, n + column.missing, n) };
  const values = summary.values;
  if (n === 0 || values === undefined) return result;
  const drift = computeBinnedDrift(values, counts);
  Object.assign(result, driftStatistics(drift));
  // The feature's fine bins have the reference range among their edges (summarizeFeature), so the lower and upper
  // bounds agree: the share is exact.
  result.outOfRangeShare = binnedOutOfRangeShare(values.fine!.edges, counts, summary.min, summary.max).lower;
  result.approximate = ['ksStatistic', 'ksPValue', 'wassersteinNormed'];
  result.ksStatisticUpperBound = drift.ksStatisticUpperBound;
  result.wassersteinNormedUpperBound = drift.wassersteinNormedUpperBound;
  return result;
}

function categoricalStatistics(
  summary: CategoricalFeatureSummary,
  column: CategoricalColumn | CountedCategoricalColumn,
): CategoricalFeatureStatistics {
  const buckets = categoricalBuckets(summary, column);
  const { n, referenceCounts, batchCounts } = buckets;
  const result: CategoricalFeatureStatistics = {
    kind: 'categorical',
    ...common(summary, n + buckets.missing, n),
  };
  const nReference = result.nReference;
  if (n === 0 || nReference === 0) return result;
  const k = buckets.names.length;
  result.psi = populationStabilityIndex(referenceCounts, batchCounts);
  result.psiNull99 = k >= 2 ? psiNullQuantile(k, n, nReference) : 0;
  result.jsDistance = jensenShannonDistance(referenceCounts, batchCounts);
  result.lInfinity = lInfinityDistance(referenceCounts, batchCounts);
  result.chiSquarePValue = chiSquareHomogeneity(referenceCounts, batchCounts).pValue;
  result.unseenShare = buckets.unseen / n;
  result.buckets = k;
  return result;
}

/** The prediction drift statistics a numeric feature reports, raw or binned. */
function driftStatistics(
  drift: DriftStatistics,
): Pick<
  NumericFeatureStatistics,
  'psi' | 'psiNull99' | 'jsDistance' | 'ksStatistic' | 'ksPValue' | 'wassersteinNormed'
> {
  const { psi, psiNull99, jsDistance, ksStatistic, ksPValue, wassersteinNormed } = drift;
  return { psi, psiNull99, jsDistance, ksStatistic, ksPValue, wassersteinNormed };
}

/** n, nReference, the missing shares and the Newcombe interval of their difference. */
function common(summary: FeatureSummary, rows: number, n: number): FeatureStatisticsCommon {
  if (!(rows > 0 && summary.rows > 0)) {
    throw new RangeError(
      'computeFeatureStatistics requires at least one row in the batch and reference columns',
    );
  }
  const missing = missingShareDifference(
    { rows, missing: rows - n },
    { rows: summary.rows, missing: summary.missing },
  );
  return {
    n,
    nReference: summary.rows - summary.missing,
    missingShare: missing.share,
    missingShareReference: missing.referenceShare,
    missingShareDiffLower: missing.lower,
    missingShareDiffUpper: missing.upper,
  };
}
