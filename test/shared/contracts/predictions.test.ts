import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Baseline,
  decodeMessage,
  encodeFloat32,
  PredictionBatch,
  predictionValues,
} from '../../../shared/contracts/index.js';
import { InvalidMessageError } from '../../../shared/errors.js';
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

describe('refusals stay short', () => {
  test('a four-megabyte unknown field name is quoted in 200 characters', () => {
    const key = 'k'.repeat(4_000_000);
    try {
      decodeMessage(PredictionBatch, Buffer.from(JSON.stringify({ ...predictionBatch(), [key]: 1 })));
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof InvalidMessageError);
      assert.ok(error.message.length < 1000, `the refusal is ${error.message.length} characters`);
      assert.match(error.issues[0]!.path, /^k{200}… \(4000000 characters\)$/);
    }
  });

  test('a thousand broken fields are named up to 20 and counted', () => {
    const segmentless = { ...predictionBatch(), segment: undefined };
    const extra = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`field${i}`, i]));
    try {
      decodeMessage(PredictionBatch, Buffer.from(JSON.stringify({ ...segmentless, ...extra })));
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof InvalidMessageError);
      assert.equal(error.issues.length, 21);
      assert.deepEqual(error.issues.at(-1), { path: 'data', message: 'and 980 more issues' });
    }
  });
});
