import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { messageData } from '../../cli/messageData.js';
import { decodeMessage, PredictionBatch } from '../../shared/contracts/index.js';
import { InvalidMessageError } from '../../shared/errors.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { baseline, json, predictionBatch } from '../support/messages.js';

const folder = messageFolder();
after(() => folder.cleanup());

const inner = json(predictionBatch({ predictions: [0.1, 0.2] }));
const data = inner.toString('base64');

describe('messageData', () => {
  test('unwraps a push body and a one-message gcloud pull, with all their fields', () => {
    for (const envelope of [
      { message: { data }, subscription: 'projects/p/subscriptions/s' },
      {
        message: {
          data,
          attributes: {},
          messageId: '7',
          message_id: '7',
          publishTime: 't',
          publish_time: 't',
        },
      },
      [{ ackId: 'x', message: { data, messageId: '7', orderingKey: 'k' }, deliveryAttempt: 2 }],
    ]) {
      assert.deepEqual(messageData(json(envelope)), inner, JSON.stringify(envelope));
    }
  });

  test('reads anything not shaped like a whole envelope as the message itself', () => {
    for (const text of [
      { ...predictionBatch(), message: { data } },
      { message: { data }, schemaVersion: 1 },
      { message: { data, predictions: [0.1] } },
      { message: { data: 7 } },
      [{ message: { data } }, { schemaVersion: 1 }],
      [],
    ]) {
      const file = json(text);
      assert.equal(messageData(file), file, JSON.stringify(text));
    }
  });

  test('refuses a file of several pulled messages', () => {
    const pulled = json([
      { ackId: 'a', message: { data } },
      { ackId: 'b', message: { data } },
    ]);
    assert.throws(() => messageData(pulled), /the file holds 2 Pub\/Sub messages/);
  });
});

test('liftwatch refuses a message with an extra message field, as the function does, instead of reading it as an envelope', async () => {
  const message = json({ ...predictionBatch(), message: { data } });
  assert.throws(() => decodeMessage(PredictionBatch, message), InvalidMessageError);
  const batch = folder.file(message);
  const result = await liftwatch('drift', '--baseline', folder.file(baseline()), '--batch', batch);
  assert.equal(result.code, 65, result.stdout);
  assert.equal(result.stderr, `liftwatch drift: ${batch}: message: is not a field of this message\n`);
});
