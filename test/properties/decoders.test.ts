/**
 * Every decoder on arbitrary input (fast-check): decodeMessage with each of the seven contracts, decodeFloat32,
 * decodeFloat32WithMissing, decodeBits, decodeUint16Codes, outcomePairs, upliftUnits, decodeFeatureColumns and the
 * CLI's messageData. Arbitrary input may be refused, but only with
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
  columnRows,
  decodeBits,
  decodeFeatureColumns,
  decodeFloat32,
  decodeFloat32WithMissing,
  decodeMessage,
  decodeUint16Codes,
  FeatureBaseline,
  FeatureBatch,
  isCounted,
  MAX_BASELINE_VALUES,
  MAX_BATCH_VALUES,
  OutcomeBatch,
  outcomePairs,
  PredictionBatch,
  predictionValues,
  UpliftBatch,
  upliftUnits,
} from '../../shared/contracts/index.js';
import {
  featureBaseline,
  featureBatch,
  float32Base64,
  uint16Base64,
  valueColumns,
} from '../support/featureMessages.js';
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
  { name: 'FeatureBaseline', schema: FeatureBaseline, valid: featureBaseline() },
  { name: 'FeatureBatch', schema: FeatureBatch, valid: featureBatch() },
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
  if (typeof message.features === 'object' && message.features !== null) {
    for (const [name, column] of Object.entries(message.features)) {
      paths.push(['features', name]);
      for (const key of [...Object.keys(column as object), 'categories', 'codes', 'importance', 'valuesF32'])
        paths.push(['features', name, key]);
    }
    paths.push(['features', '__proto__'], ['features', 'constructor'], ['features', 'device', '__proto__']);
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
    case 'FeatureBaseline':
    case 'FeatureBatch': {
      const features = decodedOrRefused(() =>
        decodeFeatureColumns(message as FeatureBatch, MAX_BASELINE_VALUES),
      );
      if (!features) return;
      const rows = features.map(({ column }) => columnRows(column));
      assert.ok(
        rows.every((count) => count === rows[0] && count >= 1),
        'one row count',
      );
      for (const { column } of features) {
        if (isCounted(column)) continue; // counts: their rules are the contract's, checked above by the row count
        if (column.kind === 'numeric') {
          assert.ok(column.values.every((value) => Number.isNaN(value) || Math.abs(value) <= 1e9));
        } else {
          assert.equal(new Set(column.categories).size, column.categories.length);
          assert.ok(column.codes.every((code) => code >= -1 && code < column.categories.length));
        }
      }
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

  test('decodeFloat32WithMissing keeps every NaN as missing, refuses infinities, or refuses with a reason', () => {
    // Bytes that are often NaN (0x7f/0xff exponent bytes) or infinite.
    const words = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.constantFrom(0x7fc00000, 0xffffffff, 0x7f800001, 0x7f800000),
        ),
        { maxLength: 12 },
      )
      .map((list) => {
        const bytes = Buffer.alloc(list.length * 4);
        list.forEach((word, i) => {
          bytes.writeUInt32LE(word, i * 4);
        });
        return bytes.toString('base64');
      });
    fc.assert(
      fc.property(fc.oneof(base64, words, anyString), (text) => {
        const values = decodedOrRefused(() => decodeFloat32WithMissing(text, 'features.x.valuesF32', 20));
        if (values === undefined) return;
        const bytes = Buffer.from(text, 'base64');
        assert.equal(values.length * 4, bytes.length);
        values.forEach((value, i) => {
          const float = bytes.readFloatLE(i * 4);
          if (Number.isNaN(float)) assert.ok(Number.isNaN(value));
          else assert.ok(value === float && Math.abs(value) <= 1e9);
        });
      }),
      { numRuns: 1_000 },
    );
  });

  test('decodeUint16Codes returns each code or -1 for 65535, below the category count, or refuses with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(base64, anyString), fc.integer({ min: 1, max: 70_000 }), (text, categories) => {
        const codes = decodedOrRefused(() => decodeUint16Codes(text, 'features.x.codesU16', 20, categories));
        if (codes === undefined) return;
        const bytes = Buffer.from(text, 'base64');
        assert.equal(codes.length * 2, bytes.length);
        codes.forEach((code, i) => {
          const raw = bytes.readUInt16LE(i * 2);
          assert.equal(code, raw === 65535 ? -1 : raw);
          assert.ok(code < categories);
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

describe('feature columns round trip through the numpy layouts', () => {
  const category = fc.stringMatching(/^[A-Za-z0-9_.:/+-]{1,12}$/);
  const numeric = fc.array(
    fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { nil: null, freq: 4 }),
    { minLength: 1, maxLength: 40 },
  );

  test('numeric values, as JSON and as float32 with NaN for missing, decode to the values (float32-rounded)', () => {
    fc.assert(
      fc.property(numeric, (values) => {
        const message = featureBatch({
          features: {
            json: { kind: 'numeric', values },
            f32: { kind: 'numeric', valuesF32: float32Base64(values) },
          },
        });
        const [json, f32] = valueColumns(
          decodeFeatureColumns(decodeMessage(FeatureBatch, JSON.stringify(message)), MAX_BATCH_VALUES),
        );
        assert.ok(json?.column.kind === 'numeric' && f32?.column.kind === 'numeric');
        assert.deepEqual(
          Array.from(json.column.values),
          // JSON writes -0 as 0.
          values.map((value) => (value === null ? Number.NaN : value + 0)),
        );
        assert.deepEqual(
          Array.from(f32.column.values),
          values.map((value) => (value === null ? Number.NaN : Math.fround(value))),
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('categorical values, codes and codesU16 of the same column decode to the same strings', () => {
    const column = fc.uniqueArray(category, { minLength: 1, maxLength: 8 }).chain((categories) =>
      fc.record({
        categories: fc.constant(categories),
        codes: fc.array(fc.integer({ min: -1, max: categories.length - 1 }), { minLength: 1, maxLength: 40 }),
      }),
    );
    fc.assert(
      fc.property(column, ({ categories, codes }) => {
        const strings = codes.map((code) => (code === -1 ? null : categories[code]!));
        const message = featureBatch({
          features: {
            strings: { kind: 'categorical', values: strings },
            codes: { kind: 'categorical', categories, codes },
            u16: { kind: 'categorical', categories, codesU16: uint16Base64(codes) },
          },
        });
        const decoded = valueColumns(
          decodeFeatureColumns(decodeMessage(FeatureBatch, JSON.stringify(message)), MAX_BATCH_VALUES),
        );
        for (const { column: decodedColumn } of decoded) {
          assert.ok(decodedColumn.kind === 'categorical');
          const back = Array.from(decodedColumn.codes, (code) =>
            code === -1 ? null : decodedColumn.categories[code],
          );
          assert.deepEqual(back, strings);
        }
        const firstSeen = [...new Set(strings.filter((value) => value !== null))];
        assert.ok(decoded[0]?.column.kind === 'categorical');
        assert.deepEqual(decoded[0].column.categories, firstSeen);
        assert.ok(decoded[2]?.column.kind === 'categorical');
        assert.deepEqual(Array.from(decoded[2].column.codes), codes);
      }),
      { numRuns: RUNS },
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
