import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Baseline,
  decodeMessage,
  encodeFloat32,
  PredictionBatch,
  predictionValues,
} from '../../../shared/contracts/index.js';
import { invalidPredictionMessages } from '../../support/invalidPredictionMessages.js';
import { baseline, json, predictionBatch } from '../../support/messages.js';
import { assertRefused } from '../../support/refusals.js';

describe('PredictionBatch contract', () => {
  test('accepts a valid batch and keeps its fields', () => {
    const message = decodeMessage(PredictionBatch, json(predictionBatch()));
    assert.equal(message.model, 'promo-lift');
    assert.deepEqual(message.segment, { market: 'se' });
    assert.equal(message.predictions?.length, 200);
  });

  test('accepts a batch without a segment and a windowEnd with an offset', () => {
    const message = decodeMessage(
      PredictionBatch,
      json(predictionBatch({ segment: undefined, windowEnd: '2026-11-26T16:00:00+01:00' })),
    );
    assert.equal(message.segment, undefined);
  });

  for (const invalid of invalidPredictionMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () => {
      const { data } = invalid;
      assertRefused(() => predictionValues(decodeMessage(PredictionBatch, data), 1_000_000), invalid);
    });
  }
});

describe('Baseline contract', () => {
  test('decodes predictionsF32 to the float32 values it carries', () => {
    const values = [0.125, -3.5, 1e-3];
    const message = decodeMessage(Baseline, json(baseline({ predictionsF32: encodeFloat32(values) })));
    assert.deepEqual(Array.from(predictionValues(message, 10)), values.map(Math.fround));
  });

  test('refuses a segment or windowEnd: a baseline belongs to a whole model version', () => {
    assert.throws(
      () => decodeMessage(Baseline, json(baseline({ segment: { market: 'se' } }))),
      /segment: is not a field/,
    );
    assert.throws(
      () => decodeMessage(Baseline, json(baseline({ windowEnd: '2026-11-26T15:00:00Z' }))),
      /windowEnd: is not a field/,
    );
  });

  test('refuses a baseline with neither encoding', () => {
    assert.throws(
      () => decodeMessage(Baseline, json(baseline({ predictionsF32: undefined }))),
      /one of predictions or predictionsF32 is required/,
    );
  });
});
