/**
 * The buckets a categorical batch is compared over, with the reference's and the batch's count in each: every
 * category the reference summary kept, then one more bucket, OTHER_BUCKET when the reference pooled categories
 * (a batch value outside the kept ones counts there, since it may be one of the pooled ones) or UNSEEN_BUCKET when
 * it pooled none (a batch value in no reference category). Buckets empty in both are dropped, so K =
 * names.length is the number of buckets non-empty in the reference or the batch. Missing values are in no bucket.
 *
 * The batch's categories are mapped to buckets once each (by name; a category listed twice maps twice to the
 * same bucket) and its codes counted by code in a typed array, so no per-row work touches a string. A counted
 * column (a FeatureBatch's `counts`) is mapped the same way, its names as the categories and its counts as theirs,
 * so counted and raw windows of the same values have the same buckets and counts.
 *
 * @example categoricalBuckets(
 *   { kind: 'categorical', rows: 4, missing: 0, categories: ['a', 'b'], counts: [3, 1], otherCount: 0 },
 *   { kind: 'categorical', categories: ['b', 'z'], codes: Int32Array.of(0, 1, 1, -1) },
 * ) // => { names: ['a', 'b', '__unseen__'], referenceCounts: [3, 1, 0], batchCounts: [0, 1, 2], n: 3,
 * //        missing: 1, unseen: 2 }
 */
import type { CategoricalColumn, CountedCategoricalColumn } from '../../contracts/featureColumns.js';
import { categoryCodeCounts } from './categoryCodeCounts.js';
import { type CategoricalFeatureSummary, OTHER_BUCKET, UNSEEN_BUCKET } from './featureSummary.js';

export interface CategoricalBuckets {
  /** Bucket names: kept reference categories in the summary's order, then OTHER_BUCKET or UNSEEN_BUCKET. */
  names: string[];
  referenceCounts: Float64Array;
  batchCounts: Float64Array;
  /** Non-missing batch values. */
  n: number;
  /** Missing batch values. */
  missing: number;
  /** Batch values in UNSEEN_BUCKET (0 when the reference pooled categories). */
  unseen: number;
}

export function categoricalBuckets(
  summary: CategoricalFeatureSummary,
  column: CategoricalColumn | CountedCategoricalColumn,
): CategoricalBuckets {
  const kept = summary.categories.length;
  const pooled = summary.otherCount > 0;
  const bucketOf = new Map<string, number>();
  for (let k = 0; k < kept; k++) bucketOf.set(summary.categories[k]!, k);
  const {
    categories,
    counts: codeCounts,
    missing,
  } = 'counts' in column
    ? { categories: [...column.counts.keys()], counts: [...column.counts.values()], missing: column.missing }
    : { categories: column.categories, ...categoryCodeCounts(column) };

  const allReference = new Float64Array(kept + 1);
  for (let k = 0; k < kept; k++) allReference[k] = summary.counts[k]!;
  allReference[kept] = summary.otherCount;
  const allBatch = new Float64Array(kept + 1);
  let n = 0;
  for (let c = 0; c < codeCounts.length; c++) {
    const count = codeCounts[c]!;
    if (count === 0) continue;
    allBatch[bucketOf.get(categories[c]!) ?? kept]! += count;
    n += count;
  }

  let used = 0;
  for (let k = 0; k <= kept; k++) if (allReference[k]! > 0 || allBatch[k]! > 0) used++;
  const names: string[] = [];
  const referenceCounts = new Float64Array(used);
  const batchCounts = new Float64Array(used);
  for (let k = 0, j = 0; k <= kept; k++) {
    if (!(allReference[k]! > 0 || allBatch[k]! > 0)) continue;
    names.push(k < kept ? summary.categories[k]! : pooled ? OTHER_BUCKET : UNSEEN_BUCKET);
    referenceCounts[j] = allReference[k]!;
    batchCounts[j] = allBatch[k]!;
    j++;
  }
  return { names, referenceCounts, batchCounts, n, missing, unseen: pooled ? 0 : allBatch[kept]! };
}
