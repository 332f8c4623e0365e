/** The local MetricService, driven only through the real `MetricServiceClient`: ListTimeSeries and points(): what is readable when, filters, paging and reads of every value type. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startLocalMetricService } from '../../local/metricService.js';
import {
  client,
  clock,
  listed,
  PROJECT,
  rejection,
  series,
  svc,
  T0,
  TYPE,
  timestamp,
  useLocalMetricService,
  withOwnService,
  write,
} from './support/metricService.js';

useLocalMetricService();

test('a point written with an old end time is readable from when it was written, not from its end time', async () => {
  const windowEnd = T0 - 3 * 3600_000;
  clock.nowMs = T0; // published three hours after its window ended
  await write([series({ endMs: windowEnd })]);
  const [point] = svc.points();
  assert.deepEqual([point?.endTimeMs, point?.writtenAtMs, point?.visibleAtMs], [windowEnd, T0, T0]);
  // A query made before the write (its read time earlier than T0) does not see the point, by any interval.
  clock.nowMs = T0 - 1;
  assert.deepEqual(await listed(windowEnd, windowEnd), []);
  assert.deepEqual(await listed(windowEnd - 3600_000, T0), []);
  assert.deepEqual(svc.points(), []);
  clock.nowMs = T0;
  assert.deepEqual(await listed(windowEnd, windowEnd), [['lift-v1', windowEnd]]);
  assert.equal(svc.points().length, 1);
});

test('with an ingestion delay a point is readable only once the delay has passed after its write', async () => {
  await withOwnService({ ingestionDelayMs: 90_000 }, async (delayed, c) => {
    await write([series({ endMs: T0 - 60_000 })], c);
    clock.nowMs = T0 + 89_999;
    assert.deepEqual(await listed(T0 - 600_000, clock.nowMs, c), []);
    assert.deepEqual(delayed.points(), []);
    // Not yet readable, but held: the write rules see it (a point with an older end time is out of order).
    const err = await rejection(write([series({ endMs: T0 - 120_000 })], c));
    assert.match(err.details, /Points must be written in order/);
    clock.nowMs = T0 + 90_000;
    assert.deepEqual(await listed(T0 - 600_000, clock.nowMs, c), [['lift-v1', T0 - 60_000]]);
    const [point] = delayed.points();
    assert.deepEqual(
      [point?.endTimeMs, point?.writtenAtMs, point?.visibleAtMs, point?.visibleAt],
      [T0 - 60_000, T0, T0 + 90_000, '2026-11-26T12:01:30.000Z'],
    );
  });
});

test('a negative ingestion delay is refused', async () => {
  await assert.rejects(startLocalMetricService({ ingestionDelayMs: -1 }), /ingestionDelayMs/);
});

test('ListTimeSeries returns the written points newest first, filtered by type and labels within the interval', async () => {
  for (const [k, endMs] of [T0 - 120_000, T0 - 60_000, T0].entries()) {
    await write([
      series({ labels: { model: 'a' }, endMs, value: { doubleValue: k } }),
      series({ labels: { model: 'b' }, endMs, value: { doubleValue: 10 + k } }),
    ]);
  }
  const [result] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}" AND metric.label.model = "a"`,
    interval: { startTime: timestamp(T0 - 90_000), endTime: timestamp(T0) },
  });
  assert.equal(result.length, 1);
  const [found] = result;
  assert.equal(found?.metric?.labels?.model, 'a');
  assert.equal(found?.resource?.type, 'global');
  assert.equal(found?.metricKind, 'GAUGE');
  assert.equal(found?.valueType, 'DOUBLE');
  assert.deepEqual(
    found?.points?.map((p) => [Number(p.interval?.endTime?.seconds) * 1000, p.value?.doubleValue]),
    [
      [T0, 2],
      [T0 - 60_000, 1],
    ],
  );

  const [both] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}"`,
    interval: { endTime: timestamp(T0 - 60_000) },
    view: 'FULL',
  });
  assert.deepEqual(
    both.map((s) => [s.metric?.labels?.model, s.points?.map((p) => p.value?.doubleValue)]),
    [
      ['a', [1]],
      ['b', [11]],
    ],
  );

  const [headers] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}" AND metric.labels.model != "a"`,
    interval: { startTime: timestamp(T0 - 600_000), endTime: timestamp(T0) },
    view: 'HEADERS',
  });
  assert.deepEqual(
    headers.map((s) => [s.metric?.labels?.model, s.points?.length]),
    [['b', 0]],
  );
});

test('ListTimeSeries reads back distributions and int64 values', async () => {
  const d = {
    count: 2,
    mean: 1.5,
    sumOfSquaredDeviation: 0.5,
    bucketOptions: { explicitBuckets: { bounds: [1, 2] } },
    bucketCounts: [0, 1, 1],
  };
  await write([
    series({ type: `${TYPE}_hist`, value: { distributionValue: d } }),
    series({ type: `${TYPE}_n`, value: { int64Value: 42 } }),
  ]);
  const [[hist]] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}_hist"`,
    interval: { endTime: timestamp(T0) },
  });
  const got = hist?.points?.[0]?.value?.distributionValue;
  assert.equal(Number(got?.count), 2);
  assert.deepEqual(got?.bucketOptions?.explicitBuckets?.bounds, [1, 2]);
  assert.deepEqual(got?.bucketCounts?.map(Number), [0, 1, 1]);
  const [[n]] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}_n"`,
    interval: { endTime: timestamp(T0) },
  });
  assert.equal(Number(n?.points?.[0]?.value?.int64Value), 42);
});

test('ListTimeSeries of an unknown metric type is NOT_FOUND and unsupported filters or aggregation are refused', async () => {
  const unknown = await rejection(
    client.listTimeSeries({
      name: PROJECT,
      filter: `metric.type = "${TYPE}"`,
      interval: { endTime: timestamp(T0) },
    }),
  );
  assert.equal(unknown.code, grpc.status.NOT_FOUND);
  assert.match(
    unknown.details,
    /^Cannot find metric\(s\) that match type = "custom.googleapis.com\/liftwatch\/drift"/,
  );

  await write([series()]);
  const badFilter = await rejection(
    client.listTimeSeries({
      name: PROJECT,
      filter: `metric.type = "${TYPE}" OR x = "y"`,
      interval: { endTime: timestamp(T0) },
    }),
  );
  assert.equal(badFilter.code, grpc.status.INVALID_ARGUMENT);
  const noType = await rejection(
    client.listTimeSeries({
      name: PROJECT,
      filter: 'resource.type = "global"',
      interval: { endTime: timestamp(T0) },
    }),
  );
  assert.equal(noType.code, grpc.status.INVALID_ARGUMENT);
  const aggregated = await rejection(
    client.listTimeSeries({
      name: PROJECT,
      filter: `metric.type = "${TYPE}"`,
      interval: { endTime: timestamp(T0) },
      aggregation: { alignmentPeriod: { seconds: 60 }, perSeriesAligner: 'ALIGN_MEAN' },
    }),
  );
  assert.equal(aggregated.code, grpc.status.UNIMPLEMENTED);
});

test('ListTimeSeries pages through every series when the page size is small', async () => {
  await write(['a', 'b', 'c'].map((model) => series({ labels: { model } })));
  const [all] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}"`,
    interval: { endTime: timestamp(T0) },
    pageSize: 1,
  });
  assert.deepEqual(
    all.map((s) => s.metric?.labels?.model),
    ['a', 'b', 'c'],
  );
});

test('the client retries an injected UNAVAILABLE on ListTimeSeries, which consumes the fault', async () => {
  await write([series()]);
  svc.injectFault({ code: grpc.status.UNAVAILABLE, rpc: 'ListTimeSeries' });
  const [result] = await client.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}"`,
    interval: { endTime: timestamp(T0) },
  });
  assert.equal(result.length, 1);
  assert.equal(svc.requests('ListTimeSeries'), 2);
  assert.equal(svc.pendingFaults(), 0);
});
