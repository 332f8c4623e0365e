/**
 * The decoded form of a FeatureBaseline's or FeatureBatch's columns, whichever encoding each column chose: what
 * the feature statistics read. Filled in by `decodeFeatureColumns` (featureDecoding.ts) after the zod contract
 * (features.ts) has parsed the message.
 */

/** Feature names: lowercase, starting with a letter, as Cloud Monitoring label values and log fields read them. */
export const FEATURE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Most features one model's baseline or batch may carry. */
export const MAX_FEATURES = 100;

/** Category strings a categorical column may carry. */
export const CATEGORY = /^[A-Za-z0-9_.:/+-]{1,128}$/;

/** Most categories one column's `categories` may list: every code then fits a uint16 below MISSING_CODE_U16. */
export const MAX_CATEGORIES = 65_535;

/** The code of a missing value in `codes` (JSON) and in the decoded column. */
export const MISSING_CODE = -1;

/** The code of a missing value in `codesU16` (base64 little-endian uint16). */
export const MISSING_CODE_U16 = 65535;

/** A numeric column: NaN marks a missing value (null in JSON, NaN in valuesF32). */
export interface NumericColumn {
  kind: 'numeric';
  values: Float64Array;
}

/**
 * A categorical column as codes into `categories` (MISSING_CODE = missing). A JSON `values` column is decoded to
 * categories in order of first appearance.
 */
export interface CategoricalColumn {
  kind: 'categorical';
  categories: readonly string[];
  codes: Int32Array;
}

export type DecodedColumn = NumericColumn | CategoricalColumn;

/**
 * A FeatureBatch's numeric column pre-aggregated: counts in the feature's fine bins (`liftwatch bins`), named by
 * their fingerprint, and the missing values; rows = the counts' total + missing.
 */
export interface BinnedNumericColumn {
  kind: 'numeric';
  binCounts: { binning: string; counts: readonly number[] };
  missing: number;
}

/** A FeatureBatch's categorical column pre-aggregated: non-missing values counted by category, and the missing. */
export interface CountedCategoricalColumn {
  kind: 'categorical';
  counts: ReadonlyMap<string, number>;
  missing: number;
}

/** A FeatureBatch's column: raw values (either kind) or counts. */
export type WindowColumn = DecodedColumn | BinnedNumericColumn | CountedCategoricalColumn;

/** Whether a column carries counts rather than one value per row. */
export function isCounted(column: WindowColumn): column is BinnedNumericColumn | CountedCategoricalColumn {
  return 'missing' in column;
}

/** A message's features, in the message's key order, with the optional importance of each. */
export interface DecodedFeature<Column extends WindowColumn = WindowColumn> {
  name: string;
  column: Column;
  /** Baseline only: the producer's importance (e.g. mean |SHAP| from training), when given. */
  importance?: number;
}
