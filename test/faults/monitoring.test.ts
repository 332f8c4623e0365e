/**
 * Cloud Monitoring failing under the functions, through the local stack: the Pub/Sub emulator pushes to the
 * Functions Framework processes, whose real MetricServiceClient reaches the local MetricService through an
 * interposer that records every CreateTimeSeries and can fail some series of a request. Each test proves that
 * every point ends up written exactly once, and how many requests it took.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { metricsWrittenBy, metricType } from '../../shared/monitoring/catalog.js';
import { buildSeries } from '../../shared/monitoring/series.js';
import { PROJECT } from '../support/localMonitoring.js';
import { baseline, campaignResults, json, predictionBatch } from '../support/messages.js';
import { type MonitoringInterposer, startMonitoringInterposer } from './support/monitoringInterposer.js';
import { assertDriftPointsOnce, linesOf, recentWindowEnd, settled } from './support/points.js';
import { push, pushBody } from './support/push.js';

const MODEL = 'faults';
const VERSION = 'v1';
const DRIFT_METRICS = metricsWrittenBy('driftMonitor').length;
const windowEnd = recentWindowEnd();

let stack: LocalStack;
let interposer: MonitoringInterposer;

before(async () => {
  interposer = await startMonitoringInterposer();
  stack = await startLocalStack({
    projectId: PROJECT,
    functions: ['registerBaseline', 'driftMonitor', 'liftMonitor'],
    env: { LIFTWATCH_MONITORING_ENDPOINT: interposer.endpoint },
  });
  interposer.setUpstream(stack.monitoring.endpoint);
  await stack.publish('baselines', baseline({ model: MODEL, modelVersion: VERSION }));
  await stack.waitFor(
    'the baseline to be registered',
    () => stack.logs('registerBaseline', (line) => line.event === 'baseline_registered')[0],
  );
});
after(async () => {
  await stack?.stop();
  await interposer?.close();
});

const labelsOf = (segment: string) => ({ model: MODEL, model_version: VERSION, segment: `case=${segment}` });

/** Publishes a drift batch for the segment `case=<segment>` and returns its message ID. */
function publishBatch(segment: string): Promise<string> {
  return stack.publish(
    'predictions',
    predictionBatch({
      model: MODEL,
      modelVersion: VERSION,
      segment: { case: segment },
      windowEnd: windowEnd.toISOString(),
    }),
  );
}

/** The CreateTimeSeries requests that carried a series of the segment. */
const requestsFor = (segment: string) =>
  interposer
    .createTimeSeries()
    .filter((request) => request.series.some((key) => key.includes(`case=${segment}`)));

const retried = (messageId: string) =>
  linesOf(stack, 'driftMonitor', messageId).filter((line) => line.reason === 'retryable');

describe('Cloud Monitoring failing', () => {
  test('UNAVAILABLE on the first 2 writes is absorbed by the in-process retries: one delivery, every point once', async () => {
    const before = stack.monitoring.requests();
    stack.monitoring.injectFault({ code: status.UNAVAILABLE, times: 2 });
    const messageId = await publishBatch('unavailable-2');
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.event, 'points_written');
    assert.equal(line.written, DRIFT_METRICS);
    assert.equal(stack.monitoring.requests() - before, 3, 'two refused requests, then the one that wrote');
    assert.deepEqual(retried(messageId), [], 'Pub/Sub did not need to redeliver');
    assertDriftPointsOnce(stack, labelsOf('unavailable-2'), [windowEnd]);
  });

  test('UNAVAILABLE on the first 6 writes outlasts them: the function answers 500, Pub/Sub redelivers, every point once', async () => {
    const before = stack.monitoring.requests();
    stack.monitoring.injectFault({ code: status.UNAVAILABLE, times: 6 });
    const messageId = await publishBatch('unavailable-6');
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.event, 'points_written');
    assert.equal(line.written, DRIFT_METRICS);
    const failures = retried(messageId);
    assert.equal(failures.length, 1, 'one delivery failed and was redelivered');
    assert.equal(failures[0]!.acknowledged, false);
    assert.match(
      (failures[0]!.error as { message: string }).message,
      /CreateTimeSeries failed after 4 attempt\(s\) with code 14/,
    );
    assert.equal(stack.monitoring.requests() - before, 7, '4 refused, redelivery: 2 refused and 1 written');
    assertDriftPointsOnce(stack, labelsOf('unavailable-6'), [windowEnd]);
  });

  test('while the writes keep failing the function answers the push with 500 (a nack); the next delivery writes', async () => {
    const port = stack.functions.driftMonitor!.port;
    const body = pushBody(PROJECT, 'predictions-push', {
      data: json(
        predictionBatch({
          model: MODEL,
          modelVersion: VERSION,
          segment: { case: 'http-500' },
          windowEnd: windowEnd.toISOString(),
        }),
      ),
      messageId: 'http-500',
    });
    stack.monitoring.injectFault({ code: status.UNAVAILABLE, times: 4 });
    assert.equal(await push(port, PROJECT, 'predictions', body), 500);
    assert.equal(await push(port, PROJECT, 'predictions', body), 204);
    assertDriftPointsOnce(stack, labelsOf('http-500'), [windowEnd]);
  });

  test('DEADLINE_EXCEEDED after the write was applied: the retry finds the points held and writes none twice', async () => {
    stack.monitoring.injectFault({ code: status.DEADLINE_EXCEEDED, writeBeforeFailing: true });
    const messageId = await publishBatch('deadline-applied');
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.event, 'points_written');
    assert.equal(line.rejected, 0);
    assert.equal(line.superseded, DRIFT_METRICS, 'the retry found every point already held');
    assertDriftPointsOnce(stack, labelsOf('deadline-applied'), [windowEnd]);
  });

  test('a reply slower than the client deadline (12 s): the client gives up, the retry finds the points held', async () => {
    stack.monitoring.injectFault({ code: status.OK, writeBeforeFailing: true, delayMs: 13_000 });
    const messageId = await publishBatch('slow-reply');
    const line = await settled(stack, 'driftMonitor', messageId, 45_000);

    assert.equal(line.event, 'points_written');
    assert.equal(Number(line.written) + Number(line.superseded), DRIFT_METRICS);
    const requests = requestsFor('slow-reply');
    assert.equal(requests[0]!.cancelled, true, 'the client gave up on the first request at its deadline');
    assert.ok(requests.length >= 2, 'and retried it');
    assertDriftPointsOnce(stack, labelsOf('slow-reply'), [windowEnd]);
  });

  test('a request partly refused as out of order or too frequent: the accepted series are written once and nothing is re-sent', async () => {
    const entries = metricsWrittenBy('driftMonitor');
    const psi = entries.find((entry) => entry.statistic === 'psi')!;
    const ks = entries.find((entry) => entry.statistic === 'ksStatistic')!;
    const identity = {
      projectId: PROJECT,
      model: MODEL,
      modelVersion: VERSION,
      segment: { case: 'partial-order' },
    };
    // Points already held: psi one minute after the window (newer), ks 2 s before it (within the sampling period).
    await stack.monitoringClient.createTimeSeries({
      name: `projects/${PROJECT}`,
      timeSeries: [
        ...buildSeries({ ...identity, endTime: new Date(windowEnd.getTime() + 60_000) }, [psi], { psi: 0.5 }),
        ...buildSeries({ ...identity, endTime: new Date(windowEnd.getTime() - 2_000) }, [ks], {
          ksStatistic: 0.5,
        }),
      ],
    });
    const before = stack.monitoring.requests();
    const messageId = await publishBatch('partial-order');
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(stack.monitoring.requests() - before, 1, 'one request, not retried');
    assert.equal(line.written, DRIFT_METRICS - 2);
    assert.equal(line.superseded, 2);
    const reasons = (line.supersededSeries as { reason: string }[]).map((entry) => entry.reason).join('\n');
    assert.match(reasons, /written in order/);
    assert.match(reasons, /maximum sampling period/);
    for (const entry of entries) {
      const points = stack.monitoring.points({
        metricType: metricType(entry),
        labels: labelsOf('partial-order'),
      });
      const atWindow = points.filter((point) => point.endTimeMs === windowEnd.getTime());
      assert.equal(atWindow.length, entry === psi || entry === ks ? 0 : 1, entry.name);
    }
  });

  test('a message of two requests whose second fails transiently: only the second is re-sent', async () => {
    // 24 campaign segments of 5 campaigns, each writing the same lift series: more than 200 series, so two
    // requests; every series of the second one fails once.
    const campaigns = Array.from({ length: 120 }, (_, i) => ({
      campaignId: `c${i}`,
      segment: { cohort: `k${String(Math.floor(i / 5)).padStart(2, '0')}` },
      predictedLift: 0.01 + 0.001 * (i % 7),
      predictedLiftInterval: { lower: 0, upper: 0.05 },
      treatment: { units: 2000 + i, conversions: 150 + (i % 11) },
      control: { units: 1000, conversions: 60 + (i % 5) },
    }));
    const message = campaignResults({
      model: MODEL,
      modelVersion: VERSION,
      segment: { market: 'two-requests' },
      windowEnd: windowEnd.toISOString(),
      campaigns,
    });
    let seen = 0;
    interposer.failSeries({ times: 1, pick: () => ++seen > 200 });
    const before = interposer.createTimeSeries().length;
    const messageId = await stack.publish('campaign-results', message);
    const line = await settled(stack, 'liftMonitor', messageId);

    const requests = interposer.createTimeSeries().slice(before);
    const total = Number(line.written);
    assert.ok(total > 200 && total % 24 === 0, `${total} series: the same for each of the 24 segments`);
    assert.deepEqual(
      requests.map((request) => [request.series.length, request.code]),
      [
        [200, status.OK],
        [total - 200, status.INTERNAL],
        [total - 200, status.OK],
      ],
      'the first request is written, the second fails and is re-sent alone',
    );
    assert.equal(line.superseded, 0);
    const points = stack.monitoring
      .points({ labels: { model: MODEL, model_version: VERSION } })
      .filter((point) => point.metricLabels.segment?.includes('market=two-requests'));
    assert.equal(points.length, total);
    assert.equal(
      new Set(points.map((point) => `${point.metricType}|${point.metricLabels.segment}`)).size,
      total,
    );
  });

  test('series of one request failing transiently (INTERNAL naming them) while the others are written: every point once', async () => {
    interposer.failSeries({ times: 1, pick: (_, index) => index >= 7 });
    const messageId = await publishBatch('partial-transient');
    const line = await settled(stack, 'driftMonitor', messageId);

    assert.equal(line.event, 'points_written');
    assert.equal(line.rejected, 0);
    const first = requestsFor('partial-transient')[0]!;
    assert.equal(first.code, status.INTERNAL);
    assert.match(first.details, /An internal error occurred\.: timeSeries\[7-9\]/);
    assertDriftPointsOnce(stack, labelsOf('partial-transient'), [windowEnd]);
  });

  test('series of one request failing transiently: only they are re-sent, and the retry meets no order or sampling error', async () => {
    interposer.failSeries({ times: 1, pick: (_, index) => index >= 7 });
    const messageId = await publishBatch('partial-resend');
    const line = await settled(stack, 'driftMonitor', messageId);

    const requests = requestsFor('partial-resend');
    assert.equal(requests.length, 2);
    assert.equal(requests[1]!.series.length, 3, 'only the 3 failed series are re-sent');
    for (const request of requests) {
      assert.doesNotMatch(request.upstreamDetails, /written in order|maximum sampling period/);
    }
    assert.equal(line.written, DRIFT_METRICS, 'the log counts every point this delivery wrote');
    assert.equal(line.superseded, 0);
  });
});
