/** Fields every liftwatch message carries, and the limits that bound a message. */
import * as z from 'zod';

/** Pub/Sub refuses message data over 10 MB; liftwatch refuses it before parsing. */
export const MAX_MESSAGE_BYTES = 10_000_000;

/** Most values one batch may carry, whatever its encoding: bounds memory (1M values ~ 8 MB as float64). */
export const MAX_BATCH_VALUES = 1_000_000;

/** Most values a baseline may carry (a float32 baseline of this size is 9.33 MB of base64). */
export const MAX_BASELINE_VALUES = 1_750_000;

export const SCHEMA_VERSION = 1;

export const SchemaVersion = z.literal(SCHEMA_VERSION, {
  error: (issue) =>
    issue.input === undefined
      ? 'schemaVersion is required'
      : `unsupported schemaVersion ${JSON.stringify(issue.input)}; this release reads schemaVersion ${SCHEMA_VERSION}`,
});

export const ModelName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must match ^[a-z][a-z0-9_-]{0,62}$ (lowercase, starts with a letter)');

export const ModelVersion = z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, 'must match ^[A-Za-z0-9._-]{1,63}$');

const SEGMENT_KEY = /^[a-z][a-z0-9_]{0,30}$/;
const SEGMENT_VALUE = /^[A-Za-z0-9._-]{1,63}$/;
export const MAX_SEGMENT_KEYS = 4;

/**
 * A slice of traffic, e.g. {"market": "se"}: at most 4 keys. Keys and values are checked here so that the
 * canonical label built from them (see segmentLabel) is always a valid Cloud Monitoring label value.
 */
export const Segment = z.preprocess(
  (input, context) => {
    // zod drops a `__proto__` key silently; a segment that names one is hostile or broken, never meant.
    if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')) {
      context.addIssue({ code: 'custom', message: 'segment keys must match ^[a-z][a-z0-9_]{0,30}$', input });
    }
    return input;
  },
  z
    .record(
      z.string().regex(SEGMENT_KEY, 'segment keys must match ^[a-z][a-z0-9_]{0,30}$'),
      z.string().regex(SEGMENT_VALUE, 'segment values must match ^[A-Za-z0-9._-]{1,63}$'),
    )
    .refine((segment) => Object.keys(segment).length <= MAX_SEGMENT_KEYS, {
      message: `segment has more than ${MAX_SEGMENT_KEYS} keys`,
    }),
);
export type Segment = z.infer<typeof Segment>;

/** RFC 3339 timestamp with an explicit offset, e.g. 2026-11-26T15:00:00Z. */
export const WindowEnd = z.iso.datetime({
  offset: true,
  message: 'must be an RFC 3339 timestamp, e.g. 2026-11-26T15:00:00Z',
});

/**
 * Predictions and uplift scores must lie within ±1e9: far beyond any model output, and small enough that no
 * statistic of a million of them can overflow a double (a prediction of 1e308 is finite, but its Wasserstein
 * distance is not).
 */
export const MAX_VALUE_MAGNITUDE = 1e9;

/** Bad elements reported per array: a message of a million nulls names the first ten, not a million. */
export const MAX_REPORTED_ELEMENTS = 10;

/** What every element of a JSON value array must be: the check, the reason, and the rule for JSON Schema. */
export interface ElementRule {
  accepts(value: unknown): boolean;
  message: string;
  jsonSchema: Record<string, unknown>;
}

export const PREDICTION: ElementRule = {
  accepts: (value) => typeof value === 'number' && Math.abs(value) <= MAX_VALUE_MAGNITUDE,
  message: `must be a finite number within ±${MAX_VALUE_MAGNITUDE}`,
  jsonSchema: { type: 'number', minimum: -MAX_VALUE_MAGNITUDE, maximum: MAX_VALUE_MAGNITUDE },
};

export const PROBABILITY: ElementRule = {
  accepts: (value) => typeof value === 'number' && value >= 0 && value <= 1,
  message: 'must be a probability in [0, 1]',
  jsonSchema: { type: 'number', minimum: 0, maximum: 1 },
};

export const BIT: ElementRule = {
  accepts: (value) => value === 0 || value === 1,
  message: 'must be 0 or 1',
  jsonSchema: { enum: [0, 1] },
};

/**
 * A JSON array of up to `maxValues` elements each obeying `rule`, checked in one pass that reports at most
 * MAX_REPORTED_ELEMENTS bad elements (zod's per-element issues would take a gigabyte for a million nulls).
 * JSON cannot carry NaN or Infinity; 1e999 parses to Infinity and is refused like a string or a null.
 */
export function valueArray<Element = number>(maxValues: number, rule: ElementRule) {
  return z
    .array(z.unknown())
    .min(1, 'must not be empty')
    .max(maxValues, `carries more than ${maxValues} values`)
    .superRefine((values, context) => {
      let bad = 0;
      for (let i = 0; i < values.length; i++) {
        if (rule.accepts(values[i])) continue;
        if (++bad <= MAX_REPORTED_ELEMENTS)
          context.addIssue({ code: 'custom', path: [i], message: rule.message });
      }
      if (bad > MAX_REPORTED_ELEMENTS) {
        context.addIssue({
          code: 'custom',
          message: `has ${bad} invalid values (each ${rule.message}); the first ${MAX_REPORTED_ELEMENTS} are listed`,
        });
      }
    })
    .transform((values) => values as Element[])
    .meta({ items: rule.jsonSchema });
}

/** Standard base64 text of a compact encoding; its bytes are checked when decoded. */
export const Base64 = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be standard base64');

/** Base64 of little-endian float32 values; decoded and checked by decodeFloat32 after parsing. */
export const Float32Base64 = Base64;

export const commonFields = {
  schemaVersion: SchemaVersion,
  model: ModelName,
  modelVersion: ModelVersion,
};

export const windowedFields = {
  ...commonFields,
  segment: Segment.optional(),
  windowEnd: WindowEnd,
};

/**
 * A refinement requiring each value field in exactly one of its encodings, e.g. `predictions` (JSON array) or
 * `predictionsF32` (base64): `.superRefine(exactlyOneEncoding(['predictions', 'predictionsF32']))`. A group may
 * name more than two (`['predictions', 'predictionsF32', 'binCounts']`).
 */
export function exactlyOneEncoding(...groups: (readonly [plain: string, ...others: string[]])[]) {
  return (message: Record<string, unknown>, context: z.RefinementCtx): void => {
    for (const group of groups) {
      const present = group.filter((field) => message[field] !== undefined).length;
      if (present === 1) continue;
      const names = `${group.slice(0, -1).join(', ')} or ${group.at(-1)}`;
      context.addIssue({
        code: 'custom',
        path: [group[0]],
        message:
          present === 0
            ? `one of ${names} is required`
            : group.length === 2
              ? `carry either ${names}, not both`
              : `carry only one of ${names}`,
      });
    }
  };
}
