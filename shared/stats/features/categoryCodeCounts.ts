/**
 * How often each code of a categorical column occurs, and how many values are missing: one pass over the codes
 * into a typed array indexed by code, so nothing per row touches a string. Codes must be MISSING_CODE or an index
 * into `categories` (the contracts refuse others; a RangeError here names the first offending position).
 *
 * @example categoryCodeCounts({ kind: 'categorical', categories: ['a', 'b'], codes: Int32Array.of(1, -1, 1) })
 * // => { counts: Float64Array [0, 2], missing: 1 }
 */
import { type CategoricalColumn, MISSING_CODE } from '../../contracts/featureColumns.js';

export interface CategoryCodeCounts {
  /** counts[c]: values with code c, aligned with the column's `categories`. */
  counts: Float64Array;
  missing: number;
}

export function categoryCodeCounts(column: CategoricalColumn): CategoryCodeCounts {
  const categories = column.categories.length;
  const counts = new Float64Array(categories);
  const codes = column.codes;
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code >= 0 && code < categories) counts[code]!++;
    else if (code === MISSING_CODE) missing++;
    else
      throw new RangeError(
        `categoryCodeCounts requires codes in [-1, ${categories - 1}] (codes[${i}] is ${code})`,
      );
  }
  return { counts, missing };
}
