/** OutcomeBatch: matured (prediction, outcome) pairs, the calibration monitor's message. */
import { z } from 'zod';
import { InvalidMessageError } from '../errors.js';
import { decodeBits } from './bits.js';
import { Float32Base64, MAX_BATCH_VALUES, windowedFields } from './common.js';
import { decodeFloat32 } from './float32.js';

const Probability = z
  .number({ error: 'must be a probability in [0, 1]' })
  .min(0, 'must be a probability in [0, 1]')
  .max(1, 'must be a probability in [0, 1]');

const Outcome = z
  .number({ error: 'must be 0 or 1' })
  .refine((value) => value === 0 || value === 1, 'must be 0 or 1');

/** Base64 of one byte per outcome, each 0 or 1 (numpy: outcomes.astype(np.uint8).tobytes()). */
const OutcomesU8 = z
  .string()
  .min(1, 'must not be empty')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be standard base64');

/**
 * Predictions joined upstream to their outcomes once the attribution window closed. `windowEnd` is when the
 * outcomes were finalised. Each of `predictions` and `outcomes` comes in exactly one encoding.
 */
export const OutcomeBatch = z
  .strictObject({
    ...windowedFields,
    predictions: z
      .array(Probability)
      .min(1, 'must not be empty')
      .max(MAX_BATCH_VALUES, `carries more than ${MAX_BATCH_VALUES} values`)
      .optional(),
    predictionsF32: Float32Base64.optional(),
    outcomes: z
      .array(Outcome)
      .min(1, 'must not be empty')
      .max(MAX_BATCH_VALUES, `carries more than ${MAX_BATCH_VALUES} values`)
      .optional(),
    outcomesU8: OutcomesU8.optional(),
  })
  .superRefine((message, context) => {
    for (const [plain, compact] of [
      ['predictions', 'predictionsF32'],
      ['outcomes', 'outcomesU8'],
    ] as const) {
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
  });
export type OutcomeBatch = z.infer<typeof OutcomeBatch>;

/** The pairs of an OutcomeBatch, whichever encodings it chose, checked for range and equal length. */
export function outcomePairs(message: OutcomeBatch): { predictions: Float64Array; outcomes: Uint8Array } {
  const predictions =
    message.predictions !== undefined
      ? Float64Array.from(message.predictions)
      : probabilities(decodeFloat32(message.predictionsF32 ?? '', 'predictionsF32', MAX_BATCH_VALUES));
  const outcomes =
    message.outcomes !== undefined
      ? Uint8Array.from(message.outcomes)
      : decodeBits(message.outcomesU8 ?? '', 'outcomesU8');
  if (outcomes.length !== predictions.length) {
    throw new InvalidMessageError([
      {
        path: message.outcomes !== undefined ? 'outcomes' : 'outcomesU8',
        message: `has ${outcomes.length} outcomes but there are ${predictions.length} predictions; they must pair up`,
      },
    ]);
  }
  return { predictions, outcomes };
}

function probabilities(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!(value >= 0 && value <= 1)) {
      throw new InvalidMessageError([
        { path: `predictionsF32[${i}]`, message: `is ${value}, not a probability in [0, 1]` },
      ]);
    }
  }
  return values;
}
