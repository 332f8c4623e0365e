/**
 * Pre-aggregated values: counts in a baseline's fine bins, named by the binning's fingerprint (`liftwatch bins`),
 * and a categorical feature's counts by category name.
 */
import * as z from 'zod';
import { MAX_REPORTED_ELEMENTS } from './common.js';
import { CATEGORY, MAX_CATEGORIES } from './featureColumns.js';

/** 999 fine edges make 1,000 bins; a baseline with tied quantiles has fewer. */
export const MAX_BINS = 1000;

/** A numeric feature's fine bins add two edges, its reference minimum and just above its maximum: 1,002 bins. */
export const MAX_FEATURE_BINS = MAX_BINS + 2;

export const BinningFingerprint = z
  .string()
  .regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits, the binning liftwatch bins prints');

const COUNT_RULE = 'must be a non-negative integer count';

/** One count: a non-negative integer that a double holds exactly. */
export const Count = z
  .number({ error: COUNT_RULE })
  .int(COUNT_RULE)
  .min(0, COUNT_RULE)
  .max(Number.MAX_SAFE_INTEGER, 'must be at most 2^53 - 1');

/**
 * One non-negative integer count per bin, totalling at most 2^53 - 1 (counts from many workers add up exactly in a
 * double up to that total) and at least `minTotal`: 1 for a PredictionBatch; 0 for a feature column, whose values
 * may all be missing (its `missing` count then carries the rows). Whether there is one count per bin of the
 * baseline is checked against the stored baseline, when its binning is known.
 */
function binCountArray(minTotal: 0 | 1, maxBins: number) {
  return z
    .array(z.unknown())
    .min(1, 'must not be empty')
    .max(maxBins, `carries more than ${maxBins} counts`)
    .superRefine((counts, context) => {
      let bad = 0;
      let total = 0;
      for (let i = 0; i < counts.length; i++) {
        const count = counts[i];
        if (Number.isSafeInteger(count) && (count as number) >= 0) {
          total += count as number;
          continue;
        }
        if (++bad <= MAX_REPORTED_ELEMENTS)
          context.addIssue({ code: 'custom', path: [i], message: COUNT_RULE });
      }
      if (bad > 0) return;
      if (total < minTotal) context.addIssue({ code: 'custom', message: 'must count at least one value' });
      else if (total > Number.MAX_SAFE_INTEGER)
        context.addIssue({ code: 'custom', message: 'counts more than 2^53 - 1 values in total' });
    })
    .transform((counts) => counts as number[])
    .meta({ items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } });
}

export const BinCountArray = binCountArray(1, MAX_BINS);

export const BinCounts = z.strictObject({
  binning: BinningFingerprint,
  counts: BinCountArray,
});
export type BinCounts = z.infer<typeof BinCounts>;

/** A numeric feature column's counts in its fine bins: all may be 0 when every value of the window is missing. */
export const FeatureBinCounts = z.strictObject({
  binning: BinningFingerprint,
  counts: binCountArray(0, MAX_FEATURE_BINS),
});
export type FeatureBinCounts = z.infer<typeof FeatureBinCounts>;

/**
 * A categorical feature column's non-missing values counted by category: `{"mobile": 812, "desktop": 190}`, at
 * most MAX_CATEGORIES names, each a category string, each count a non-negative integer, totalling at most
 * 2^53 - 1; may be empty when every value is missing. Checked by hand rather than by z.record, which drops a
 * `__proto__` key silently: `__proto__` is a valid category string, and is counted like any other. Parsed into a
 * Map in the message's key order.
 */
export const CategoryCounts = z
  .unknown()
  .superRefine((input, context) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      context.addIssue({ code: 'custom', message: 'must be an object of category: count' });
      return;
    }
    const entries = Object.entries(input);
    if (entries.length > MAX_CATEGORIES) {
      context.addIssue({
        code: 'custom',
        message: `carries ${entries.length} categories, more than ${MAX_CATEGORIES}`,
      });
      return;
    }
    let bad = 0;
    let total = 0;
    for (const [name, count] of entries) {
      const problem = !CATEGORY.test(name)
        ? `category names must match ${CATEGORY.source}`
        : !(Number.isSafeInteger(count) && (count as number) >= 0)
          ? COUNT_RULE
          : undefined;
      if (problem === undefined) {
        total += count as number;
      } else if (++bad <= MAX_REPORTED_ELEMENTS) {
        context.addIssue({ code: 'custom', path: [name], message: problem });
      }
    }
    if (bad === 0 && total > Number.MAX_SAFE_INTEGER)
      context.addIssue({ code: 'custom', message: 'counts more than 2^53 - 1 values in total' });
  })
  .transform((input) => new Map(Object.entries(input as Record<string, number>)))
  .meta({
    type: 'object',
    maxProperties: MAX_CATEGORIES,
    propertyNames: { pattern: CATEGORY.source },
    additionalProperties: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  });
