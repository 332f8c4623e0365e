/**
 * Every decoder on arbitrary input (fast-check): decodeMessage with each of the five contracts, decodeFloat32,
 * decodeBits, outcomePairs, upliftUnits and the CLI's messageData. Arbitrary input may be refused, but only with
 * an InvalidMessageError naming a field and a reason; what is accepted is what the contract promises (finite
 * floats, 0/1 flags, arrays that pair up).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { z } from 'zod';
import { messageData } from '../../cli/messageData.js';
import {
  Baseline,
  CampaignResults,
  decodeBits,
  decodeFloat32,
  decodeMessage,
  MAX_BATCH_VALUES,
  OutcomeBatch,
  outcomePairs,
  PredictionBatch,
  predictionValues,
  UpliftBatch,
  upliftUnits,
} from '../../shared/contracts/index.js';
import {
  baseline,
  campaignResults,
  outcomeBatch,
  predictionBatch,
  upliftBatch,
} from '../support/messages.js';
import { decodedOrRefused } from './support/outcome.js';

const RUNS = 300;

const small = <T extends Record<string, unknown>>(message: T, fields: Record<string, unknown>) => ({
  ...message,
  ...fields,
});

/** A valid message of each contract, small enough to mutate quickly. */
const CONTRACTS: { name: string; schema: z.ZodType; valid: Record<string, unknown> }[] = [
  { name: 'Baseline', schema: Baseline, valid: baseline() },
  {
    name: 'PredictionBatch',
    schema: PredictionBatch,
    valid: small(predictionBatch(), { predictions: [0.1, 0.2] }),
  },
  {
    name: 'OutcomeBatch',
    schema: OutcomeBatch,
    valid: small(outcomeBatch(), { predictions: [0.1, 0.9], outcomes: [0, 1] }),
  },
  { name: 'CampaignResults', schema: CampaignResults, valid: campaignResults() },
  {
    name: 'UpliftBatch',
    schema: UpliftBatch,
    valid: small(upliftBatch(), { uplift: [0.1, -0.1, 0.2], treatment: [1, 0, 1], outcomes: [1, 0, 0] }),
  },
];

/** Arbitrary JSON, with the keys hostile producers like best. */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '');
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.double(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A path into a valid message: a top-level field, or one inside segment / the first campaign. */
function pathsOf(message: Record<string, unknown>): string[][] {
  const paths: string[][] = Object.keys(message).map((key) => [key]);
  paths.push(['segment', 'market'], ['segment', '__proto__'], ['extra']);
  if (Array.isArray(message.campaigns)) {
    for (const key of [
      'campaignId',
      'predictedLift',
      'predictedLiftInterval',
      'treatment',
      'control',
      'segment',
    ])
      paths.push(['campaigns', '0', key]);
    paths.push(['campaigns', '0', 'treatment', 'units'], ['campaigns', '0', 'control', 'conversions']);
  }
  return paths;
}

/** The message with the value at `path` replaced (or removed, for undefined); __proto__ set as an own key. */
function mutate(message: Record<string, unknown>, path: string[], value: unknown): string {
  const copy = structuredClone(message) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete target[last];
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(copy);
}

/** Downstream decoding of an accepted message, as the functions do it; checks what it promises. */
function decodeValues(name: string, message: unknown): void {
  switch (name) {
    case 'Baseline':
    case 'PredictionBatch': {
      const values = decodedOrRefused(() =>
        predictionValues(message as PredictionBatch, MAX_BATCH_VALUES * 2),
      );
      if (values) assert.ok(values.every(Number.isFinite));
      return;
    }
    case 'OutcomeBatch': {
      const pairs = decodedOrRefused(() => outcomePairs(message as OutcomeBatch));
      if (!pairs) return;
      assert.equal(pairs.predictions.length, pairs.outcomes.length);
      assert.ok(pairs.predictions.every((p) => p >= 0 && p <= 1));
      assert.ok(pairs.outcomes.every((y) => y === 0 || y === 1));
      return;
    }
    case 'UpliftBatch': {
      const units = decodedOrRefused(() => upliftUnits(message as UpliftBatch));
      if (!units) return;
      assert.equal(units.treatment.length, units.uplift.length);
      assert.equal(units.outcomes.length, units.uplift.length);
      assert.ok(units.uplift.every(Number.isFinite));
      assert.ok(units.treatment.includes(0) && units.treatment.includes(1), 'both arms');
      assert.ok(units.outcomes.every((y) => y === 0 || y === 1));
      return;
    }
    default:
  }
}

describe('decodeMessage on arbitrary input, for each contract', () => {
  for (const { name, schema, valid } of CONTRACTS) {
    test(`${name}: arbitrary bytes are decoded or refused with a reason, never thrown otherwise`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
          decodedOrRefused(() => decodeMessage(schema, bytes));
        }),
        { numRuns: RUNS },
      );
    });

    test(`${name}: arbitrary JSON (hostile keys included) is decoded or refused with a reason`, () => {
      fc.assert(
        fc.property(json, (value) => {
          const decoded = decodedOrRefused(() => decodeMessage(schema, JSON.stringify(value) ?? 'null'));
          if (decoded !== undefined) decodeValues(name, decoded);
        }),
        { numRuns: RUNS },
      );
    });

    test(`${name}: a valid message with one field replaced is refused with a reason or still valid`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...pathsOf(valid)),
          fc.option(json, { nil: undefined }),
          (path, value) => {
            const decoded = decodedOrRefused(() => decodeMessage(schema, mutate(valid, path, value)));
            if (decoded === undefined) return;
            assert.ok(schema.safeParse(decoded).success, 'what is accepted satisfies the contract');
            assert.equal(Object.getPrototypeOf(decoded), Object.prototype, 'no prototype was replaced');
            assert.equal(({} as Record<string, unknown>).polluted, undefined);
            decodeValues(name, decoded);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});

describe('the compact encodings on arbitrary bytes', () => {
  const base64 = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64'));
  const anyString = fc.string({ unit: 'binary', maxLength: 64 });

  test('decodeFloat32 returns the finite float32 values of whole 4-byte groups, or refuses with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(base64, anyString), fc.integer({ min: 0, max: 20 }), (text, maxValues) => {
        const values = decodedOrRefused(() => decodeFloat32(text, 'predictionsF32', maxValues));
        if (values === undefined) return;
        const bytes = Buffer.from(text, 'base64');
        assert.equal(values.length * 4, bytes.length);
        assert.ok(values.length >= 1 && values.length <= maxValues);
        values.forEach((value, i) => {
          assert.ok(Number.isFinite(value));
          assert.equal(value, bytes.readFloatLE(i * 4));
        });
      }),
      { numRuns: 1_000 },
    );
  });

  test('decodeBits returns one 0/1 flag per byte, or refuses with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(base64, anyString), (text) => {
        const bits = decodedOrRefused(() => decodeBits(text, 'treatmentU8'));
        if (bits === undefined) return;
        assert.deepEqual(Array.from(bits), Array.from(Buffer.from(text, 'base64')));
        assert.ok(bits.every((bit) => bit === 0 || bit === 1));
      }),
      { numRuns: 1_000 },
    );
  });

  test('outcomePairs on compact encodings of arbitrary bytes: equal lengths, probabilities, 0/1, or a reason', () => {
    fc.assert(
      fc.property(base64, base64, (predictionsF32, outcomesU8) => {
        const message = decodedOrRefused(() =>
          decodeMessage(
            OutcomeBatch,
            JSON.stringify(
              small(outcomeBatch(), {
                predictions: undefined,
                outcomes: undefined,
                predictionsF32,
                outcomesU8,
              }),
            ),
          ),
        );
        if (message !== undefined) decodeValues('OutcomeBatch', message);
      }),
      { numRuns: 1_000 },
    );
  });

  test('upliftUnits on compact encodings of arbitrary bytes: pairs, both arms, 0/1, or a reason', () => {
    const flags = fc
      .array(fc.constantFrom(0, 1, 0, 1, 2), { minLength: 0, maxLength: 12 })
      .map((values) => Buffer.from(values).toString('base64'));
    fc.assert(
      fc.property(base64, flags, flags, (upliftF32, treatmentU8, outcomesU8) => {
        const message = decodedOrRefused(() =>
          decodeMessage(
            UpliftBatch,
            JSON.stringify(
              small(upliftBatch(), {
                uplift: undefined,
                treatment: undefined,
                outcomes: undefined,
                upliftF32,
                treatmentU8,
                outcomesU8,
              }),
            ),
          ),
        );
        if (message !== undefined) decodeValues('UpliftBatch', message);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("the CLI's messageData on arbitrary files", () => {
  test('returns the message data of one envelope, the file itself otherwise, or refuses several messages', () => {
    const envelope = fc.record(
      {
        message: fc.record(
          { data: fc.oneof(fc.base64String({ maxLength: 40 }), json) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
      json.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
      envelope.map((value) => Buffer.from(JSON.stringify(value))),
      fc.array(envelope, { maxLength: 3 }).map((value) => Buffer.from(JSON.stringify(value))),
    );
    fc.assert(
      fc.property(file, (contents) => {
        const data = decodedOrRefused(() => messageData(contents));
        if (data !== undefined) assert.ok(Buffer.isBuffer(data));
      }),
      { numRuns: 1_000 },
    );
  });

  test('an envelope gives back exactly the data that was published', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.boolean(), (bytes, pulled) => {
        const message = { message: { data: Buffer.from(bytes).toString('base64'), messageId: '1' } };
        const file = Buffer.from(JSON.stringify(pulled ? [{ ackId: 'a', ...message }] : message));
        assert.deepEqual(messageData(file), Buffer.from(bytes));
      }),
      { numRuns: RUNS },
    );
  });
});
