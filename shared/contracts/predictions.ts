/** Baseline and PredictionBatch: the drift monitor's two messages. */
import * as z from 'zod';
import { BinCounts } from './binCounts.js';
import {
  commonFields,
  exactlyOneEncoding,
  Float32Base64,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  PREDICTION,
  valueArray,
  windowedFields,
} from './common.js';

const oneEncoding = exactlyOneEncoding(['predictions', 'predictionsF32']);

/** The reference predictions a model version was validated on, registered once per (model, modelVersion). */
export const Baseline = z
  .strictObject({
    ...commonFields,
    predictions: valueArray(MAX_BASELINE_VALUES, PREDICTION).optional(),
    predictionsF32: Float32Base64.optional(),
  })
  .superRefine(oneEncoding);
export type Baseline = z.infer<typeof Baseline>;

/**
 * One window of one segment's predictions, compared against the model version's baseline: the values themselves
 * (`predictions`, `predictionsF32`) or their counts in the baseline's fine bins (`binCounts`, from any volume).
 */
export const PredictionBatch = z
  .strictObject({
    ...windowedFields,
    predictions: valueArray(MAX_BATCH_VALUES, PREDICTION).optional(),
    predictionsF32: Float32Base64.optional(),
    binCounts: BinCounts.optional(),
  })
  .superRefine(exactlyOneEncoding(['predictions', 'predictionsF32', 'binCounts']));
export type PredictionBatch = z.infer<typeof PredictionBatch>;
