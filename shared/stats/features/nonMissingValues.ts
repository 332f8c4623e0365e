/**
 * The non-missing values of a numeric column (NaN marks a missing value), in their order, as a new array: what
 * the numeric summaries and statistics read. One pass, one allocation of the column's length.
 *
 * @example nonMissingValues(Float64Array.of(3, Number.NaN, 1)) // => Float64Array [3, 1]
 */
export function nonMissingValues(values: Float64Array): Float64Array {
  const kept = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isNaN(value)) kept[n++] = value;
  }
  return n === values.length ? kept : kept.slice(0, n);
}
