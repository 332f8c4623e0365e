/**
 * The missing shares of a batch column and its reference column, over all rows of each, and Newcombe's hybrid
 * score 95% interval of their difference d = batch share - reference share: with s_b = missing_b / rows_b,
 * s_r = missing_r / rows_r and the Wilson bounds (l, u) of each share,
 *   lower = d - sqrt((s_b - l_b)^2 + (u_r - s_r)^2),   upper = d + sqrt((u_b - s_b)^2 + (s_r - l_r)^2),
 * the interval the lift monitor puts around realized lift (newcombeInterval with the batch as its first arm).
 * lower > 0.05 says the missing share rose by more than 5 points beyond sampling noise. Requires at least one
 * row in each column.
 *
 * Reference: Newcombe, R. G. (1998), "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Statistics in Medicine 17, 873-890 (method 10); equals statsmodels'
 * `confint_proportions_2indep(missing_b, rows_b, missing_r, rows_r, method='newcomb', compare='diff')`.
 *
 * @example missingShareDifference({ rows: 70, missing: 56 }, { rows: 80, missing: 48 })
 * // => { share: 0.8, referenceShare: 0.6, difference: 0.20000000000000007, lower: 0.05243147240236498,
 * //      upper: 0.33387265403690614 }
 */
import { type DifferenceInterval, newcombeInterval } from '../lift/newcombeInterval.js';

export interface MissingCounts {
  /** Rows of the column, missing ones included. */
  rows: number;
  missing: number;
}

export interface MissingShareDifference extends DifferenceInterval {
  share: number;
  referenceShare: number;
}

export function missingShareDifference(
  batch: MissingCounts,
  reference: MissingCounts,
): MissingShareDifference {
  for (const counts of [batch, reference]) {
    if (!(Number.isInteger(counts.rows) && counts.rows > 0)) {
      throw new RangeError('missingShareDifference requires at least one row in each column');
    }
    if (!(Number.isInteger(counts.missing) && counts.missing >= 0 && counts.missing <= counts.rows)) {
      throw new RangeError('missingShareDifference requires missing counts between 0 and rows');
    }
  }
  const interval = newcombeInterval(
    { units: batch.rows, conversions: batch.missing },
    { units: reference.rows, conversions: reference.missing },
  );
  return {
    share: batch.missing / batch.rows,
    referenceShare: reference.missing / reference.rows,
    ...interval,
  };
}
