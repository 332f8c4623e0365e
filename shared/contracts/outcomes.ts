/** OutcomeBatch: matured (prediction, outcome) pairs, the calibration monitor's message. */
import * as z from 'zod';
import { InvalidMessageError } from '../errors.js';
import { BitsBase64, decodeBits } from './bits.js';
import {
  BIT,
  exactlyOneEncoding,
  Float32Base64,
  MAX_BATCH_VALUES,
  PROBABILITY,
  valueArray,
  windowedFields,
} from './common.js';
import { decodeFloat32 } from './float32.js';

/**
 * Predictions joined upstream to their outcomes once the attribution window closed. `windowEnd` is when the
 * outcomes were finalised. Each of `predictions` and `outcomes` comes in exactly one encoding.
 */
export const OutcomeBatch = z
  .strictObject({
    ...windowedFields,
    predictions: valueArray(MAX_BATCH_VALUES, PROBABILITY).optional(),
    predictionsF32: Float32Base64.optional(),
    outcomes: valueArray(MAX_BATCH_VALUES, BIT).optional(),
    outcomesU8: BitsBase64.optional(),
  })
  .superRefine(exactlyOneEncoding(['predictions', 'predictionsF32'], ['outcomes', 'outcomesU8']));
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
