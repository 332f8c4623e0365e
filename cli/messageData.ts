/**
 * The message data in a file: the data itself, or a Pub/Sub envelope around it (a push body
 * {"message": {"data": "<base64>"}}, or the array 'gcloud pubsub subscriptions pull --format=json' prints,
 * holding exactly one message).
 */
import { InvalidMessageError } from '../shared/errors.js';

export function messageData(file: Buffer): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString('utf8'));
  } catch {
    return file; // not JSON at all: decodeMessage reports it as the message's own error
  }
  const envelopes = Array.isArray(parsed) ? parsed : [parsed];
  const data = envelopes.map(
    (envelope) => (envelope as { message?: { data?: unknown } } | null)?.message?.data,
  );
  if (!data.some((item) => typeof item === 'string')) return file;
  if (data.length !== 1 || typeof data[0] !== 'string') {
    throw new InvalidMessageError([
      { path: 'data', message: `the file holds ${data.length} Pub/Sub messages; pass one message per file` },
    ]);
  }
  return Buffer.from(data[0], 'base64');
}
