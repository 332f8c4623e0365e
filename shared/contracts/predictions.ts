/** Baseline and PredictionBatch: the drift monitor's two messages. */
import { z } from 'zod';
import {
  commonFields,
  exactlyOneEncoding,
  FiniteNumbers,
  Float32Base64,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  windowedFields,
} from './common.js';

const oneEncoding = exactlyOneEncoding(['predictions', 'predictionsF32']);

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
