/**
 * Firestore failing under the functions, through the local stack: the function processes reach the Firestore
 * emulator through a fault proxy (local/faultProxy.ts) that can answer every call with a gRPC error. A failed
 * baseline load or store is thrown as a RetryableError (500, Pub/Sub redelivers), so the message is retried and
 * its points appear once Firestore is back; a batch whose baseline does not exist is refused for good.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { PROJECT } from '../support/localMonitoring.js';
import { baseline, predictionBatch } from '../support/messages.js';
import {
  assertDriftPointsOnce,
  type LogLine,
  linesOf,
  recentWindowEnd,
  settled,
  sleep,
} from './support/points.js';

const MODEL = 'firestore-faults';
const windowEnd = recentWindowEnd();
const UNAVAILABLE = 14;
const PERMISSION_DENIED = 7;

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['registerBaseline', 'driftMonitor'],
    firestoreFaultProxy: true,
  });
  for (const modelVersion of ['denied', 'unavailable']) {
    await stack.publish('baselines', baseline({ model: MODEL, modelVersion }));
  }
  await stack.waitFor('both baselines to be registered', () => {
    const lines = stack.logs('registerBaseline', (line) => line.event === 'baseline_registered');
    return lines.length >= 2 ? lines : undefined;
  });
});
after(() => stack?.stop());

const batch = (modelVersion: string) =>
  predictionBatch({
    model: MODEL,
    modelVersion,
    segment: { market: 'se' },
    windowEnd: windowEnd.toISOString(),
  });
const labelsOf = (modelVersion: string) => ({
  model: MODEL,
  model_version: modelVersion,
  segment: 'market=se',
});
const retryable = (lines: LogLine[]) => lines.filter((line) => line.reason === 'retryable');

/** Waits for the first failed delivery of the message, then heals the proxy. */
async function failOnceThenHeal(
  name: 'driftMonitor' | 'registerBaseline',
  messageId: string,
  timeoutMs: number,
) {
  const failure = await stack.waitFor(
    `${name} to fail on message ${messageId}`,
    () => retryable(linesOf(stack, name, messageId))[0],
    timeoutMs,
  );
  stack.firestoreProxy!.setMode('pass');
  return failure;
}

describe('Firestore failing', () => {
  test('a baseline load refused (PERMISSION_DENIED, not retried by the client) is thrown, redelivered and written after recovery', async () => {
    stack.firestoreProxy!.setMode('grpc-error', PERMISSION_DENIED);
    const messageId = await stack.publish('predictions', batch('denied'));
    const failure = await failOnceThenHeal('driftMonitor', messageId, 20_000);

    assert.equal(failure.acknowledged, false);
    const error = failure.error as { name: string; message: string };
    assert.equal(error.name, 'RetryableError');
    assert.match(error.message, /Firestore failed to load a baseline: 7 PERMISSION_DENIED/);
    const line = await settled(stack, 'driftMonitor', messageId);
    assert.equal(line.event, 'points_written');
    assertDriftPointsOnce(stack, labelsOf('denied'), [windowEnd]);
  });

  test('Firestore UNAVAILABLE while loading a baseline: the client retries (~43 s), the function throws, Pub/Sub redelivers after recovery', async () => {
    stack.firestoreProxy!.setMode('grpc-error', UNAVAILABLE);
    const messageId = await stack.publish('predictions', batch('unavailable'));
    const failure = await failOnceThenHeal('driftMonitor', messageId, 90_000);

    const error = failure.error as { name: string; message: string };
    assert.equal(error.name, 'RetryableError');
    assert.match(error.message, /Firestore failed to load a baseline: 14 UNAVAILABLE/);
    const line = await settled(stack, 'driftMonitor', messageId);
    assert.equal(line.event, 'points_written');
    // Usually one failed delivery; a second may start if the first outlives the 60 s push deadline on a slow machine.
    assert.ok(retryable(linesOf(stack, 'driftMonitor', messageId)).length >= 1);
    assertDriftPointsOnce(stack, labelsOf('unavailable'), [windowEnd]);
  });

  test('a baseline published while Firestore refuses writes is stored once it recovers', async () => {
    stack.firestoreProxy!.setMode('grpc-error', PERMISSION_DENIED);
    const messageId = await stack.publish('baselines', baseline({ model: MODEL, modelVersion: 'late' }));
    const failure = await failOnceThenHeal('registerBaseline', messageId, 20_000);

    assert.match((failure.error as { message: string }).message, /Firestore failed to store a baseline/);
    const stored = await stack.waitFor('the baseline to be registered after recovery', () =>
      linesOf(stack, 'registerBaseline', messageId).find((line) => line.event === 'baseline_registered'),
    );
    assert.equal(stored.modelVersion, 'late');
    const batchId = await stack.publish('predictions', batch('late'));
    assert.equal((await settled(stack, 'driftMonitor', batchId)).event, 'points_written');
  });

  test('a batch whose baseline was never registered is refused for good: unknown_baseline, acknowledged, nothing written', async () => {
    const before = stack.monitoring.points().length;
    const messageId = await stack.publish('predictions', batch('never-registered'));
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.severity, 'ERROR');
    assert.equal(line.reason, 'unknown_baseline');
    assert.equal(line.acknowledged, true);
    assert.equal(line.model, MODEL);
    assert.equal(line.modelVersion, 'never-registered');
    assert.match(
      String(line.message),
      /no baseline registered for model firestore-faults version never-registered/,
    );
    await sleep(3_000);
    assert.equal(linesOf(stack, 'driftMonitor', messageId).length, 1, 'acknowledged: not redelivered');
    assert.equal(stack.monitoring.points().length, before);
  });
});
