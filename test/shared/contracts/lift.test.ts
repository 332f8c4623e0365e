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

  test('accepts a planned treatment share strictly between 0 and 1', () => {
    for (const share of [0.001, 0.5, 0.9, 0.999]) {
      const message = decodeMessage(
        CampaignResults,
        json(
          campaignResults({
            campaigns: [
              {
                campaignId: 'c1',
                predictedLift: 0.01,
                treatment: { units: 900, conversions: 90 },
                control: { units: 100, conversions: 8 },
                plannedTreatmentShare: share,
              },
            ],
          }),
        ),
      );
      assert.equal(message.campaigns[0]?.plannedTreatmentShare, share);
    }
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

  test('accepts a planned treatment share strictly between 0 and 1', () => {
    const message = decodeMessage(UpliftBatch, json(upliftBatch({ plannedTreatmentShare: 0.9 })));
    assert.equal(message.plannedTreatmentShare, 0.9);
  });

  for (const invalid of invalidUpliftMessages) {
    test(`refuses ${invalid.name}, naming ${invalid.field}`, () =>
      assertRefused(() => upliftUnits(decodeMessage(UpliftBatch, invalid.data)), invalid));
  }
});
