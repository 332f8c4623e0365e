/** CloudEvents as the Functions Framework hands a Pub/Sub push to a cloudEvent function. */
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { MessagePublishedData } from '../../shared/delivery.js';

let counter = 0;

export function pubsubEvent(
  data: Buffer,
  {
    messageId = String(++counter),
    publishTime = new Date(),
  }: { messageId?: string; publishTime?: Date } = {},
): CloudEvent<MessagePublishedData> {
  return {
    id: messageId,
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/demo/topics/predictions',
    time: publishTime.toISOString(),
    data: { message: { data: data.toString('base64'), messageId, publishTime: publishTime.toISOString() } },
  };
}
