import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CampaignResults,
  decodeMessage,
  encodeFloat32,
  UpliftBatch,
  upliftUnits,
} from '../../../shared/contracts/index.js';
import { invalidCampaignMessages, invalidUpliftMessages } from '../../support/invalidLiftMessages.js';
import { campaignResults, json, upliftBatch } from '../../support/messages.js';
import { assertRefused } from '../../support/refusals.js';

describe('CampaignResults contract', () => {
  test('accepts campaigns with and without predicted intervals and segments', () => {
    const message = decodeMessage(CampaignResults, json(campaignResults()));
    assert.equal(message.campaigns.length, 8);
  });

  for (const invalid of invalidCampaignMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () =>
      assertRefused(() => decodeMessage(CampaignResults, invalid.data), invalid));
  }
});

describe('UpliftBatch contract', () => {
  test('accepts JSON arrays and the compact encodings alike', () => {
    const plain = upliftUnits(
      decodeMessage(
        UpliftBatch,
        json(upliftBatch({ uplift: [0.5, -0.25], treatment: [1, 0], outcomes: [1, 0] })),
      ),
    );
    const compact = upliftUnits(
      decodeMessage(
        UpliftBatch,
        json(
          upliftBatch({
            uplift: undefined,
            upliftF32: encodeFloat32([0.5, -0.25]),
            treatment: undefined,
            treatmentU8: Buffer.from([1, 0]).toString('base64'),
            outcomes: undefined,
            outcomesU8: Buffer.from([1, 0]).toString('base64'),
          }),
        ),
      ),
    );
    assert.deepEqual(compact, plain);
  });

  for (const invalid of invalidUpliftMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () =>
      assertRefused(() => upliftUnits(decodeMessage(UpliftBatch, invalid.data)), invalid));
  }
});
