/** Malformed CampaignResults and UpliftBatch messages every layer must refuse, with the field each names. */
import type { InvalidCase } from './invalidPredictionMessages.js';
import { campaignResults, json, upliftBatch } from './messages.js';

const campaign = (overrides: Record<string, unknown>) => ({
  campaignId: 'c1',
  predictedLift: 0.01,
  treatment: { units: 1000, conversions: 90 },
  control: { units: 500, conversions: 40 },
  ...overrides,
});
const campaigns = (...list: Record<string, unknown>[]) => json(campaignResults({ campaigns: list }));

export const invalidCampaignMessages: InvalidCase[] = [
  {
    name: 'conversions above units',
    data: campaigns(campaign({ treatment: { units: 10, conversions: 11 } })),
    field: 'campaigns[0].treatment.conversions',
    reason: /must not exceed units/,
  },
  {
    name: 'negative conversions',
    data: campaigns(campaign({ control: { units: 10, conversions: -1 } })),
    field: 'campaigns[0].control.conversions',
    reason: /must not be negative/,
  },
  {
    name: 'fractional units',
    data: campaigns(campaign({ control: { units: 10.5, conversions: 1 } })),
    field: 'campaigns[0].control.units',
    reason: /whole number/,
  },
  {
    name: 'zero units in an arm',
    data: campaigns(campaign({ control: { units: 0, conversions: 0 } })),
    field: 'campaigns[0].control.units',
    reason: /at least 1/,
  },
  {
    name: 'duplicate campaign IDs',
    data: campaigns(campaign({}), campaign({})),
    field: 'campaigns[1].campaignId',
    reason: /duplicates campaigns\[0\]\.campaignId/,
  },
  {
    name: 'a non-finite predicted lift',
    data: Buffer.from(
      JSON.stringify(campaignResults({ campaigns: [campaign({ predictedLift: 0 })] })).replace(
        '"predictedLift":0',
        '"predictedLift":1e999',
      ),
    ),
    field: 'campaigns[0].predictedLift',
    reason: /finite number/,
  },
  {
    name: 'a predicted lift above 1',
    data: campaigns(campaign({ predictedLift: 1.5 })),
    field: 'campaigns[0].predictedLift',
    reason: /in \[-1, 1\]/,
  },
  {
    name: 'a predicted lift given as a string',
    data: campaigns(campaign({ predictedLift: '0.01' })),
    field: 'campaigns[0].predictedLift',
    reason: /finite number/,
  },
  {
    name: 'an interval with lower above upper',
    data: campaigns(campaign({ predictedLiftInterval: { lower: 0.02, upper: 0.01 } })),
    field: 'campaigns[0].predictedLiftInterval.lower',
    reason: /lower must not exceed upper/,
  },
  {
    name: 'a campaign ID with a space',
    data: campaigns(campaign({ campaignId: 'summer sale' })),
    field: 'campaigns[0].campaignId',
    reason: /must match/,
  },
  { name: 'no campaigns', data: campaigns(), field: 'campaigns', reason: /must not be empty/ },
  ...plannedShareCases((share) => campaigns(campaign({ plannedTreatmentShare: share })), 'campaigns[0].'),
  {
    name: 'a missing control arm',
    data: campaigns(campaign({ control: undefined })),
    field: 'campaigns[0].control',
    reason: /expected object/,
  },
  {
    name: 'too many segment keys with the message segment',
    data: campaigns(campaign({ segment: { a: '1', b: '2', c: '3', d: '4' } })),
    field: 'campaigns[0].segment',
    reason: /more than 4 keys/,
  },
  {
    name: 'a bad model version (common field)',
    data: json(campaignResults({ modelVersion: 'v 1' })),
    field: 'modelVersion',
    reason: /must match/,
  },
];

export const invalidUpliftMessages: InvalidCase[] = [
  ...plannedShareCases((share) => json(upliftBatch({ plannedTreatmentShare: share })), ''),
  {
    name: 'unequal array lengths',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [0, 1, 1], outcomes: [0, 1] })),
    field: 'treatment',
    reason: /has 3 values but there are 2 uplift scores/,
  },
  {
    name: 'outcomes shorter than the scores',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [0, 1], outcomes: [0] })),
    field: 'outcomes',
    reason: /has 1 values but there are 2/,
  },
  {
    name: 'a treatment flag of 2',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [0, 2], outcomes: [0, 1] })),
    field: 'treatment[1]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'an outcome of -1',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [0, 1], outcomes: [-1, 1] })),
    field: 'outcomes[0]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'no treated units',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [0, 0], outcomes: [0, 1] })),
    field: 'treatment',
    reason: /no treated units/,
  },
  {
    name: 'no control units',
    data: json(upliftBatch({ uplift: [0.1, 0.2], treatment: [1, 1], outcomes: [0, 1] })),
    field: 'treatment',
    reason: /no control units/,
  },
  {
    name: 'a string uplift score',
    data: json(upliftBatch({ uplift: ['x', 0.2], treatment: [0, 1], outcomes: [0, 1] })),
    field: 'uplift[0]',
    reason: /finite number/,
  },
  {
    name: 'a treatmentU8 byte of 7',
    data: json(
      upliftBatch({
        uplift: [0.1, 0.2],
        treatment: undefined,
        treatmentU8: Buffer.from([0, 7]).toString('base64'),
        outcomes: [0, 1],
      }),
    ),
    field: 'treatmentU8[1]',
    reason: /must be 0 or 1/,
  },
  {
    name: 'empty arrays',
    data: json(upliftBatch({ uplift: [], treatment: [], outcomes: [] })),
    field: 'uplift',
    reason: /must not be empty/,
  },
  {
    name: 'an oversized batch',
    data: json(upliftBatch({ uplift: new Array(1_000_001).fill(0), treatment: [0], outcomes: [0] })),
    field: 'uplift',
    reason: /more than 1000000 values/,
  },
  {
    name: 'a bad segment value (common field)',
    data: json(upliftBatch({ segment: { market: 'se fr' } })),
    field: 'segment.market',
    reason: /segment values must match/,
  },
];

/** A planned treatment share of 0, 1, out of range, non-finite (1e999 parses to Infinity) or not a number. */
function plannedShareCases(message: (share: unknown) => Buffer, prefix: string): InvalidCase[] {
  const field = `${prefix}plannedTreatmentShare`;
  const reason = /must be a number in the open interval \(0, 1\)/;
  const infinite = Buffer.from(
    message(0.5).toString().replace('"plannedTreatmentShare":0.5', `"plannedTreatmentShare":1e999`),
  );
  return [
    { name: 'a planned treatment share of 0', data: message(0), field, reason },
    { name: 'a planned treatment share of 1', data: message(1), field, reason },
    { name: 'a planned treatment share above 1', data: message(1.5), field, reason },
    { name: 'a negative planned treatment share', data: message(-0.1), field, reason },
    { name: 'an infinite planned treatment share', data: infinite, field, reason },
    { name: 'a planned treatment share given as a string', data: message('0.9'), field, reason },
  ];
}
