import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeMessage, encodeFloat32, OutcomeBatch, outcomePairs } from '../../../shared/contracts/index.js';
import { invalidOutcomeMessages } from '../../support/invalidOutcomeMessages.js';
import { json, outcomeBatch } from '../../support/messages.js';
import { assertRefused } from '../../support/refusals.js';

describe('OutcomeBatch contract', () => {
  test('accepts JSON pairs and returns them as typed arrays', () => {
    const { predictions, outcomes } = outcomePairs(
      decodeMessage(OutcomeBatch, json(outcomeBatch({ predictions: [0, 0.5, 1], outcomes: [0, 1, 1] }))),
    );
    assert.deepEqual(Array.from(predictions), [0, 0.5, 1]);
    assert.deepEqual(Array.from(outcomes), [0, 1, 1]);
  });

  test('accepts the compact encodings and decodes them to the same pairs', () => {
    const message = outcomeBatch({
      predictions: undefined,
      predictionsF32: encodeFloat32([0.25, 0.75]),
      outcomes: undefined,
      outcomesU8: Buffer.from([1, 0]).toString('base64'),
    });
    const { predictions, outcomes } = outcomePairs(decodeMessage(OutcomeBatch, json(message)));
    assert.deepEqual(Array.from(predictions), [0.25, 0.75]);
    assert.deepEqual(Array.from(outcomes), [1, 0]);
  });

  for (const invalid of invalidOutcomeMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () => {
      const { data } = invalid;
      assertRefused(() => outcomePairs(decodeMessage(OutcomeBatch, data)), invalid);
    });
  }
});
