/** Pushing a Pub/Sub message straight to a Functions Framework process, as a push subscription does. */
import { pushEndpointFor } from '../../../local/pubsubSetup.js';

export interface PushMessage {
  data: Buffer;
  messageId: string;
  attributes?: Record<string, string>;
  publishTime?: Date;
}

/** The body the Pub/Sub emulator POSTs to a push endpoint (gcp-facts 2.6). */
export function pushBody(projectId: string, subscription: string, message: PushMessage): string {
  const publishTime = (message.publishTime ?? new Date()).toISOString();
  return JSON.stringify({
    subscription: `projects/${projectId}/subscriptions/${subscription}`,
    message: {
      data: message.data.toString('base64'),
      attributes: message.attributes ?? {},
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime,
      publish_time: publishTime,
    },
  });
}

/** POSTs a push body to the function on `port`; resolves to the HTTP status (2xx acknowledges). */
export async function push(
  port: number,
  projectId: string,
  topic: string,
  body: string,
  timeoutMs = 60_000,
): Promise<number> {
  const response = await fetch(pushEndpointFor(`http://127.0.0.1:${port}`, projectId, topic), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer();
  return response.status;
}
