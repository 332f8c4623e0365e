/** Baseline and PredictionBatch: the drift monitor's two messages. */
import { z } from 'zod';
import {
  commonFields,
  FiniteNumbers,
  Float32Base64,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  windowedFields,
} from './common.js';

/** Exactly one of `predictions` (JSON numbers) or `predictionsF32` (base64 of little-endian float32). */
const oneEncoding = (
  message: { predictions?: unknown; predictionsF32?: unknown },
  context: z.RefinementCtx,
): void => {
  const hasJson = message.predictions !== undefined;
  const hasF32 = message.predictionsF32 !== undefined;
  if (hasJson === hasF32) {
    context.addIssue({
      code: 'custom',
      path: ['predictions'],
      message: hasJson
        ? 'carry either predictions or predictionsF32, not both'
        : 'one of predictions or predictionsF32 is required',
    });
  }
};

/** The reference predictions a model version was validated on, registered once per (model, modelVersion). */
export const Baseline = z
  .strictObject({
    ...commonFields,
    predictions: FiniteNumbers(MAX_BASELINE_VALUES).optional(),
    predictionsF32: Float32Base64.optional(),
  })
  .superRefine(oneEncoding);
export type Baseline = z.infer<typeof Baseline>;

/** One window of one segment's predictions, compared against the model version's baseline. */
export const PredictionBatch = z
  .strictObject({
    ...windowedFields,
    predictions: FiniteNumbers(MAX_BATCH_VALUES).optional(),
    predictionsF32: Float32Base64.optional(),
  })
  .superRefine(oneEncoding);
export type PredictionBatch = z.infer<typeof PredictionBatch>;
