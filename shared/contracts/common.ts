/** Fields every liftwatch message carries, and the limits that bound a message. */
import { z } from 'zod';

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

/** A JSON array of finite numbers; JSON itself cannot carry NaN or Infinity, so strings and nulls are what is caught here. */
export const FiniteNumbers = (maxValues: number) =>
  z
    .array(z.number({ error: 'must be a finite number' }).finite('must be a finite number'))
    .min(1, 'must not be empty')
    .max(maxValues, `carries more than ${maxValues} values`);

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
 * A refinement requiring each value field in exactly one of its two encodings, e.g. `predictions` (JSON array) or
 * `predictionsF32` (base64): `.superRefine(exactlyOneEncoding(['predictions', 'predictionsF32']))`.
 */
export function exactlyOneEncoding(...pairs: (readonly [plain: string, compact: string])[]) {
  return (message: Record<string, unknown>, context: z.RefinementCtx): void => {
    for (const [plain, compact] of pairs) {
      const hasPlain = message[plain] !== undefined;
      if (hasPlain === (message[compact] !== undefined)) {
        context.addIssue({
          code: 'custom',
          path: [plain],
          message: hasPlain
            ? `carry either ${plain} or ${compact}, not both`
            : `one of ${plain} or ${compact} is required`,
        });
      }
    }
  };
}
