/** A parsed FeatureBaseline's or FeatureBatch's columns as typed arrays, whichever encoding each column chose. */
import { InvalidMessageError } from '../errors.js';
import type { DecodedColumn, DecodedFeature, WindowColumn } from './featureColumns.js';
import { MISSING_CODE } from './featureColumns.js';
import type { FeatureBaseline, FeatureColumn } from './features.js';
import { decodeFloat32WithMissing } from './float32.js';
import { decodeUint16Codes } from './uint16.js';

/**
 * The message's features in its key order. Base64 columns are decoded (NaN and 65535 marking missing values),
 * a categorical `values` column becomes its categories in order of first appearance and their codes; a counted
 * column (binCounts or counts, FeatureBatch only) stays counts, standing for total + missing rows. Refuses,
 * naming the field, a column whose bytes or codes are bad, a column whose row count differs from the first
 * column's, and rows x value-carrying features beyond maxCells (checked on the first such column, before the
 * others are decoded; counted columns carry no values and any number of rows).
 */
export function decodeFeatureColumns(
  message: FeatureBaseline,
  maxCells: number,
): DecodedFeature<DecodedColumn>[];
export function decodeFeatureColumns(
  message: { features: Record<string, FeatureColumn> },
  maxCells: number,
): DecodedFeature[];
export function decodeFeatureColumns(
  message: { features: Record<string, FeatureColumn> },
  maxCells: number,
): DecodedFeature[] {
  const entries = Object.entries(message.features);
  const valueColumns = entries.filter(([, column]) => !carriesCounts(column)).length;
  const decoded: DecodedFeature[] = [];
  let first: { field: string; rows: number } | undefined;
  let checkedCells = false;
  for (const [name, column] of entries) {
    const field = `features.${name}`;
    const decodedColumn = decodeColumn(column, field, maxCells);
    const rows = columnRows(decodedColumn);
    if (!checkedCells && !carriesCounts(column)) {
      checkedCells = true;
      if (rows * valueColumns > maxCells) {
        throw new InvalidMessageError([
          {
            path: 'features',
            message: `carries ${valueColumns} features x ${rows} rows = ${rows * valueColumns} values, more than ${maxCells}; sample rows or send counts (binCounts, counts)`,
          },
        ]);
      }
    }
    if (first === undefined) {
      first = { field, rows };
    } else if (rows !== first.rows) {
      throw new InvalidMessageError([
        {
          path: field,
          message: `has ${rows} rows, but ${first.field} has ${first.rows}; every column carries one value per row`,
        },
      ]);
    }
    const importance = 'importance' in column ? column.importance : undefined;
    decoded.push(
      importance === undefined
        ? { name, column: decodedColumn }
        : { name, column: decodedColumn, importance },
    );
  }
  return decoded;
}

/** Whether a parsed column carries counts (binCounts or counts) rather than values. */
function carriesCounts(column: FeatureColumn): boolean {
  return (
    ('binCounts' in column && column.binCounts !== undefined) ||
    ('counts' in column && column.counts !== undefined)
  );
}

/** Rows a decoded column stands for: its values, or its counts' total plus its missing count. */
export function columnRows(column: WindowColumn): number {
  if ('binCounts' in column)
    return column.binCounts.counts.reduce((sum, count) => sum + count, column.missing);
  if ('counts' in column) {
    let rows = column.missing;
    for (const count of column.counts.values()) rows += count;
    return rows;
  }
  return column.kind === 'numeric' ? column.values.length : column.codes.length;
}

function decodeColumn(column: FeatureColumn, field: string, maxCells: number): WindowColumn {
  if ('binCounts' in column && column.binCounts !== undefined) {
    return { kind: 'numeric', binCounts: column.binCounts, missing: column.missing ?? 0 };
  }
  if ('counts' in column && column.counts !== undefined) {
    return { kind: 'categorical', counts: column.counts, missing: column.missing ?? 0 };
  }
  if (column.kind === 'numeric') {
    const values =
      column.values !== undefined
        ? Float64Array.from(column.values, (value) => value ?? Number.NaN)
        : decodeFloat32WithMissing(column.valuesF32 ?? '', `${field}.valuesF32`, maxCells);
    return { kind: 'numeric', values };
  }
  if (column.values !== undefined) return categoriesOfValues(column.values);
  const categories = column.categories ?? [];
  const codes =
    column.codes !== undefined
      ? Int32Array.from(column.codes)
      : decodeUint16Codes(column.codesU16 ?? '', `${field}.codesU16`, maxCells, categories.length);
  return { kind: 'categorical', categories, codes };
}

/** Categories in order of first appearance and the code of each value (MISSING_CODE for null). */
function categoriesOfValues(values: readonly (string | null)[]): DecodedColumn {
  // A Map, not an object: `__proto__` and `constructor` are valid category strings.
  const codeOf = new Map<string, number>();
  const categories: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === null) {
      codes[i] = MISSING_CODE;
      continue;
    }
    let code = codeOf.get(value);
    if (code === undefined) {
      code = categories.length;
      codeOf.set(value, code);
      categories.push(value);
    }
    codes[i] = code;
  }
  return { kind: 'categorical', categories, codes };
}
