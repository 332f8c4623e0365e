/** The malformed OutcomeBatch messages every layer must refuse, beyond the common-field cases of PredictionBatch. */
import { encodeFloat32 } from '../../shared/contracts/float32.js';
import type { InvalidCase } from './invalidPredictionMessages.js';
import { json, outcomeBatch, without } from './messages.js';

const u8 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

export const invalidOutcomeMessages: InvalidCase[] = [
  {
    name: 'outcomes shorter than predictions',
    data: json(outcomeBatch({ predictions: [0.1, 0.2, 0.3], outcomes: [0, 1] })),
    field: 'outcomes',
    reason: /has 2 outcomes but there are 3 predictions/,
  },
  {
    name: 'a probability above 1',
    data: json(outcomeBatch({ predictions: [0.1, 1.2], outcomes: [0, 1] })),
    field: 'predictions[1]',
    reason: /probability in \[0, 1\]/,
  },
  {
    name: 'a negative probability',
    data: json(outcomeBatch({ predictions: [-0.1], outcomes: [0] })),
    field: 'predictions[0]',
    reason: /probability in \[0, 1\]/,
  },
  {
    name: 'a probability that is a string',
    data: json(outcomeBatch({ predictions: ['0.1'], outcomes: [0] })),
    field: 'predictions[0]',
    reason: /probability in \[0, 1\]/,
  },
  {
    name: 'an outcome of 2',
    data: json(outcomeBatch({ predictions: [0.1, 0.2], outcomes: [0, 2] })),
    field: 'outcomes[1]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'an outcome of true',
    data: json(outcomeBatch({ predictions: [0.1], outcomes: [true] })),
    field: 'outcomes[0]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'an outcome of 0.5',
    data: json(outcomeBatch({ predictions: [0.1], outcomes: [0.5] })),
    field: 'outcomes[0]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'empty arrays',
    data: json(outcomeBatch({ predictions: [], outcomes: [] })),
    field: 'predictions',
    reason: /must not be empty/,
  },
  {
    name: 'no outcomes at all',
    data: json(without(outcomeBatch(), 'outcomes')),
    field: 'outcomes',
    reason: /one of outcomes or outcomesU8 is required/,
  },
  {
    name: 'both outcome encodings',
    data: json(outcomeBatch({ outcomesU8: u8([1]) })),
    field: 'outcomes',
    reason: /not both/,
  },
  {
    name: 'a float32 probability above 1',
    data: json(
      outcomeBatch({ predictions: undefined, predictionsF32: encodeFloat32([0.5, 1.5]), outcomes: [0, 1] }),
    ),
    field: 'predictionsF32[1]',
    reason: /not a probability/,
  },
  {
    name: 'a float32 NaN probability',
    data: json(
      outcomeBatch({
        predictions: undefined,
        predictionsF32: Buffer.from([0, 0, 192, 127]).toString('base64'),
        outcomes: [0],
      }),
    ),
    field: 'predictionsF32[0]',
    reason: /NaN/,
  },
  {
    name: 'an outcomesU8 byte of 2',
    data: json(outcomeBatch({ predictions: [0.1, 0.2], outcomes: undefined, outcomesU8: u8([0, 2]) })),
    field: 'outcomesU8[1]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'outcomesU8 of the wrong length',
    data: json(outcomeBatch({ predictions: [0.1, 0.2], outcomes: undefined, outcomesU8: u8([0]) })),
    field: 'outcomesU8',
    reason: /has 1 outcomes but there are 2 predictions/,
  },
  {
    name: 'an oversized batch',
    data: json(outcomeBatch({ predictions: new Array(1_000_001).fill(0.1), outcomes: [0] })),
    field: 'predictions',
    reason: /more than 1000000 values/,
  },
  {
    name: 'a bad model name (common field)',
    data: json(outcomeBatch({ model: 'Promo' })),
    field: 'model',
    reason: /must match/,
  },
  {
    name: 'a missing windowEnd (common field)',
    data: json(without(outcomeBatch(), 'windowEnd')),
    field: 'windowEnd',
    reason: /RFC 3339|expected string/,
  },
  {
    name: 'more than 4 segment keys (common field)',
    data: json(outcomeBatch({ segment: { a: '1', b: '2', c: '3', d: '4', e: '5' } })),
    field: 'segment',
    reason: /more than 4 keys/,
  },
];
