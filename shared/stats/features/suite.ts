/**
 * The feature suite: every statistic of one feature's batch column against its baseline summary.
 * (Types fixed here; computeFeatureStatistics is implemented with the feature statistics.)
 */

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
