/** CampaignResults and UpliftBatch: the lift monitors' messages. */
import * as z from 'zod';
import { InvalidMessageError } from '../errors.js';
import { BitsBase64, decodeBits } from './bits.js';
import {
  BIT,
  exactlyOneEncoding,
  Float32Base64,
  MAX_BATCH_VALUES,
  MAX_SEGMENT_KEYS,
  PREDICTION,
  Segment,
  valueArray,
  windowedFields,
} from './common.js';
import { decodeFloat32 } from './float32.js';

/** Most campaigns one CampaignResults message may carry. */
export const MAX_CAMPAIGNS = 100_000;

const Count = (what: string) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must not be negative`);

/** One arm of a campaign's randomised comparison. */
const Arm = z
  .strictObject({
    units: Count('units').min(1, 'units must be at least 1: an arm with no units has no conversion rate'),
    conversions: Count('conversions'),
  })
  .refine((arm) => arm.conversions <= arm.units, {
    message: 'conversions must not exceed units',
    path: ['conversions'],
  });

/** Lift is a difference of conversion rates, so it lies in [-1, 1]. */
const Lift = z
  .number({ error: 'must be a finite number in [-1, 1] (a difference of conversion rates)' })
  .min(-1, 'must be a finite number in [-1, 1] (a difference of conversion rates)')
  .max(1, 'must be a finite number in [-1, 1] (a difference of conversion rates)');

const PLANNED_SHARE =
  'must be a number in the open interval (0, 1): the share of units planned for treatment, e.g. 0.9 for a 10% holdout';

/**
 * The share of eligible units the randomisation assigns to treatment (0.9 for a 10% holdout): what the sample
 * ratio mismatch test checks the arms against. 0 and 1 leave no arm to compare, so they are refused.
 */
const PlannedTreatmentShare = z.number({ error: PLANNED_SHARE }).gt(0, PLANNED_SHARE).lt(1, PLANNED_SHARE);

const Campaign = z.strictObject({
  campaignId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must match ^[A-Za-z0-9._:-]{1,128}$'),
  segment: Segment.optional(),
  /** Predicted lift: treatment minus control conversion rate, as an absolute difference. */
  predictedLift: Lift,
  predictedLiftInterval: z
    .strictObject({ lower: Lift, upper: Lift })
    .refine((interval) => interval.lower <= interval.upper, {
      message: 'lower must not exceed upper',
      path: ['lower'],
    })
    .optional(),
  treatment: Arm,
  control: Arm,
  plannedTreatmentShare: PlannedTreatmentShare.optional(),
});
export type Campaign = z.infer<typeof Campaign>;

/** Matured campaigns with their randomised holdouts. `windowEnd` is when the results were finalised. */
export const CampaignResults = z
  .strictObject({
    ...windowedFields,
    campaigns: z
      .array(Campaign)
      .min(1, 'must not be empty')
      .max(MAX_CAMPAIGNS, `carries more than ${MAX_CAMPAIGNS} campaigns`),
  })
  .superRefine((message, context) => {
    const seen = new Map<string, number>();
    message.campaigns.forEach((campaign, index) => {
      const first = seen.get(campaign.campaignId);
      if (first !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['campaigns', index, 'campaignId'],
          message: `duplicates campaigns[${first}].campaignId ${JSON.stringify(campaign.campaignId)}`,
        });
      } else {
        seen.set(campaign.campaignId, index);
      }
      const keys = new Set([...Object.keys(message.segment ?? {}), ...Object.keys(campaign.segment ?? {})]);
      if (keys.size > MAX_SEGMENT_KEYS) {
        context.addIssue({
          code: 'custom',
          path: ['campaigns', index, 'segment'],
          message: `with the message's segment it has more than ${MAX_SEGMENT_KEYS} keys`,
        });
      }
    });
  });
export type CampaignResults = z.infer<typeof CampaignResults>;

/** Per-unit (listener) uplift scores with randomised treatment assignment and outcome. */
export const UpliftBatch = z
  .strictObject({
    ...windowedFields,
    uplift: valueArray(MAX_BATCH_VALUES, PREDICTION).optional(),
    upliftF32: Float32Base64.optional(),
    treatment: valueArray(MAX_BATCH_VALUES, BIT).optional(),
    treatmentU8: BitsBase64.optional(),
    outcomes: valueArray(MAX_BATCH_VALUES, BIT).optional(),
    outcomesU8: BitsBase64.optional(),
    plannedTreatmentShare: PlannedTreatmentShare.optional(),
  })
  .superRefine(
    exactlyOneEncoding(['uplift', 'upliftF32'], ['treatment', 'treatmentU8'], ['outcomes', 'outcomesU8']),
  );
export type UpliftBatch = z.infer<typeof UpliftBatch>;

/** The units of an UpliftBatch as typed arrays, checked for equal lengths and for both arms being present. */
export function upliftUnits(message: UpliftBatch): {
  uplift: Float64Array;
  treatment: Uint8Array;
  outcomes: Uint8Array;
} {
  const uplift =
    message.uplift !== undefined
      ? Float64Array.from(message.uplift)
      : decodeFloat32(message.upliftF32 ?? '', 'upliftF32', MAX_BATCH_VALUES);
  const treatment =
    message.treatment !== undefined
      ? Uint8Array.from(message.treatment)
      : decodeBits(message.treatmentU8 ?? '', 'treatmentU8');
  const outcomes =
    message.outcomes !== undefined
      ? Uint8Array.from(message.outcomes)
      : decodeBits(message.outcomesU8 ?? '', 'outcomesU8');
  for (const [field, array] of [
    [message.treatment !== undefined ? 'treatment' : 'treatmentU8', treatment],
    [message.outcomes !== undefined ? 'outcomes' : 'outcomesU8', outcomes],
  ] as const) {
    if (array.length !== uplift.length) {
      throw new InvalidMessageError([
        {
          path: field,
          message: `has ${array.length} values but there are ${uplift.length} uplift scores; they must pair up`,
        },
      ]);
    }
  }
  const treated = treatment.reduce((sum, value) => sum + value, 0);
  if (treated === 0 || treated === treatment.length) {
    throw new InvalidMessageError([
      {
        path: message.treatment !== undefined ? 'treatment' : 'treatmentU8',
        message: `has ${treated === 0 ? 'no treated' : 'no control'} units; uplift needs both arms`,
      },
    ]);
  }
  return { uplift, treatment, outcomes };
}
