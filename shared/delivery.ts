/**
 * One place decides what a delivery's failure means: a PermanentError is logged with its reason and the
 * message is acknowledged (returning normally answers the push with 204); any other error is logged and
 * rethrown, the Functions Framework answers 500 and Pub/Sub redelivers it (with backoff, then dead-letters it).
 */
import type { CloudEvent } from '@google-cloud/functions-framework';
import { InvalidMessageError, PermanentError } from './errors.js';
import { type LogFields, log } from './log.js';

/**
 * The data of a google.cloud.pubsub.topic.v1.messagePublished CloudEvent
 * (https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto).
 */
export interface MessagePublishedData {
  message?: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

export interface Delivery {
  /** The message data, decoded from base64 (empty when the message had none). */
  data: Buffer;
  messageId: string;
  publishTime: Date | undefined;
  /** Adds fields (model, version, segment, ...) to every log line of this delivery. */
  annotate(fields: LogFields): void;
  log(severity: Parameters<typeof log>[0], message: string, fields?: LogFields): void;
}

export async function handleDelivery(
  functionName: string,
  event: CloudEvent<MessagePublishedData>,
  handler: (delivery: Delivery) => Promise<void>,
): Promise<void> {
  // A push of an attributes-only message reaches the handler unconverted: {subscription, message}.
  const message = event.data?.message ?? (event as unknown as MessagePublishedData).message;
  const context: LogFields = { function: functionName, messageId: message?.messageId ?? event.id };
  const delivery: Delivery = {
    data: Buffer.from(message?.data ?? '', 'base64'),
    messageId: String(context.messageId),
    publishTime: parseTime(message?.publishTime ?? event.time),
    annotate: (fields) => Object.assign(context, fields),
    log: (severity, text, fields = {}) => log(severity, text, { ...context, ...fields }),
  };
  try {
    await handler(delivery);
  } catch (error) {
    if (error instanceof PermanentError) {
      delivery.log('ERROR', `${functionName} refused message ${delivery.messageId}: ${error.message}`, {
        // What the message claims fills in only what the handler had not annotated yet.
        ...(error instanceof InvalidMessageError
          ? { ...error.claimed, ...context, issues: error.issues }
          : {}),
        reason: error.reason,
        acknowledged: true,
      });
      return;
    }
    delivery.log(
      'ERROR',
      `${functionName} failed on message ${delivery.messageId}; Pub/Sub will redeliver it: ${String(error)}`,
      {
        reason: 'retryable',
        error:
          error instanceof Error
            ? { name: error.name, message: error.message, stack: error.stack }
            : String(error),
        acknowledged: false,
      },
    );
    throw error;
  }
}

function parseTime(value: string | undefined): Date | undefined {
  const time = value ? new Date(value) : undefined;
  return time && Number.isFinite(time.getTime()) ? time : undefined;
}
