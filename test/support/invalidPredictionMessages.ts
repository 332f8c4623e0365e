/**
 * The malformed PredictionBatch messages every layer must refuse (contracts, function, CLI), with the field
 * the refusal must name. Shared so that each layer is tested against the same list.
 */
import { MAX_MESSAGE_BYTES } from '../../shared/contracts/common.js';
import { json, predictionBatch, without } from './messages.js';

export interface InvalidCase {
  name: string;
  data: Buffer;
  field: string;
  reason: RegExp;
}

const f32 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

/** A well-formed binCounts field (its fingerprint names no registered baseline). */
export const binCounts = (overrides: Record<string, unknown> = {}) => ({
  binning: '0123456789abcdef',
  counts: [3, 4, 2],
  ...overrides,
});
const binned = (overrides: Record<string, unknown>) =>
  json(predictionBatch({ predictions: undefined, binCounts: binCounts(overrides) }));

export const invalidPredictionMessages: InvalidCase[] = [
  {
    name: 'invalid JSON',
    data: Buffer.from('{"schemaVersion": 1, "model": '),
    field: 'data',
    reason: /not valid JSON/,
  },
  { name: 'empty data', data: Buffer.alloc(0), field: 'data', reason: /empty/ },
  { name: 'a JSON array instead of an object', data: json([1, 2]), field: 'data', reason: /expected object/ },
  {
    name: 'missing schemaVersion',
    data: json(without(predictionBatch(), 'schemaVersion')),
    field: 'schemaVersion',
    reason: /required/,
  },
  {
    name: 'unknown schemaVersion',
    data: json(predictionBatch({ schemaVersion: 2 })),
    field: 'schemaVersion',
    reason: /unsupported schemaVersion 2/,
  },
  {
    name: 'an uppercase model name',
    data: json(predictionBatch({ model: 'PromoLift' })),
    field: 'model',
    reason: /must match/,
  },
  {
    name: 'a model name that is not a string',
    data: json(predictionBatch({ model: 42 })),
    field: 'model',
    reason: /string/,
  },
  {
    name: 'a model version with a space',
    data: json(predictionBatch({ modelVersion: 'v 3' })),
    field: 'modelVersion',
    reason: /must match/,
  },
  {
    name: 'a missing model version',
    data: json(without(predictionBatch(), 'modelVersion')),
    field: 'modelVersion',
    reason: /string/,
  },
  {
    name: 'a segment key with uppercase',
    data: json(predictionBatch({ segment: { Market: 'se' } })),
    field: 'segment.Market',
    reason: /segment keys must match/,
  },
  {
    name: 'a segment value with a quote',
    data: json(predictionBatch({ segment: { market: 'se"' } })),
    field: 'segment.market',
    reason: /segment values must match/,
  },
  {
    name: 'a segment value with a newline',
    data: json(predictionBatch({ segment: { market: 'se\nfr' } })),
    field: 'segment.market',
    reason: /segment values must match/,
  },
  {
    name: 'more than 4 segment keys',
    data: json(predictionBatch({ segment: { a: '1', b: '2', c: '3', d: '4', e: '5' } })),
    field: 'segment',
    reason: /more than 4 keys/,
  },
  {
    name: 'a segment that is an array',
    data: json(predictionBatch({ segment: ['se'] })),
    field: 'segment',
    reason: /expected record|expected object/,
  },
  {
    name: 'a __proto__ segment key',
    data: Buffer.from(
      JSON.stringify(predictionBatch({ segment: {} })).replace('"segment":{}', '"segment":{"__proto__":"x"}'),
    ),
    field: 'segment',
    reason: /segment keys must match/,
  },
  {
    name: 'a windowEnd that is not RFC 3339',
    data: json(predictionBatch({ windowEnd: '26/11/2026 15:00' })),
    field: 'windowEnd',
    reason: /RFC 3339/,
  },
  {
    name: 'a windowEnd without an offset',
    data: json(predictionBatch({ windowEnd: '2026-11-26T15:00:00' })),
    field: 'windowEnd',
    reason: /RFC 3339/,
  },
  {
    name: 'a string among the predictions',
    data: json(predictionBatch({ predictions: [0.1, '0.2'] })),
    field: 'predictions[1]',
    reason: /finite number/,
  },
  {
    name: 'a null among the predictions',
    data: json(predictionBatch({ predictions: [0.1, null] })),
    field: 'predictions[1]',
    reason: /finite number/,
  },
  {
    name: 'NaN spelled as a string',
    data: json(predictionBatch({ predictions: ['NaN'] })),
    field: 'predictions[0]',
    reason: /finite number/,
  },
  {
    name: 'an overflowing number (1e999 parses to Infinity)',
    data: Buffer.from(
      JSON.stringify(predictionBatch({ predictions: [0] })).replace(
        '"predictions":[0]',
        '"predictions":[1e999]',
      ),
    ),
    field: 'predictions[0]',
    reason: /finite number/,
  },
  {
    name: 'a prediction beyond ±1e9',
    data: json(predictionBatch({ predictions: [0.1, 2e9] })),
    field: 'predictions[1]',
    reason: /within ±1000000000/,
  },
  {
    name: 'fifty nulls, of which only the first ten are named',
    data: json(predictionBatch({ predictions: new Array(50).fill(null) })),
    field: 'predictions',
    reason: /has 50 invalid values .*the first 10 are listed/,
  },
  {
    name: 'a float32 prediction beyond ±1e9',
    data: json(
      predictionBatch({
        predictions: undefined,
        predictionsF32: Buffer.from(new Float32Array([3e9]).buffer).toString('base64'),
      }),
    ),
    field: 'predictionsF32[0]',
    reason: /beyond ±1000000000/,
  },
  {
    name: 'empty predictions',
    data: json(predictionBatch({ predictions: [] })),
    field: 'predictions',
    reason: /must not be empty/,
  },
  {
    name: 'neither predictions, predictionsF32 nor binCounts',
    data: json(without(predictionBatch(), 'predictions')),
    field: 'predictions',
    reason: /one of predictions, predictionsF32 or binCounts is required/,
  },
  {
    name: 'both predictions and predictionsF32',
    data: json(predictionBatch({ predictionsF32: f32([0, 0, 128, 63]) })),
    field: 'predictions',
    reason: /carry only one of predictions, predictionsF32 or binCounts/,
  },
  {
    name: 'both predictions and binCounts',
    data: json(predictionBatch({ binCounts: binCounts() })),
    field: 'predictions',
    reason: /carry only one of predictions, predictionsF32 or binCounts/,
  },
  {
    name: 'a binning that is not a fingerprint',
    data: binned({ binning: '9018CE3549ADFF3F' }),
    field: 'binCounts.binning',
    reason: /16 lowercase hex digits/,
  },
  {
    name: 'a missing binning',
    data: binned({ binning: undefined }),
    field: 'binCounts.binning',
    reason: /string/,
  },
  {
    name: 'a negative bin count',
    data: binned({ counts: [3, -1, 2] }),
    field: 'binCounts.counts[1]',
    reason: /non-negative integer count/,
  },
  {
    name: 'a fractional bin count',
    data: binned({ counts: [3, 1.5, 2] }),
    field: 'binCounts.counts[1]',
    reason: /non-negative integer count/,
  },
  {
    name: 'a bin count beyond 2^53 - 1',
    data: binned({ counts: [3, 2 ** 53, 2] }),
    field: 'binCounts.counts[1]',
    reason: /non-negative integer count/,
  },
  {
    name: 'bin counts that are all zero',
    data: binned({ counts: [0, 0, 0] }),
    field: 'binCounts.counts',
    reason: /at least one value/,
  },
  {
    name: 'bin counts totalling more than 2^53 - 1',
    data: binned({ counts: [Number.MAX_SAFE_INTEGER, 1] }),
    field: 'binCounts.counts',
    reason: /more than 2\^53 - 1 values/,
  },
  {
    name: 'more than 1000 bin counts',
    data: binned({ counts: new Array(1001).fill(1) }),
    field: 'binCounts.counts',
    reason: /more than 1000 counts/,
  },
  {
    name: 'empty bin counts',
    data: binned({ counts: [] }),
    field: 'binCounts.counts',
    reason: /must not be empty/,
  },
  {
    name: 'bin counts carrying their edges (not a field)',
    data: binned({ edges: [0.1, 0.2] }),
    field: 'binCounts.edges',
    reason: /not a field/,
  },
  {
    name: 'base64 that is not a whole number of float32s',
    data: json(predictionBatch({ predictions: undefined, predictionsF32: f32([0, 0, 128, 63, 1, 2]) })),
    field: 'predictionsF32',
    reason: /not a whole number of float32/,
  },
  {
    name: 'base64 that decodes to a NaN float32',
    data: json(
      predictionBatch({ predictions: undefined, predictionsF32: f32([0, 0, 128, 63, 0, 0, 192, 127]) }),
    ),
    field: 'predictionsF32[1]',
    reason: /NaN/,
  },
  {
    name: 'base64 that decodes to an infinite float32',
    data: json(predictionBatch({ predictions: undefined, predictionsF32: f32([0, 0, 128, 127]) })),
    field: 'predictionsF32[0]',
    reason: /Infinity/,
  },
  {
    name: 'predictionsF32 that is not base64',
    data: json(predictionBatch({ predictions: undefined, predictionsF32: '!!!' })),
    field: 'predictionsF32',
    reason: /base64/,
  },
  {
    name: 'an unknown field (a typo)',
    data: json(predictionBatch({ segmnet: { market: 'se' } })),
    field: 'segmnet',
    reason: /not a field/,
  },
  {
    name: 'a batch over the 10 MB message limit',
    data: Buffer.from(
      JSON.stringify(predictionBatch({ predictions: [0] })).replace(
        '"predictions":[0]',
        `"predictions":[${'0.1,'.repeat(MAX_MESSAGE_BYTES / 4)}0.1]`,
      ),
    ),
    field: 'data',
    reason: /over the 10000000-byte limit/,
  },
  {
    name: 'a batch over the 1,000,000-value limit',
    data: json(predictionBatch({ predictions: new Array(1_000_001).fill(0) })),
    field: 'predictions',
    reason: /more than 1000000 values/,
  },
];
