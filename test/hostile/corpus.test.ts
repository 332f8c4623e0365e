/**
 * The hostile corpus through the local stack: every case is published to its contract's topic (or, over Pub/Sub's
 * 10 MB limit, pushed straight to the function), each one after a valid message of the same kind. Every hostile
 * message must be refused with its reason and field, acknowledged (never redelivered), and write nothing; every
 * valid message around them must still be written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FunctionName, type LocalStack, startLocalStack } from '../../local/stack.js';
import { push, pushBody } from '../faults/support/push.js';
import { featureBaseline, featureBatch } from '../support/featureMessages.js';
import { PROJECT } from '../support/localMonitoring.js';
import {
  baseline,
  campaignResults,
  outcomeBatch,
  predictionBatch,
  upliftBatch,
} from '../support/messages.js';
import {
  FUNCTION_OF,
  type HostileCase,
  hostileCases,
  hostileData,
  hostileWindowEnd,
} from './support/corpus.js';
import { assertRefusal } from './support/refusal.js';

const FUNCTIONS: FunctionName[] = [
  'registerBaseline',
  'driftMonitor',
  'calibrationMonitor',
  'liftMonitor',
  'upliftMonitor',
  'featureMonitor',
];

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({ projectId: PROJECT });
  await stack.publish('baselines', baseline({ model: 'hostile', modelVersion: 'v1' }));
  await stack.publish('feature-baselines', featureBaseline({ model: 'hostile', modelVersion: 'v1' }));
  await stack.waitFor(
    'the baselines to be registered',
    () =>
      (stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0] &&
        stack.logs('registerFeatureBaseline', (line) => line.event === 'feature_baseline_registered')[0]) ||
      undefined,
  );
});
after(() => stack?.stop());

/** A valid message for the contract, on its own series (segment case=valid-<n>). */
function validMessage(contract: HostileCase['contract'], n: number): Record<string, unknown> {
  const fields = {
    model: 'hostile',
    modelVersion: 'v1',
    segment: { case: `valid-${n}` },
    windowEnd: hostileWindowEnd().toISOString(),
  };
  switch (contract) {
    case 'Baseline':
      return baseline({ model: 'hostile', modelVersion: `valid-${n}` });
    case 'PredictionBatch':
      return predictionBatch(fields);
    case 'OutcomeBatch':
      return outcomeBatch(fields);
    case 'CampaignResults':
      return campaignResults(fields);
    case 'FeatureBatch':
      return featureBatch(fields);
    default:
      return upliftBatch(fields);
  }
}

/** The settling log line of a message: written, registered, or refused. */
function settledLine(name: FunctionName, messageId: string): Record<string, unknown> | undefined {
  return stack.logs(
    name,
    (line) =>
      line.messageId === messageId &&
      (line.event === 'points_written' || line.event === 'baseline_registered' || line.acknowledged === true),
  )[0];
}

describe('the hostile corpus through the local stack', () => {
  test('each hostile message is refused with its reason, acknowledged and writes nothing; the valid ones around it are written', {
    timeout: 180_000,
  }, async () => {
    const hostile: { entry: HostileCase; messageId: string }[] = [];
    const valid: { name: FunctionName; messageId: string }[] = [];
    for (const [n, entry] of hostileCases.entries()) {
      const name = FUNCTION_OF[entry.contract];
      valid.push({ name, messageId: await stack.publish(entry.topic, validMessage(entry.contract, n)) });
      const data = hostileData(entry);
      if (entry.delivery === 'push') {
        const messageId = `hostile-push-${n}`;
        const status = await push(
          stack.functions[name]!.port,
          PROJECT,
          entry.topic,
          pushBody(PROJECT, `${entry.topic}-push`, { data, messageId }),
        );
        assert.equal(status, 204, `${entry.name}: acknowledged`);
        hostile.push({ entry, messageId });
      } else {
        hostile.push({ entry, messageId: await stack.pubsub.topic(entry.topic).publishMessage({ data }) });
      }
    }
    for (const contract of new Set(hostileCases.map((entry) => entry.contract))) {
      const topic = hostileCases.find((entry) => entry.contract === contract)!.topic;
      const messageId = await stack.publish(
        topic,
        validMessage(contract, hostileCases.length + valid.length),
      );
      valid.push({ name: FUNCTION_OF[contract], messageId });
    }

    await stack.waitFor(
      'every message to settle',
      () =>
        [
          ...hostile.map(({ entry, messageId }) => ({ name: FUNCTION_OF[entry.contract], messageId })),
          ...valid,
        ].every(({ name, messageId }) => settledLine(name, messageId)) || undefined,
      120_000,
    );

    for (const { entry, messageId } of hostile) {
      const name = FUNCTION_OF[entry.contract];
      const rawLine = stack.functions[name]!.logs().find((line) =>
        line.includes(`"messageId":"${messageId}"`),
      );
      assertRefusal(entry, settledLine(name, messageId)!, rawLine);
    }
    for (const { name, messageId } of valid) {
      const line = settledLine(name, messageId)!;
      assert.ok(
        line.event === 'points_written' || line.event === 'baseline_registered',
        `valid message ${messageId} to ${name}: ${line.message}`,
      );
    }

    // Acknowledged: nothing is redelivered, nothing failed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const { entry, messageId } of hostile) {
      const lines = stack.logs(FUNCTION_OF[entry.contract], (line) => line.messageId === messageId);
      assert.equal(lines.length, 1, `${entry.name}: delivered once`);
    }
    for (const name of FUNCTIONS)
      assert.deepEqual(
        stack.logs(name, (line) => line.reason === 'retryable'),
        [],
      );

    // Nothing written but the valid messages' points.
    const points = stack.monitoring.points();
    const writtenByValid = valid
      .map(({ name, messageId }) => Number(settledLine(name, messageId)!.written ?? 0))
      .reduce((total, count) => total + count, 0);
    assert.equal(points.length, writtenByValid);
    assert.ok(
      points.every((point) => /^case=valid-\d+$/.test(point.metricLabels.segment ?? '')),
      'only the valid messages’ series',
    );
    assert.equal(
      stack.logs(
        'registerBaseline',
        (line) => line.event === 'baseline_registered' && line.modelVersion === 'v-hostile',
      ).length,
      0,
      'no hostile baseline registered',
    );
  });
});
