/**
 * A message that keeps failing ends on the dead-letter topic, and can be replayed from there. Terraform gives the
 * functions' subscriptions a dead-letter policy; the Pub/Sub emulator does not dead-letter push deliveries
 * (gcp-facts 2.6), so here a pull subscription with a dead-letter policy stands in for the push subscription: a
 * consumer hands each pulled message to the driftMonitor Functions Framework process exactly as a push would
 * (an HTTP POST of the push body) and nacks it when the function fails. Cloud Monitoring fails throughout, so
 * after 5 attempts (the least a dead-letter policy allows; Terraform's default is 10) the message lands on the
 * dead-letter topic. The CLI then computes its statistics from the
 * message as `gcloud pubsub subscriptions pull --format=json` prints it, and republishing it once Monitoring
 * has recovered writes its points.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message, Subscription } from '@google-cloud/pubsub';
import { status } from '@grpc/grpc-js';
import { createPullSubscription, ensureTopic } from '../../local/pubsubSetup.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { predictionValues } from '../../shared/contracts/values.js';
import { summarizeBaseline } from '../../shared/stats/drift/baselineSummary.js';
import { computeDrift } from '../../shared/stats/drift/suite.js';
import { liftwatch, messageFolder } from '../support/cli.js';
import { PROJECT } from '../support/localMonitoring.js';
import { baseline, predictionBatch } from '../support/messages.js';
import { assertDriftPointsOnce, linesOf, recentWindowEnd, settled } from './support/points.js';
import { push, pushBody } from './support/push.js';

const MODEL = 'dead-letter';
const VERSION = 'v1';
const MAX_DELIVERY_ATTEMPTS = 5;
/** The writer's attempts per delivery (shared/monitoring/writer.ts). */
const WRITER_ATTEMPTS = 4;
const windowEnd = recentWindowEnd();
const baselineMessage = baseline({ model: MODEL, modelVersion: VERSION });
const batchMessage = predictionBatch({
  model: MODEL,
  modelVersion: VERSION,
  segment: { market: 'dlq' },
  windowEnd: windowEnd.toISOString(),
});
const labels = { model: MODEL, model_version: VERSION, segment: 'market=dlq' };

let stack: LocalStack;
const subscriptions: Subscription[] = [];
const folder = messageFolder();

before(async () => {
  stack = await startLocalStack({ projectId: PROJECT, functions: ['registerBaseline', 'driftMonitor'] });
  await stack.publish('baselines', baselineMessage);
  await stack.waitFor(
    'the baseline to be registered',
    () => stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0],
  );
});
after(async () => {
  for (const subscription of subscriptions) await subscription.close().catch(() => undefined);
  await stack?.stop();
  folder.cleanup();
});

describe('the dead-letter path', () => {
  let deadLetter: Message;
  let attempts: number[];

  test('a message whose writes keep failing is dead-lettered after 5 attempts, with the CloudPubSubDeadLetter attributes', async () => {
    await ensureTopic(stack.pubsub, 'predictions-pull-source');
    await ensureTopic(stack.pubsub, 'predictions-dead-letter');
    const deadLetters = await createPullSubscription(stack.pubsub, {
      topic: 'predictions-dead-letter',
      name: 'predictions-dead-letter-pull',
    });
    const source = await createPullSubscription(stack.pubsub, {
      topic: 'predictions-pull-source',
      name: 'predictions-pull',
      ackDeadlineSeconds: 30,
      deadLetterPolicy: {
        deadLetterTopic: 'predictions-dead-letter',
        maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      },
    });
    const consumer = stack.pubsub.subscription(source.name, { flowControl: { maxMessages: 1 } });
    const deadLetterConsumer = stack.pubsub.subscription(deadLetters.name);
    subscriptions.push(consumer, deadLetterConsumer);

    // Cloud Monitoring refuses every write a delivery makes, for as many deliveries as the policy allows.
    stack.monitoring.injectFault({
      code: status.UNAVAILABLE,
      times: MAX_DELIVERY_ATTEMPTS * WRITER_ATTEMPTS,
    });
    attempts = [];
    const port = stack.functions.driftMonitor!.port;
    consumer.on('message', async (message: Message) => {
      attempts.push(message.deliveryAttempt);
      const answer = await push(
        port,
        PROJECT,
        'predictions',
        pushBody(PROJECT, 'predictions-pull', {
          data: message.data,
          messageId: message.id,
          attributes: message.attributes,
          publishTime: message.publishTime,
        }),
      ).catch(() => 0);
      if (answer >= 200 && answer < 300) message.ack();
      else message.nack();
    });
    const arrived = new Promise<Message>((resolve) =>
      deadLetterConsumer.on('message', (message: Message) => {
        message.ack();
        resolve(message);
      }),
    );
    const messageId = await stack.pubsub
      .topic('predictions-pull-source')
      .publishMessage({ json: batchMessage });

    let timer: NodeJS.Timeout | undefined;
    deadLetter = await Promise.race([
      arrived,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not dead-lettered; attempts ${attempts}`)), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    await consumer.close();

    assert.deepEqual(attempts, [1, 2, 3, 4, 5], 'delivered 5 times, each nacked');
    const failures = linesOf(stack, 'driftMonitor', messageId).filter((line) => line.reason === 'retryable');
    assert.equal(failures.length, MAX_DELIVERY_ATTEMPTS, 'each delivery failed with a retryable error');
    assert.ok(failures.every((line) => line.acknowledged === false));
    assert.equal(stack.monitoring.pendingFaults(), 0, 'each delivery made the writer’s 4 attempts');
    assert.equal(stack.monitoring.points({ labels }).length, 0, 'nothing written');

    assert.deepEqual(
      JSON.parse(deadLetter.data.toString('utf8')),
      batchMessage,
      'the message data, unchanged',
    );
    const attributes = deadLetter.attributes;
    assert.equal(attributes.CloudPubSubDeadLetterSourceDeliveryCount, String(MAX_DELIVERY_ATTEMPTS));
    assert.match(attributes.CloudPubSubDeadLetterSourceSubscription ?? '', /predictions-pull$/);
    assert.equal(attributes.CloudPubSubDeadLetterSourceSubscriptionProject, PROJECT);
    assert.ok(Number.isFinite(Date.parse(attributes.CloudPubSubDeadLetterSourceTopicPublishTime ?? '')));
  });

  test('the dead-lettered message, as gcloud pull prints it, is read by the CLI: the statistics the function would write', async () => {
    assert.ok(deadLetter, 'the previous test dead-lettered the message');
    const pulled = folder.file([
      {
        ackId: 'projects/liftwatch-test/subscriptions/predictions-dead-letter-pull:1',
        message: {
          attributes: deadLetter.attributes,
          data: deadLetter.data.toString('base64'),
          messageId: deadLetter.id,
          publishTime: deadLetter.publishTime.toISOString(),
        },
      },
    ]);
    const result = await liftwatch('drift', '--baseline', folder.file(baselineMessage), '--batch', pulled);

    assert.equal(result.code, 0, result.stderr);
    const reference = predictionValues(baselineMessage as { predictionsF32: string }, 1_000_000);
    const expected = computeDrift(
      summarizeBaseline(reference),
      Float64Array.from(batchMessage.predictions as number[]),
    );
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(JSON.stringify(expected)));
  });

  test('republished once Cloud Monitoring has recovered, the dead-lettered message writes its points', async () => {
    assert.ok(deadLetter, 'the previous test dead-lettered the message');
    const messageId = await stack.pubsub.topic('predictions').publishMessage({ data: deadLetter.data });
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.event, 'points_written');
    assertDriftPointsOnce(stack, labels, [windowEnd]);
  });
});
