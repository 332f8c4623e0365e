/**
 * Duplicate and concurrent deliveries through the local stack: two Functions Framework processes serve
 * driftMonitor, each behind its own push subscription on the `predictions` topic, so every message reaches both
 * instances at about the same time (as a redelivery racing the first delivery does). No point may be written
 * twice and none may be lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { metricsWrittenBy } from '../../shared/monitoring/catalog.js';
import { PROJECT } from '../support/localMonitoring.js';
import { baseline, json, predictionBatch } from '../support/messages.js';
import { assertDriftPointsOnce, type LogLine, recentWindowEnd } from './support/points.js';
import { push, pushBody } from './support/push.js';

const MODEL = 'duplicates';
const VERSION = 'v1';
const DRIFT_METRICS = metricsWrittenBy('driftMonitor').length;
const windowEnd = recentWindowEnd();

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['registerBaseline', 'driftMonitor'],
    instances: { driftMonitor: 2 },
  });
  await stack.publish('baselines', baseline({ model: MODEL, modelVersion: VERSION }));
  await stack.waitFor(
    'the baseline to be registered',
    () => stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0],
  );
});
after(() => stack?.stop());

const labelsOf = (segment: string) => ({ model: MODEL, model_version: VERSION, segment: `case=${segment}` });
const message = (segment: string, end = windowEnd) =>
  predictionBatch({
    model: MODEL,
    modelVersion: VERSION,
    segment: { case: segment },
    windowEnd: end.toISOString(),
  });

/** The points_written lines of every instance for the messages given. */
function writes(messageIds: readonly string[]): LogLine[] {
  return stack.logsOfAllInstances(
    'driftMonitor',
    (line) => line.event === 'points_written' && messageIds.includes(String(line.messageId)),
  );
}

const sum = (lines: LogLine[], field: string) =>
  lines.reduce((total, line) => total + Number(line[field]), 0);

describe('duplicate and concurrent deliveries', () => {
  test('the same message published twice reaches both instances twice: each point is written once', async () => {
    const data = message('published-twice');
    const ids = [await stack.publish('predictions', data), await stack.publish('predictions', data)];
    const lines = await stack.waitFor('four deliveries to settle', () => {
      const settled = writes(ids);
      return settled.length >= 4 ? settled : undefined;
    });

    assert.equal(lines.length, 4);
    assert.equal(sum(lines, 'written'), DRIFT_METRICS, 'one delivery wrote every point');
    assert.equal(sum(lines, 'superseded'), 3 * DRIFT_METRICS, 'the three others found them held');
    assert.equal(sum(lines, 'rejected'), 0);
    assertDriftPointsOnce(stack, labelsOf('published-twice'), [windowEnd]);
  });

  test('one push delivered to both instances at the same moment: both acknowledge, each point is written once', async () => {
    const [first, second] = stack.instances.driftMonitor!;
    const rounds = Array.from({ length: 8 }, (_, round) => ({
      segment: `concurrent-${round}`,
      messageId: `concurrent-push-${round}`,
    }));
    for (const { segment, messageId } of rounds) {
      const body = pushBody(PROJECT, 'predictions-push', { data: json(message(segment)), messageId });
      const statuses = await Promise.all([
        push(first!.port, PROJECT, 'predictions', body),
        push(second!.port, PROJECT, 'predictions', body),
      ]);
      assert.deepEqual(statuses, [204, 204], `${segment}: both deliveries acknowledged`);
    }
    for (const { segment, messageId } of rounds) {
      const lines = writes([messageId]);
      assert.equal(lines.length, 2, `${segment}: both instances handled it`);
      assert.equal(sum(lines, 'written'), DRIFT_METRICS, `${segment}: one instance wrote every point`);
      assert.equal(sum(lines, 'superseded'), DRIFT_METRICS, `${segment}: the other found them held`);
      assertDriftPointsOnce(stack, labelsOf(segment), [windowEnd]);
    }
  });

  test('consecutive windows of one series, each handled by both instances: every window written once', async () => {
    const windows = [2, 1, 0].map((minutes) => new Date(windowEnd.getTime() - minutes * 60_000));
    for (const end of windows) {
      const id = await stack.publish('predictions', message('windows', end));
      await stack.waitFor(`window ${end.toISOString()} on both instances`, () =>
        writes([id]).length >= 2 ? true : undefined,
      );
    }
    assertDriftPointsOnce(stack, labelsOf('windows'), windows);
  });

  test('different series pushed to the two instances at once: none is lost', async () => {
    const instances = stack.instances.driftMonitor!;
    const segments = Array.from({ length: 24 }, (_, i) => `parallel-${i}`);
    const statuses = await Promise.all(
      segments.map((segment, i) =>
        push(
          instances[i % instances.length]!.port,
          PROJECT,
          'predictions',
          pushBody(PROJECT, 'predictions-push', {
            data: json(message(segment)),
            messageId: `parallel-push-${i}`,
          }),
        ),
      ),
    );
    assert.ok(
      statuses.every((code) => code === 204),
      `every push acknowledged: ${statuses}`,
    );
    for (const segment of segments) assertDriftPointsOnce(stack, labelsOf(segment), [windowEnd]);
  });
});
