/** Pre-aggregated values: counts in a baseline's fine bins, named by the binning's fingerprint (`liftwatch bins`). */
import * as z from 'zod';
import { MAX_REPORTED_ELEMENTS } from './common.js';

/** 999 fine edges make 1,000 bins; a baseline with tied quantiles has fewer. */
export const MAX_BINS = 1000;

export const BinningFingerprint = z
  .string()
  .regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits, the binning liftwatch bins prints');

/**
 * One non-negative integer count per bin, totalling 1 to 2^53 - 1 (counts from many workers add up exactly in a
 * double up to that total). Whether there is one count per bin of the baseline is checked against the stored
 * baseline, when its binning is known.
 */
export const BinCountArray = z
  .array(z.unknown())
  .min(1, 'must not be empty')
  .max(MAX_BINS, `carries more than ${MAX_BINS} counts`)
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
        context.addIssue({ code: 'custom', path: [i], message: 'must be a non-negative integer count' });
    }
    if (bad > 0) return;
    if (total === 0) context.addIssue({ code: 'custom', message: 'must count at least one value' });
    else if (total > Number.MAX_SAFE_INTEGER)
      context.addIssue({ code: 'custom', message: 'counts more than 2^53 - 1 values in total' });
  })
  .transform((counts) => counts as number[])
  .meta({ items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } });

export const BinCounts = z.strictObject({
  binning: BinningFingerprint,
  counts: BinCountArray,
});
export type BinCounts = z.infer<typeof BinCounts>;
