/**
 * The message data in a file: the data itself, or a Pub/Sub envelope around it (a push body
 * {"message": {"data": "<base64>"}}, or the array 'gcloud pubsub subscriptions pull --format=json' prints,
 * holding exactly one message). An envelope is recognised by its whole shape, never by a `message` field alone:
 * a liftwatch message with an extra `message` field is that message, refused as the function refuses it.
 */
import { InvalidMessageError } from '../shared/errors.js';

/** The fields of a push body (https://cloud.google.com/pubsub/docs/push#receive_push). */
const PUSH_FIELDS = new Set(['message', 'subscription', 'deliveryAttempt']);
/** The fields of a pulled message as gcloud prints it (ReceivedMessage). */
const PULLED_FIELDS = new Set(['ackId', 'message', 'deliveryAttempt']);
/** The fields of a PubsubMessage, in the JSON of the push body and of gcloud. */
const MESSAGE_FIELDS = new Set([
  'data',
  'attributes',
  'messageId',
  'message_id',
  'publishTime',
  'publish_time',
  'orderingKey',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The base64 data of an envelope of the given fields, or undefined when the value is not one. */
function envelopeData(value: unknown, fields: Set<string>): string | undefined {
  if (!isObject(value) || !Object.keys(value).every((key) => fields.has(key))) return undefined;
  const { message } = value;
  if (!isObject(message) || !Object.keys(message).every((key) => MESSAGE_FIELDS.has(key))) return undefined;
  return typeof message.data === 'string' ? message.data : undefined;
}

export function messageData(file: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString('utf8'));
  } catch {
    return file; // not JSON at all: decodeMessage reports it as the message's own error
  }
  if (!Array.isArray(parsed)) {
    const data = envelopeData(parsed, PUSH_FIELDS);
    return data === undefined ? file : Buffer.from(data, 'base64');
  }
  const data = parsed.map((item) => envelopeData(item, PULLED_FIELDS));
  if (parsed.length === 0 || data.some((item) => item === undefined)) return file;
  if (data.length !== 1) {
    throw new InvalidMessageError([
      { path: 'data', message: `the file holds ${data.length} Pub/Sub messages; pass one message per file` },
    ]);
  }
  return Buffer.from(data[0]!, 'base64');
}
