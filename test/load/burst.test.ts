/**
 * A bounded burst through the local stack, loopback only: 5,000 valid messages of every kind (prediction
 * batches, outcome batches, campaign results, uplift batches; JSON and compact encodings; 2,500 segments), in
 * two waves whose windows are 5 s apart per series. Every message must be processed once, and the points the
 * local MetricService holds must be exactly those the same handlers write in process for the same messages:
 * none lost, none duplicated, same values. Prints messages/s, publish-to-written latency and the function
 * processes' peak RSS.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getFunction } from '@google-cloud/functions-framework/testing';
import '../../functions/index.js';
import { type FunctionName, type LocalStack, startLocalStack } from '../../local/stack.js';
import type { MessagePublishedData } from '../../shared/delivery.js';
import { setLogSink } from '../../shared/log.js';
import { setRuntime } from '../../shared/runtime.js';
import { pubsubEvent } from '../support/cloudEvents.js';
import { PROJECT } from '../support/localMonitoring.js';
import { testRuntime } from '../support/runtime.js';
import { type BurstMessage, burstMessage, loadBaselines } from './support/burst.js';
import { functionsFrameworkPid, peakRssMiB, quantile } from './support/processes.js';

const WAVES = 2;
const PER_WAVE = 2_500;
const MONITORS: FunctionName[] = ['driftMonitor', 'calibrationMonitor', 'liftMonitor', 'upliftMonitor'];
const UPLIFT_MIN_PER_ARM = 50;
const firstWindowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000);

let stack: LocalStack;
before(async () => {
  stack = await startLocalStack({
    projectId: PROJECT,
    env: { LIFTWATCH_UPLIFT_MIN_PER_ARM: String(UPLIFT_MIN_PER_ARM) },
  });
  for (const message of loadBaselines()) await stack.publish('baselines', message);
  await stack.waitFor('the load baselines to be registered', () => {
    const lines = stack.logs('registerBaseline', (line) => line.event === 'baseline_registered');
    return lines.length >= loadBaselines().length ? lines : undefined;
  });
});
after(() => stack?.stop());

type Handler = (event: CloudEvent<MessagePublishedData>) => Promise<void>;

/** `metric type|labels|end ms` -> value, of points written. */
type PointMap = Map<string, number>;

const pointKey = (type: string, labels: Record<string, string>, endMs: number) =>
  `${type}|${Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',')}|${endMs}`;

/** What the same handlers write for the same messages, in process, against the local MetricService's write rules in process. */
async function expectedPoints(waves: BurstMessage[][]): Promise<PointMap> {
  const runtime = testRuntime({
    projectId: PROJECT,
    liftMinimums: { campaigns: 5, unitsPerArm: UPLIFT_MIN_PER_ARM },
  });
  const restoreRuntime = setRuntime(runtime);
  const restoreSink = setLogSink(() => undefined);
  try {
    const register = getFunction('registerBaseline') as Handler;
    for (const message of loadBaselines()) await register(pubsubEvent(Buffer.from(JSON.stringify(message))));
    for (const wave of waves) {
      for (const message of wave) await (getFunction(message.function) as Handler)(pubsubEvent(message.data));
    }
  } finally {
    setLogSink(restoreSink);
    restoreRuntime();
  }
  const points: PointMap = new Map();
  for (const point of runtime.monitoring.allPoints()) {
    const key = pointKey(point.metricType, point.metricLabels, point.endTimeMs);
    assert.ok(!points.has(key), `in process: ${key} written twice`);
    points.set(key, point.value as number);
  }
  return points;
}

describe('a burst of 5,000 messages', () => {
  test('every message is processed once and every point written exactly once, with the expected values', {
    timeout: 240_000,
  }, async () => {
    const waves = Array.from({ length: WAVES }, (_, wave) =>
      Array.from({ length: PER_WAVE }, (_, index) => burstMessage(index, wave, firstWindowEnd)),
    );
    const expected = await expectedPoints(waves);
    const before = stack.monitoring.points().length;
    const publishedAt = new Map<string, number>();
    const started = performance.now();
    const startedAtMs = Date.now();

    for (const [wave, messages] of waves.entries()) {
      await Promise.all(
        messages.map(async (message) => {
          const sentAt = Date.now();
          const id = await stack.pubsub.topic(message.topic).publishMessage({ data: message.data });
          publishedAt.set(`${message.function}/${id}`, sentAt);
        }),
      );
      const target = (wave + 1) * PER_WAVE;
      await stack.waitFor(
        `wave ${wave + 1} to be processed`,
        () => (settledLines().length >= target ? true : undefined),
        180_000,
      );
    }
    const elapsedS = (performance.now() - started) / 1000;

    // Every message processed exactly once: one points_written line each, no error, no retry.
    const lines = settledLines();
    assert.equal(lines.length, WAVES * PER_WAVE);
    assert.equal(new Set(lines.map((line) => `${line.function}/${line.messageId}`)).size, lines.length);
    for (const name of MONITORS) {
      assert.deepEqual(
        stack.logs(name, (line) => line.severity === 'ERROR' || line.event === 'points_rejected'),
        [],
        `${name}: no error`,
      );
    }
    assert.ok(lines.every((line) => line.superseded === 0 && line.rejected === 0));

    // The points: exactly the expected ones, once each, with the same values.
    const recorded = stack.monitoring.points().slice(before);
    const actual: PointMap = new Map();
    for (const point of recorded) {
      const key = pointKey(point.metricType, point.metricLabels, point.endTimeMs);
      assert.ok(!actual.has(key), `${key} written twice`);
      actual.set(key, point.value as number);
    }
    assert.equal(actual.size, expected.size, 'as many points as in process');
    for (const [key, value] of expected) assert.equal(actual.get(key), value, key);
    assert.equal(
      lines.reduce((total, line) => total + Number(line.written), 0),
      expected.size,
      'the logs account for every point',
    );

    // Figures.
    const latencies = lines
      .map(
        (line) =>
          Date.parse(String(line.time)) - (publishedAt.get(`${line.function}/${line.messageId}`) ?? NaN),
      )
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const lastWrittenS =
      (Math.max(...lines.map((line) => Date.parse(String(line.time)))) - startedAtMs) / 1000;
    const rss = Object.entries(stack.instances).map(([name, instances]) => {
      const pid = functionsFrameworkPid(instances![0]!.port);
      return `${name} ${pid === undefined ? 'n/a' : (peakRssMiB(pid)?.toFixed(0) ?? 'n/a')} MiB`;
    });
    const perKind = MONITORS.map(
      (name) => `${name} ${lines.filter((line) => line.function === name).length}`,
    ).join(', ');
    console.log(
      [
        `load: ${lines.length} messages (${perKind}), ${expected.size} points, ${WAVES} waves`,
        `load: ${(lines.length / lastWrittenS).toFixed(0)} messages/s (first publish to last points_written ${lastWrittenS.toFixed(1)} s; wall ${elapsedS.toFixed(1)} s)`,
        `load: publish-to-written latency p50 ${quantile(latencies, 0.5)} ms, p99 ${quantile(latencies, 0.99)} ms, max ${latencies.at(-1)} ms (${latencies.length} messages; includes queueing in the burst)`,
        `load: peak RSS (VmHWM) of the function processes: ${rss.join(', ')}`,
      ].join('\n'),
    );
  });
});

function settledLines(): Record<string, unknown>[] {
  return MONITORS.flatMap((name) => stack.logs(name, (line) => line.event === 'points_written'));
}
