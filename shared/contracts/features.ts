/**
 * FeatureBaseline and FeatureBatch: the feature monitor's two messages, each a set of named columns with one
 * value per row. decodeFeatureColumns (featureDecoding.ts) turns their columns into DecodedFeature[].
 */
import * as z from 'zod';
import { CategoryCounts, Count, FeatureBinCounts } from './binCounts.js';
import {
  Base64,
  commonFields,
  type ElementRule,
  exactlyOneEncoding,
  Float32Base64,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  MAX_REPORTED_ELEMENTS,
  MAX_VALUE_MAGNITUDE,
  valueArray,
  windowedFields,
} from './common.js';
import { CATEGORY, FEATURE_NAME, MAX_CATEGORIES, MAX_FEATURES, MISSING_CODE } from './featureColumns.js';
import { codeOutOfRange } from './uint16.js';

const NUMERIC_VALUE: ElementRule = {
  accepts: (value) => value === null || (typeof value === 'number' && Math.abs(value) <= MAX_VALUE_MAGNITUDE),
  message: `must be a finite number within ±${MAX_VALUE_MAGNITUDE}, or null (missing)`,
  jsonSchema: {
    anyOf: [
      { type: 'null' },
      { type: 'number', minimum: -MAX_VALUE_MAGNITUDE, maximum: MAX_VALUE_MAGNITUDE },
    ],
  },
};

const CATEGORY_RULE = `must be a string matching ${CATEGORY.source}`;

const CATEGORY_VALUE: ElementRule = {
  accepts: (value) => value === null || (typeof value === 'string' && CATEGORY.test(value)),
  message: `${CATEGORY_RULE}, or null (missing)`,
  jsonSchema: { anyOf: [{ type: 'null' }, { type: 'string', pattern: CATEGORY.source }] },
};

const CATEGORY_NAME: ElementRule = {
  accepts: (value) => typeof value === 'string' && CATEGORY.test(value),
  message: CATEGORY_RULE,
  jsonSchema: { type: 'string', pattern: CATEGORY.source },
};

const CODE: ElementRule = {
  accepts: (value) =>
    Number.isInteger(value) && (value as number) >= MISSING_CODE && (value as number) < MAX_CATEGORIES,
  message: `must be a whole number from ${MISSING_CODE} (missing) to ${MAX_CATEGORIES - 1}`,
  jsonSchema: { type: 'integer', minimum: MISSING_CODE, maximum: MAX_CATEGORIES - 1 },
};

const IMPORTANCE = `must be a number from 0 to ${MAX_VALUE_MAGNITUDE} (e.g. mean |SHAP| from training)`;

/** How much a feature matters to the model, given once with the baseline; ranks the features. */
const Importance = z
  .number({ error: IMPORTANCE })
  .min(0, IMPORTANCE)
  .max(MAX_VALUE_MAGNITUDE, IMPORTANCE)
  .optional();

/** A column's category strings, unique, each duplicate named (at most MAX_REPORTED_ELEMENTS of them). */
const Categories = valueArray<string>(MAX_CATEGORIES, CATEGORY_NAME)
  .superRefine((categories, context) => {
    const seen = new Map<string, number>();
    let duplicates = 0;
    categories.forEach((category, index) => {
      const first = seen.get(category);
      if (first === undefined) {
        seen.set(category, index);
      } else if (++duplicates <= MAX_REPORTED_ELEMENTS) {
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `duplicates categories[${first}] ${JSON.stringify(category)}`,
        });
      }
    });
  })
  .meta({ uniqueItems: true });

/** A numeric column's fields: NaN-free JSON numbers with null for missing, or float32 with NaN for missing. */
const numericFields = (maxCells: number) => ({
  kind: z.literal('numeric'),
  values: valueArray<number | null>(maxCells, NUMERIC_VALUE).optional(),
  valuesF32: Float32Base64.optional(),
});

const numericEncoding = exactlyOneEncoding(['values', 'valuesF32']);

/** The encoding rules the refinements check, stated for JSON Schema. */
const NUMERIC_ENCODING_SCHEMA = { oneOf: [{ required: ['values'] }, { required: ['valuesF32'] }] };

/**
 * A batch's numeric column may instead carry its counts in the feature's fine bins (`binCounts`, from any volume)
 * with the count of its missing values (`missing`, required with binCounts and only with it).
 */
const numericBatchFields = {
  ...numericFields(MAX_BATCH_VALUES),
  binCounts: FeatureBinCounts.optional(),
  missing: Count.optional(),
};

function numericBatchEncoding(
  column: {
    values?: unknown;
    valuesF32?: unknown;
    binCounts?: { counts: number[] } | undefined;
    missing?: number | undefined;
  },
  context: z.RefinementCtx,
): void {
  exactlyOneEncoding(['values', 'valuesF32', 'binCounts'])(column, context);
  countedRows(column.binCounts, column.missing, 'binCounts', context);
}

const NUMERIC_BATCH_ENCODING_SCHEMA = {
  oneOf: [{ required: ['values'] }, { required: ['valuesF32'] }, { required: ['binCounts'] }],
  dependentRequired: { binCounts: ['missing'], missing: ['binCounts'] },
  // At least one row: a positive count, or a positive missing count.
  dependentSchemas: {
    binCounts: {
      anyOf: [
        { properties: { binCounts: { properties: { counts: { contains: { minimum: 1 } } } } } },
        { properties: { missing: { minimum: 1 } } },
      ],
    },
  },
};

/**
 * A counted column's `missing` goes with its counts (required with them, refused without), and the rows it stands
 * for, the counts' total plus missing, number at least 1 and at most 2^53 - 1.
 */
function countedRows(
  counted: unknown,
  missing: number | undefined,
  field: 'binCounts' | 'counts',
  context: z.RefinementCtx,
): void {
  if (counted === undefined) {
    if (missing !== undefined)
      context.addIssue({ code: 'custom', path: ['missing'], message: `goes with ${field}, not with values` });
    return;
  }
  if (missing === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['missing'],
      message: `is required with ${field}: the count of missing (null) values in the window, 0 when none`,
    });
    return;
  }
  // Counts that broke their own rules were refused by them already (zod runs this refinement regardless).
  const counts =
    field === 'counts'
      ? counted instanceof Map
        ? [...counted.values()]
        : undefined
      : ((counted as { counts?: unknown }).counts as unknown[] | undefined);
  if (!Array.isArray(counts) || typeof missing !== 'number') return;
  let rows = missing;
  for (const count of counts) {
    if (!(Number.isSafeInteger(count) && (count as number) >= 0)) return;
    rows += count as number;
  }
  if (rows === 0)
    context.addIssue({
      code: 'custom',
      path: ['missing'],
      message: `is 0 and ${field} count no value: a column has at least one row`,
    });
  else if (rows > Number.MAX_SAFE_INTEGER)
    context.addIssue({
      code: 'custom',
      path: [field],
      message: 'with missing counts more than 2^53 - 1 rows in total',
    });
}

const CATEGORICAL_ENCODINGS = ['values', 'codes', 'codesU16'] as const;
const CATEGORICAL_BATCH_ENCODINGS = [...CATEGORICAL_ENCODINGS, 'counts'] as const;

/** A categorical column's fields: strings with null for missing, or categories and codes into them. */
const categoricalFields = (maxCells: number) => ({
  kind: z.literal('categorical'),
  values: valueArray<string | null>(maxCells, CATEGORY_VALUE).optional(),
  categories: Categories.optional(),
  codes: valueArray(maxCells, CODE).optional(),
  /** Base64 of little-endian uint16 codes; decoded and checked by decodeUint16Codes after parsing. */
  codesU16: Base64.optional(),
});

const CATEGORICAL_ENCODING_SCHEMA = {
  oneOf: CATEGORICAL_ENCODINGS.map((encoding) => ({ required: [encoding] })),
  dependentRequired: { codes: ['categories'], codesU16: ['categories'] },
  not: { required: ['values', 'categories'] },
};

/** A batch's categorical column may instead carry its values counted by category, with its missing count. */
const categoricalBatchFields = {
  ...categoricalFields(MAX_BATCH_VALUES),
  counts: CategoryCounts.optional(),
  missing: Count.optional(),
};

const CATEGORICAL_BATCH_ENCODING_SCHEMA = {
  oneOf: CATEGORICAL_BATCH_ENCODINGS.map((encoding) => ({ required: [encoding] })),
  dependentRequired: {
    codes: ['categories'],
    codesU16: ['categories'],
    counts: ['missing'],
    missing: ['counts'],
  },
  allOf: [{ not: { required: ['values', 'categories'] } }, { not: { required: ['counts', 'categories'] } }],
  // At least one row: some count positive (not every count <= 0; the counts are integers >= 0), or a positive
  // missing count.
  dependentSchemas: {
    counts: {
      anyOf: [
        { properties: { counts: { not: { additionalProperties: { maximum: 0 } } } } },
        { properties: { missing: { minimum: 1 } } },
      ],
    },
  },
};

function categoricalBatchEncoding(
  column: Parameters<typeof categoricalEncoding>[0] & {
    counts?: ReadonlyMap<string, number> | undefined;
    missing?: number | undefined;
  },
  context: z.RefinementCtx,
): void {
  categoricalEncoding(column, context, CATEGORICAL_BATCH_ENCODINGS);
  if (column.counts !== undefined && column.categories !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['categories'],
      message: 'goes with codes or codesU16, not with counts (counts are keyed by the category strings)',
    });
  }
  countedRows(column.counts, column.missing, 'counts', context);
}

/**
 * Exactly one of values, codes and codesU16; categories with codes and codesU16 only; every JSON code an index
 * into categories (codesU16 is checked when decoded).
 */
function categoricalEncoding(
  column: {
    values?: unknown;
    categories?: string[] | undefined;
    codes?: number[] | undefined;
    codesU16?: string | undefined;
  },
  context: z.RefinementCtx,
  encodings: readonly string[] = CATEGORICAL_ENCODINGS,
): void {
  const present = encodings.filter((encoding) => (column as Record<string, unknown>)[encoding] !== undefined);
  const names = `${encodings.slice(0, -1).join(', ')} or ${encodings.at(-1)}`;
  if (present.length !== 1) {
    context.addIssue({
      code: 'custom',
      path: [present[0] ?? 'values'],
      message:
        present.length === 0
          ? `one of ${names} is required`
          : `carry one of ${names}, not ${present.join(' and ')}`,
    });
  }
  const { categories, codes } = column;
  if (column.values !== undefined && categories !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['categories'],
      message: 'goes with codes or codesU16, not with values (values carry the category strings)',
    });
  }
  if ((codes !== undefined || column.codesU16 !== undefined) && categories === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['categories'],
      message: `is required with ${codes !== undefined ? 'codes' : 'codesU16'}: the codes index into it`,
    });
  }
  if (codes === undefined || categories === undefined) return;
  let bad = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    // A code that is not a whole number was refused by its element rule already.
    if (typeof code !== 'number' || code < categories.length) continue;
    if (++bad <= MAX_REPORTED_ELEMENTS) {
      context.addIssue({
        code: 'custom',
        path: ['codes', i],
        message: codeOutOfRange(code, categories.length, MISSING_CODE),
      });
    }
  }
  if (bad > MAX_REPORTED_ELEMENTS) {
    context.addIssue({
      code: 'custom',
      path: ['codes'],
      message: `has ${bad} codes beyond the ${categories.length} categories; the first ${MAX_REPORTED_ELEMENTS} are listed`,
    });
  }
}

const KIND = 'must be "numeric" or "categorical"';

/** A baseline's column: either kind, with an optional importance. */
const BaselineColumn = z.discriminatedUnion(
  'kind',
  [
    z
      .strictObject({ ...numericFields(MAX_BASELINE_VALUES), importance: Importance })
      .superRefine(numericEncoding)
      .meta(NUMERIC_ENCODING_SCHEMA),
    z
      .strictObject({ ...categoricalFields(MAX_BASELINE_VALUES), importance: Importance })
      .superRefine(categoricalEncoding)
      .meta(CATEGORICAL_ENCODING_SCHEMA),
  ],
  { error: KIND },
);

/** A batch's column: either kind, raw or counted; importance belongs to the baseline. */
const BatchColumn = z.discriminatedUnion(
  'kind',
  [
    z.strictObject(numericBatchFields).superRefine(numericBatchEncoding).meta(NUMERIC_BATCH_ENCODING_SCHEMA),
    z
      .strictObject(categoricalBatchFields)
      .superRefine(categoricalBatchEncoding)
      .meta(CATEGORICAL_BATCH_ENCODING_SCHEMA),
  ],
  { error: KIND },
);

const FEATURE_NAME_RULE = `feature names must match ${FEATURE_NAME.source}`;

/**
 * Feature name to column, 1 to MAX_FEATURES of them. The count is checked before any column is parsed, so a
 * message of a million tiny features costs one pass over its keys, not a million issues.
 */
function features<Column extends z.ZodType>(column: Column) {
  return z
    .preprocess(
      (input, context) => {
        if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
        // zod drops a `__proto__` key silently (see Segment); a feature that names one is refused by name.
        if (Object.hasOwn(input, '__proto__')) {
          context.addIssue({ code: 'custom', path: ['__proto__'], message: FEATURE_NAME_RULE, input });
        }
        const count = Object.keys(input).length;
        if (count === 0)
          context.addIssue({ code: 'custom', message: 'must carry at least one feature', input });
        if (count > MAX_FEATURES) {
          context.addIssue({
            code: 'custom',
            message: `carries ${count} features, more than ${MAX_FEATURES}`,
            input,
          });
        }
        return input;
      },
      z.record(z.string().regex(FEATURE_NAME, FEATURE_NAME_RULE), column),
    )
    .meta({ minProperties: 1, maxProperties: MAX_FEATURES });
}

/**
 * The reference features a model version was trained or validated on, registered once per (model, modelVersion),
 * each column with an optional importance.
 */
export const FeatureBaseline = z.strictObject({
  ...commonFields,
  features: features(BaselineColumn),
});
export type FeatureBaseline = z.infer<typeof FeatureBaseline>;

/** One window of one segment's features, compared against the model version's FeatureBaseline. */
export const FeatureBatch = z.strictObject({
  ...windowedFields,
  features: features(BatchColumn),
});
export type FeatureBatch = z.infer<typeof FeatureBatch>;

/** One column of a FeatureBaseline or FeatureBatch, as parsed (before decoding). */
export type FeatureColumn = FeatureBaseline['features'][string] | FeatureBatch['features'][string];
