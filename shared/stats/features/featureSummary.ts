/**
 * A FeatureBaseline column summarised once, when registered, into what every later comparison needs.
 * (Types fixed here; summarizeFeature is implemented with the feature statistics.)
 */
import type { BaselineSummary } from '../drift/baselineSummary.js';

/** Most categories a categorical summary keeps by count (ties broken by name); the rest are pooled. */
export const MAX_KEPT_CATEGORIES = 1000;

/** The bucket of reference categories pooled beyond MAX_KEPT_CATEGORIES. */
export const OTHER_BUCKET = '__other__';

/** The bucket of batch values in no reference category, when the reference pooled none. */
export const UNSEEN_BUCKET = '__unseen__';

export interface NumericFeatureSummary {
  kind: 'numeric';
  /** Rows of the column, missing ones included. */
  rows: number;
  /** Missing values (null / NaN). */
  missing: number;
  /** The prediction baseline's summary of the non-missing values; undefined when every value is missing. */
  values?: BaselineSummary;
  /** Smallest and largest non-missing reference value (NaN when every value is missing). */
  min: number;
  max: number;
  importance?: number;
}

export interface CategoricalFeatureSummary {
  kind: 'categorical';
  rows: number;
  missing: number;
  /** Kept categories, most frequent first (ties by name), at most MAX_KEPT_CATEGORIES. */
  categories: string[];
  /** Count of each kept category, aligned with `categories`. */
  counts: number[];
  /** Non-missing reference values in categories beyond the kept ones (pooled as OTHER_BUCKET); 0 when none. */
  otherCount: number;
  importance?: number;
}

export type FeatureSummary = NumericFeatureSummary | CategoricalFeatureSummary;
