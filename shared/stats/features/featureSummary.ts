/**
 * A FeatureBaseline column summarised once, when registered, into what every later comparison needs ("fit once,
 * compare many times"). A numeric column keeps exactly what a prediction baseline keeps of its non-missing values
 * (summarizeBaseline: quantile edges and counts, population std, the sorted values or their evenly spaced order
 * statistics) plus their minimum and maximum, and fine bins for binned windows: the prediction fine bins with
 * the reference range as two more edges (rangeFineBins.ts); a categorical column keeps the count of each category, the
 * MAX_KEPT_CATEGORIES most frequent (ties by name, ascending, in UTF-16 code unit order as JavaScript's `<`
 * and Python's `sorted` compare ASCII), the rest pooled into otherCount. Categories listed but never used are
 * not kept (a batch value in one is unseen), and a category listed twice counts once, with both codes' values.
 * Both kinds keep the rows and the missing values.
 *
 * @example summarizeFeature({ kind: 'categorical', categories: ['b', 'a', 'c'], codes: Int32Array.of(0, 1, -1, 1, 0) })
 * // => { kind: 'categorical', rows: 5, missing: 1, categories: ['a', 'b'], counts: [2, 2], otherCount: 0 }
 */
import type { CategoricalColumn, DecodedColumn, NumericColumn } from '../../contracts/featureColumns.js';
import { type BaselineSummary, summarizeBaseline } from '../drift/baselineSummary.js';
import { DEFAULT_BIN_COUNT } from '../drift/quantileBins.js';
import { categoryCodeCounts } from './categoryCodeCounts.js';
import { nonMissingValues } from './nonMissingValues.js';
import { withRangeEdges } from './rangeFineBins.js';

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
  /**
   * The prediction baseline's summary of the non-missing values, its fine bins with the range edges; undefined
   * when every value is missing.
   */
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

/** Summarises one baseline column (not modified); `importance` is kept when given. */
export function summarizeFeature(column: DecodedColumn, importance?: number): FeatureSummary {
  const summary = column.kind === 'numeric' ? summarizeNumeric(column) : summarizeCategorical(column);
  if (importance !== undefined) summary.importance = importance;
  return summary;
}

function summarizeNumeric(column: NumericColumn): NumericFeatureSummary {
  const values = nonMissingValues(column.values);
  const rows = column.values.length;
  if (values.length === 0) {
    return { kind: 'numeric', rows, missing: rows, min: Number.NaN, max: Number.NaN };
  }
  const summary = summarizeBaseline(values, DEFAULT_BIN_COUNT);
  // The stored order statistics always include the minimum and the maximum.
  const sorted = summary.sortedReference;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  summary.fine = withRangeEdges(summary.fine!, min, max);
  return { kind: 'numeric', rows, missing: rows - values.length, values: summary, min, max };
}

function summarizeCategorical(column: CategoricalColumn): CategoricalFeatureSummary {
  const { counts: codeCounts, missing } = categoryCodeCounts(column);
  const countByName = new Map<string, number>();
  for (let c = 0; c < codeCounts.length; c++) {
    const count = codeCounts[c]!;
    if (count === 0) continue;
    const name = column.categories[c]!;
    countByName.set(name, (countByName.get(name) ?? 0) + count);
  }
  const ranked = [...countByName].sort(([nameA, countA], [nameB, countB]) =>
    countA !== countB ? countB - countA : nameA < nameB ? -1 : nameA > nameB ? 1 : 0,
  );
  const kept = ranked.slice(0, MAX_KEPT_CATEGORIES);
  let otherCount = 0;
  for (let i = MAX_KEPT_CATEGORIES; i < ranked.length; i++) otherCount += ranked[i]![1];
  return {
    kind: 'categorical',
    rows: column.codes.length,
    missing,
    categories: kept.map(([name]) => name),
    counts: kept.map(([, count]) => count),
    otherCount,
  };
}
