/**
 * Helpers over the real `@google-cloud/pubsub` client pointed at the local Pub/Sub emulator.
 */
import { PubSub, type Subscription, type Topic } from '@google-cloud/pubsub';

const ALREADY_EXISTS = 6; // gRPC status code

/**
 * A client for the emulator at `emulatorEndpoint` (`host:port`). Uses the `apiEndpoint` option with
 * `emulatorMode: true` (insecure channel, no credentials), so `process.env` is neither read for the
 * endpoint nor mutated (an explicit `apiEndpoint` wins over PUBSUB_EMULATOR_HOST). The explicit
 * `universeDomain` stops google-gax from probing Application Default Credentials / the GCE metadata
 * server on first use (which otherwise prints a MetadataLookupWarning); `emulatorMode: true` keeps the
 * insecure emulator channel despite it.
 */
export function pubsubClient(emulatorEndpoint: string, projectId: string): PubSub {
  return new PubSub({
    projectId,
    apiEndpoint: emulatorEndpoint,
    emulatorMode: true,
    universeDomain: 'googleapis.com',
  });
}

/** `projects/P/topics/T` or `T` → `T`. */
function shortName(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

function isAlreadyExists(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === ALREADY_EXISTS;
}

/** Create the topic if it does not exist yet; return it either way. */
export async function ensureTopic(pubsub: PubSub, name: string): Promise<Topic> {
  const topicName = shortName(name);
  try {
    const [topic] = await pubsub.createTopic(topicName);
    return topic;
  } catch (err) {
    if (isAlreadyExists(err)) return pubsub.topic(topicName);
    throw err;
  }
}

export interface RetryPolicySeconds {
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
}

export interface DeadLetterPolicyOptions {
  /** Topic name (short or full). */
  deadLetterTopic: string;
  /** 5..100 */
  maxDeliveryAttempts: number;
}

interface CommonSubscriptionOptions {
  /** Topic name (short or full); the topic must exist. */
  topic: string;
  /** Subscription name (short). */
  name: string;
  /** 10..600; 0/unset means the default (10 s). For push, also the push request timeout. */
  ackDeadlineSeconds?: number;
  retryPolicy?: RetryPolicySeconds;
  deadLetterPolicy?: DeadLetterPolicyOptions;
}

export interface PushSubscriptionOptions extends CommonSubscriptionOptions {
  /**
   * Base URL of the push receiver, e.g. `http://127.0.0.1:8080`. The path
   * `/projects/P/topics/T` is appended (unless already present) so the Functions Framework can fill the
   * CloudEvent `source` (`//pubsub.googleapis.com/projects/P/topics/T`) when converting the raw push.
   */
  pushEndpoint: string;
}

export type PullSubscriptionOptions = CommonSubscriptionOptions & {
  enableMessageOrdering?: boolean;
};

const TOPIC_PATH = /\/projects\/[^/?]+\/topics\/[^/?]+/;

/** `http://host:port[/base]` + `/projects/P/topics/T` (kept as-is if it already has such a path). */
export function pushEndpointFor(baseUrl: string, projectId: string, topic: string): string {
  const url = new URL(baseUrl);
  if (TOPIC_PATH.test(url.pathname)) return url.toString();
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = `${base}/projects/${encodeURIComponent(projectId)}/topics/${encodeURIComponent(shortName(topic))}`;
  return url.toString();
}

function commonMetadata(pubsub: PubSub, options: CommonSubscriptionOptions) {
  return {
    ...(options.ackDeadlineSeconds !== undefined ? { ackDeadlineSeconds: options.ackDeadlineSeconds } : {}),
    ...(options.retryPolicy !== undefined
      ? {
          retryPolicy: {
            minimumBackoff: { seconds: options.retryPolicy.minimumBackoffSeconds },
            maximumBackoff: { seconds: options.retryPolicy.maximumBackoffSeconds },
          },
        }
      : {}),
    ...(options.deadLetterPolicy !== undefined
      ? {
          deadLetterPolicy: {
            deadLetterTopic: pubsub.topic(shortName(options.deadLetterPolicy.deadLetterTopic)).name,
            maxDeliveryAttempts: options.deadLetterPolicy.maxDeliveryAttempts,
          },
        }
      : {}),
  };
}

/** Create a push subscription whose endpoint path carries `/projects/P/topics/T` (see gcp-facts 3.2). */
export async function createPushSubscription(
  pubsub: PubSub,
  options: PushSubscriptionOptions,
): Promise<Subscription> {
  const pushEndpoint = pushEndpointFor(options.pushEndpoint, pubsub.projectId, options.topic);
  const [subscription] = await pubsub.createSubscription(shortName(options.topic), options.name, {
    ...commonMetadata(pubsub, options),
    pushConfig: { pushEndpoint },
  });
  return subscription;
}

/** Create a pull subscription (use it to observe messages, e.g. a dead-letter topic). */
export async function createPullSubscription(
  pubsub: PubSub,
  options: PullSubscriptionOptions,
): Promise<Subscription> {
  const [subscription] = await pubsub.createSubscription(shortName(options.topic), options.name, {
    ...commonMetadata(pubsub, options),
    ...(options.enableMessageOrdering !== undefined
      ? { enableMessageOrdering: options.enableMessageOrdering }
      : {}),
  });
  return subscription;
}
