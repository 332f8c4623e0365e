/**
 * What liftwatch does at the edges a producer in another language meets, stated exactly for the README:
 * base64 padding, RFC 3339 spellings and precision, duplicate keys, and the NaN Python's json.dumps writes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeMessage,
  encodeFloat32,
  MAX_BATCH_VALUES,
  PredictionBatch,
  predictionValues,
} from '../../../shared/contracts/index.js';
import { windowIdentity } from '../../../shared/monitors/window.js';

const common = { schemaVersion: 1, model: 'm', modelVersion: 'v1', windowEnd: '2026-11-26T15:00:00Z' };
const values = (text: string) =>
  Array.from(predictionValues(decodeMessage(PredictionBatch, text), MAX_BATCH_VALUES));
const f32 = (predictionsF32: string) => values(JSON.stringify({ ...common, predictionsF32 }));

describe('base64', () => {
  const padded = encodeFloat32([0.5, 0.25]);
  test('padding is optional and ignored: unpadded and over-padded texts decode alike', () => {
    assert.equal(padded, 'AAAAPwAAgD4=');
    for (const text of [padded, 'AAAAPwAAgD4', 'AAAAPwAAgD4==']) assert.deepEqual(f32(text), [0.5, 0.25]);
  });
  test('n characters decode to floor(3n / 4) bytes: a last character that completes no byte is dropped', () => {
    assert.deepEqual(f32('A'.repeat(17)), [0, 0, 0]);
    assert.throws(() => f32('A'.repeat(7)), /decodes to 5 bytes, not a whole number of float32 values/);
  });
});

describe('windowEnd', () => {
  const at = (windowEnd: string) =>
    decodeMessage(PredictionBatch, JSON.stringify({ ...common, windowEnd, predictions: [0.5] }));
  test('refuses a lowercase t or z', () => {
    for (const windowEnd of ['2026-11-26t15:00:00Z', '2026-11-26T15:00:00z'])
      assert.throws(() => at(windowEnd), /RFC 3339/);
  });
  test('accepts any number of fractional digits, and the window ends at the millisecond below', () => {
    const message = at('2026-11-26T15:00:00.123999999+01:00');
    const { endTime } = windowIdentity({ annotate: () => {} } as never, message, { projectId: 'p' } as never);
    assert.equal(endTime.toISOString(), '2026-11-26T14:00:00.123Z');
  });
});

describe('JSON', () => {
  test('a duplicate key takes its last value, as in Python', () => {
    const text = (first: string, last: string) =>
      `{"model":"${first}","schemaVersion":1,"modelVersion":"v1","windowEnd":"2026-11-26T15:00:00Z","predictions":[0.5],"model":"${last}"}`;
    assert.equal(decodeMessage(PredictionBatch, text('Bad Name', 'm')).model, 'm');
    assert.throws(() => decodeMessage(PredictionBatch, text('m', 'Bad Name')), /model: must match/);
  });
  test("refuses the NaN and Infinity Python's json.dumps writes without allow_nan=False, as not JSON", () => {
    for (const raw of ['NaN', 'Infinity', '-Infinity']) {
      const text = JSON.stringify({ ...common, predictions: [0] }).replace('[0]', `[${raw}]`);
      assert.throws(() => values(text), /data: is not valid JSON/);
    }
  });
  test('reads 1.0 as 1 (schemaVersion 1.0 is version 1) and 1e999 as an infinite number it refuses', () => {
    assert.equal(
      decodeMessage(
        PredictionBatch,
        JSON.stringify(common).replace(':1,', ':1.0,').replace('}', ',"predictions":[0.5]}'),
      ).schemaVersion,
      1,
    );
    assert.throws(
      () => values(JSON.stringify({ ...common, predictions: [0] }).replace('[0]', '[1e999]')),
      /predictions\[0\]: must be a finite number/,
    );
  });
});
