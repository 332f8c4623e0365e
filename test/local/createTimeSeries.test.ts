/** The local MetricService, driven only through the real `MetricServiceClient`: CreateTimeSeries: the write rules, the partial-failure errors and what is recorded. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { protos } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import {
  assertRejected,
  client,
  clock,
  failedIndices,
  PROJECT,
  rejection,
  series,
  svc,
  T0,
  TASK,
  TYPE,
  timestamp,
  useLocalMetricService,
  withOwnService,
  write,
} from './support/metricService.js';

useLocalMetricService();

test('an accepted gauge write is recorded with its metric, resource, value, end time and write time', async () => {
  await write([series({ endMs: T0 - 1500, resource: TASK })]);
  const points = svc.points();
  assert.equal(points.length, 1);
  assert.deepEqual(points[0], {
    project: 'demo',
    metricType: TYPE,
    metricLabels: { model: 'lift-v1' },
    resourceType: 'generic_task',
    resourceLabels: { project_id: 'demo', ...TASK.labels },
    metricKind: 'GAUGE',
    valueType: 'DOUBLE',
    value: 0.25,
    startTimeMs: T0 - 1500,
    startTime: '2026-11-26T11:59:58.500Z',
    endTimeMs: T0 - 1500,
    endTime: '2026-11-26T11:59:58.500Z',
    writtenAtMs: T0,
    writtenAt: '2026-11-26T12:00:00.000Z',
    visibleAtMs: T0,
    visibleAt: '2026-11-26T12:00:00.000Z',
    request: 1,
    index: 0,
  });
  assert.equal(svc.requests(), 1);
});

test('points() filters by metric type and metric labels', async () => {
  await write([
    series({ labels: { model: 'a' } }),
    series({ labels: { model: 'b' } }),
    series({ type: `${TYPE}_other`, labels: { model: 'a' } }),
  ]);
  assert.equal(svc.points().length, 3);
  assert.deepEqual(
    svc.points({ metricType: TYPE, labels: { model: 'b' } }).map((p) => p.metricLabels),
    [{ model: 'b' }],
  );
  assert.equal(svc.points({ labels: { model: 'a' } }).length, 2);
});

test('a write to a metric without a descriptor auto-creates a GAUGE descriptor with the labels seen', async () => {
  await write([series({ labels: { model: 'lift-v1', segment: 'pop' }, value: { int64Value: 7 } })]);
  const [descriptor] = svc.descriptors();
  assert.ok(descriptor);
  assert.equal(descriptor.type, TYPE);
  assert.equal(descriptor.metricKind, 'GAUGE');
  assert.equal(descriptor.valueType, 'INT64');
  assert.equal(descriptor.autoCreated, true);
  assert.equal(descriptor.description, 'Auto-created custom metric.');
  assert.deepEqual(
    descriptor.labels.map((l) => l.key),
    ['model', 'segment'],
  );
  const [fetched] = await client.getMetricDescriptor({ name: `${PROJECT}/metricDescriptors/${TYPE}` });
  assert.equal(fetched.valueType, 'INT64');
});

test('a request whose name is not projects/{id} is rejected as a whole', async () => {
  const err = await rejection(client.createTimeSeries({ name: 'demo', timeSeries: [series()] }));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.match(err.details, /^Field name had an invalid value of "demo"/);
  assert.equal(err.statusDetails, undefined);
  assert.equal(svc.points().length, 0);
});

test('a request with more than 200 series is rejected with the real limit text and writes nothing', async () => {
  const many = Array.from({ length: 201 }, (_, i) => series({ labels: { model: `m${i}` } }));
  const err = await rejection(write(many));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(
    err.details,
    'Field timeSeries had an invalid value: A maximum of 200 TimeSeries can be written in a single request.',
  );
  assert.equal(svc.points().length, 0);
  await write(many.slice(0, 200));
  assert.equal(svc.points().length, 200);
});

test('a request without series is rejected', async () => {
  const err = await rejection(write([]));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(err.details, 'Request was missing field timeSeries.');
});

test('the same series twice in one request fails the later copy as a duplicate and writes the first', async () => {
  const err = await rejection(
    write([series(), series({ labels: { model: 'other' } }), series({ endMs: T0 - 10_000 })]),
  );
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(
    err.details,
    'One or more TimeSeries could not be written: Field timeSeries[2] had an invalid value: Duplicate TimeSeries encountered. Only one point can be written per TimeSeries per request.: timeSeries[2]',
  );
  assert.deepEqual(
    svc.points().map((p) => p.index),
    [0, 1],
  );
});

test('a resource that differs only by an explicit project_id is still the same series', async () => {
  const err = await rejection(
    write([series(), series({ resource: { type: 'global', labels: { project_id: 'demo' } } })]),
  );
  assert.match(err.details, /Duplicate TimeSeries encountered.*: timeSeries\[1\]$/);
});

test('a series with zero or two points is rejected', async () => {
  const two = series();
  two.points = [...(two.points ?? []), ...(series({ endMs: T0 - 60_000 }).points ?? [])];
  await assertRejected(
    two,
    'Field timeSeries[0].points had an invalid value: Exactly one point must be written per TimeSeries per request, but 2 were given.',
  );
  await assertRejected(
    { ...series(), points: [] },
    'Field timeSeries[0].points had an invalid value: Exactly one point must be written per TimeSeries per request, but 0 were given.',
  );
});

test('metric types outside the user-defined domains or with invalid relative names are rejected', async () => {
  for (const type of [
    'compute.googleapis.com/instance/cpu/utilization',
    'custom.googleapis.com/',
    'custom.googleapis.com/has-dash',
    `custom.googleapis.com/${'x'.repeat(101)}`,
  ]) {
    await assertRejected(
      series({ type }),
      `Field timeSeries[0].metric.type had an invalid value of "${type}": The metric type is invalid. A user-defined metric type starts with custom.googleapis.com/ or external.googleapis.com/ and its relative name has at most 100 letters, digits, '/' and '_'.`,
    );
  }
  await write([series({ type: `custom.googleapis.com/${'x'.repeat(100)}` })]);
  await write([series({ type: 'external.googleapis.com/prometheus/up' })]);
  assert.equal(svc.points().length, 2);
});

test('invalid label keys, over-long label values and more than 30 labels are rejected', async () => {
  await assertRejected(
    series({ labels: { model: 'a', '9lives': 'x' } }),
    'Field timeSeries[0].metric.labels[1] had an invalid value of "9lives": Label keys must match [a-zA-Z][a-zA-Z0-9_]* and have at most 100 characters.',
  );
  await assertRejected(
    series({ labels: { [`k${'x'.repeat(100)}`]: 'v' } }),
    `Field timeSeries[0].metric.labels[0] had an invalid value of "k${'x'.repeat(100)}": Label keys must match [a-zA-Z][a-zA-Z0-9_]* and have at most 100 characters.`,
  );
  await assertRejected(
    series({ labels: { model: 'é'.repeat(513) } }),
    'Field timeSeries[0].metric.labels[0] had an invalid value of "model": Label values must have at most 1024 bytes.',
  );
  const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`l${i}`, 'v']));
  await assertRejected(
    series({ labels: many }),
    `The new labels would cause the metric ${TYPE} to have over 30 labels.`,
  );
  await write([series({ labels: { model: 'é'.repeat(512) } })]);
  assert.equal(svc.points().length, 1);
});

test('resource types that are not writable for custom metrics are rejected with the real text', async () => {
  await assertRejected(
    series({ resource: { type: 'cloud_run_revision', labels: {} } }),
    'Metrics cannot be written to cloud_run_revision. See https://cloud.google.com/monitoring/custom-metrics/creating-metrics#which-resource for a list of writable resource types.',
  );
});

test('missing or unknown resource labels are rejected and project_id is filled in from the request name', async () => {
  await assertRejected(
    series({ resource: { type: 'generic_task', labels: { location: 'eu', job: 'j' } } }),
    'The set of resource labels is incomplete. Missing labels: (namespace task_id).',
  );
  await assertRejected(
    series({ resource: { type: 'global', labels: { zone: 'eu' } } }),
    'Field timeSeries[0].resource.labels[0] had an invalid value of "zone": Unrecognized resource label.',
  );
  await write([
    series({ resource: { type: 'generic_node', labels: { location: 'eu', namespace: 'n', node_id: 'n1' } } }),
  ]);
  assert.deepEqual(svc.points()[0]?.resourceLabels, {
    project_id: 'demo',
    location: 'eu',
    namespace: 'n',
    node_id: 'n1',
  });
});

test('points older than 25h10s or more than 5 minutes in the future are rejected', async () => {
  const old = T0 - (25 * 3600 + 11) * 1000;
  await assertRejected(
    series({ endMs: old }),
    'Field timeSeries[0].points[0].interval.end_time had an invalid value of "2026-11-25T10:59:49Z": Data points cannot be written more than approximately 24 hours in the past, specifically no more than 25h10s in the past. Your data point is 25h0m11s before the present time, which is too far in the past.',
  );
  await assertRejected(
    series({ endMs: T0 + 5 * 60_000 + 1000 }),
    'Field timeSeries[0].points[0].interval.end_time had an invalid value of "2026-11-26T12:05:01Z": Data points cannot be written more than 5m0s in the future. Your data point is 5m1s after the present time, which is too far in the future.',
  );
  await write([
    series({ labels: { model: 'edge-old' }, endMs: T0 - (25 * 3600 + 10) * 1000 }),
    series({ labels: { model: 'edge-new' }, endMs: T0 + 5 * 60_000 }),
  ]);
  assert.equal(svc.points().length, 2);
});

test('the time window follows the injected clock', async () => {
  clock.nowMs = T0 + 30 * 3600_000;
  await assertRejected(
    series({ endMs: T0 }),
    'Field timeSeries[0].points[0].interval.end_time had an invalid value of "2026-11-26T12:00:00Z": Data points cannot be written more than approximately 24 hours in the past, specifically no more than 25h10s in the past. Your data point is 30h0m0s before the present time, which is too far in the past.',
  );
  await write([series({ endMs: clock.nowMs })]);
  assert.equal(svc.points()[0]?.endTimeMs, clock.nowMs);
});

test('a point must have a strictly newer end time than the latest point of its series', async () => {
  await write([series({ endMs: T0 - 60_000 })]);
  const outOfOrder =
    'Points must be written in order. One or more of the points specified had an older end time than the most recent point.';
  await assertRejected(series({ endMs: T0 - 120_000 }), outOfOrder);
  await assertRejected(series({ endMs: T0 - 60_000 }), outOfOrder);
  await write([series({ endMs: T0 })]);
  assert.equal(svc.points().length, 2);
});

test('a point closer than the sampling period to the latest point of its series is too frequent', async () => {
  await write([series({ endMs: T0 - 10_000 })]);
  await assertRejected(
    series({ endMs: T0 - 5_001 }),
    'One or more points were written more frequently than the maximum sampling period configured for the metric.',
  );
  await write([series({ endMs: T0 - 5_000 })]);
  await write([series({ labels: { model: 'other-series' }, endMs: T0 - 4_000 })]);
  assert.equal(svc.points().length, 3);
});

test('the sampling period is configurable', async () => {
  await withOwnService({ samplingPeriodMs: 60_000 }, async (strict, c) => {
    await write([series({ endMs: T0 - 120_000 })], c);
    const err = await rejection(write([series({ endMs: T0 - 61_000 })], c));
    assert.match(err.details, /more frequently than the maximum sampling period/);
    await write([series({ endMs: T0 - 60_000 })], c);
    assert.equal(strict.points().length, 2);
  });
});

test('a gauge start time must be absent or equal to the end time', async () => {
  await assertRejected(
    series({ startMs: T0 - 60_000 }),
    'Field timeSeries[0].points[0].interval.start_time had an invalid value of "2026-11-26T11:59:00Z": The start time must be equal to the end time (2026-11-26T12:00:00Z) for the gauge metric \'custom.googleapis.com/liftwatch/drift\'.',
  );
  await write([series({ startMs: T0 })]);
  assert.equal(svc.points().length, 1);
});

test('cumulative points need start < end, keep their start time and may reset to a later start', async () => {
  const cumulative = (startMs: number, endMs: number, v: number) =>
    series({ type: `${TYPE}_count`, metricKind: 'CUMULATIVE', startMs, endMs, value: { int64Value: v } });
  await assertRejected(
    cumulative(T0 - 60_000, T0 - 60_000, 1),
    'Field timeSeries[0].points[0].interval.start_time had an invalid value of "2026-11-26T11:59:00Z": The start time must be before the end time (2026-11-26T11:59:00Z) for the non-gauge metric \'custom.googleapis.com/liftwatch/drift_count\'.',
  );
  await write([cumulative(T0 - 600_000, T0 - 120_000, 5)]);
  await write([cumulative(T0 - 600_000, T0 - 60_000, 9)]);
  await assertRejected(
    cumulative(T0 - 700_000, T0 - 30_000, 10),
    'Points must be written in order. One or more of the points specified had an older start time than the most recent point.',
  );
  await write([cumulative(T0 - 20_000, T0, 1)]);
  assert.deepEqual(
    svc.points().map((p) => [p.metricKind, p.value]),
    [
      ['CUMULATIVE', 5],
      ['CUMULATIVE', 9],
      ['CUMULATIVE', 1],
    ],
  );
  assert.equal(svc.descriptors()[0]?.metricKind, 'CUMULATIVE');
});

test('delta points need start < end and must not overlap the previous interval', async () => {
  const type = `${TYPE}_delta`;
  await client.createMetricDescriptor({
    name: PROJECT,
    metricDescriptor: { type, metricKind: 'DELTA', valueType: 'INT64', labels: [{ key: 'model' }] },
  });
  const delta = (startMs: number, endMs: number) =>
    series({ type, startMs, endMs, value: { int64Value: 1 } });
  await write([delta(T0 - 120_000, T0 - 60_000)]);
  await assertRejected(
    delta(T0 - 90_000, T0 - 30_000),
    'Points must be written in order. One or more of the points specified had an older start time than the most recent point.',
  );
  await write([delta(T0 - 60_000, T0)]);
  assert.equal(svc.points().length, 2);
});

test('auto-creation refuses DELTA metric kinds and STRING values', async () => {
  await assertRejected(
    series({ metricKind: 'DELTA', startMs: T0 - 60_000 }),
    `Cannot auto-create a metric descriptor for metric ${TYPE}: the metric kind must be GAUGE or CUMULATIVE, but is DELTA. Create it with CreateMetricDescriptor first.`,
  );
  await assertRejected(
    series({ value: { stringValue: 'x' } }),
    `Cannot auto-create a metric descriptor for metric ${TYPE}: the value type must be BOOL, INT64, DOUBLE or DISTRIBUTION, but is STRING. Create it with CreateMetricDescriptor first.`,
  );
  assert.deepEqual(svc.descriptors(), []);
});

test('with requireDescriptors a write to a metric type without a descriptor is rejected', async () => {
  await withOwnService({ requireDescriptors: true }, async (strict, c) => {
    const err = await rejection(write([series()], c));
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(
      err.details,
      `One or more TimeSeries could not be written: Field timeSeries[0].metric.type had an invalid value of "${TYPE}": There is no metric descriptor for this metric type, and this server does not auto-create descriptors (requireDescriptors). Create it with CreateMetricDescriptor first.: timeSeries[0]`,
    );
    await c.createMetricDescriptor({
      name: PROJECT,
      metricDescriptor: { type: TYPE, metricKind: 'GAUGE', valueType: 'DOUBLE', labels: [{ key: 'model' }] },
    });
    await write([series()], c);
    assert.equal(strict.points().length, 1);
  });
});

test('a value type or metric kind that differs from the descriptor is rejected with the real text', async () => {
  await write([series({ endMs: T0 - 60_000 })]);
  await assertRejected(
    series({ value: { int64Value: 3 } }),
    `Value type for metric ${TYPE} must be DOUBLE, but is INT64.`,
  );
  await assertRejected(
    series({ metricKind: 'CUMULATIVE', startMs: T0 - 120_000 }),
    `Metric kind for metric ${TYPE} must be GAUGE, but is CUMULATIVE.`,
  );
  await assertRejected(
    { ...series({ value: { int64Value: 3 } }), valueType: 'DOUBLE' },
    'Field timeSeries[0].points[0].value had an invalid value: The value is of type INT64 but the time series declares value type DOUBLE.',
  );
  await assertRejected(
    { ...series(), points: [{ interval: { endTime: timestamp(T0) }, value: {} }] },
    'Field timeSeries[0].points[0].value had an invalid value: The value must be set.',
  );
});

test('auto-created descriptors gain the new labels of later writes', async () => {
  await write([series({ labels: { model: 'a' } })]);
  await write([series({ labels: { model: 'a', segment: 'pop' } })]);
  assert.deepEqual(
    svc.descriptors()[0]?.labels.map((l) => l.key),
    ['model', 'segment'],
  );
});

test('distribution values are checked like the real API', async () => {
  const dist = (d: protos.google.api.IDistribution) => series({ value: { distributionValue: d } });
  const prefix = 'Field timeSeries[0].points[0].distributionValue had an invalid value: ';
  const explicit = { explicitBuckets: { bounds: [0.1, 0.2, 0.5] } };
  await assertRejected(
    dist({ count: 5, mean: 0.2, bucketOptions: explicit, bucketCounts: [1, 1, 1, 1, 1] }),
    `${prefix}Distribution value has 5 |bucket_counts| fields, which is more than the 4 buckets allowed by the bucketing options.`,
  );
  await assertRejected(
    dist({ count: 0, bucketOptions: explicit, bucketCounts: [0, 1] }),
    `${prefix}Distribution value has |bucket_counts| fields that sum to 1 which does not equal the |count| field value of 0.`,
  );
  await assertRejected(
    dist({ count: 0, mean: 1, bucketOptions: explicit }),
    `${prefix}Distribution value has a |count| of 0 but a non-zero |mean| or |sum_of_squared_deviation|.`,
  );
  await assertRejected(
    dist({ count: 1, mean: 0.3, bucketOptions: { explicitBuckets: { bounds: [] } }, bucketCounts: [1] }),
    `${prefix}Distribution |explicit_buckets.bounds| does not have at least one entry.`,
  );
  await assertRejected(
    dist({ count: 1, mean: 0.3, bucketOptions: { explicitBuckets: { bounds: [0.1, 0.1] } } }),
    `${prefix}Distribution |explicit_buckets.bounds| is not strictly increasing at index 1.`,
  );
  await assertRejected(
    dist({
      count: 1,
      mean: 1,
      bucketOptions: { linearBuckets: { numFiniteBuckets: 199, width: 1, offset: 0 } },
      bucketCounts: [0, 1],
    }),
    `${prefix}Distribution bucketing options define 201 buckets, which is more than the 200 buckets allowed.`,
  );
  await assertRejected(
    dist({ count: 1, mean: 1, bucketOptions: explicit, bucketCounts: [2, -1] }),
    `${prefix}Distribution bucket_counts(1) has a negative count.`,
  );

  const good = {
    count: 3,
    mean: 0.3,
    sumOfSquaredDeviation: 0.02,
    bucketOptions: { exponentialBuckets: { numFiniteBuckets: 10, growthFactor: 2, scale: 0.01 } },
    bucketCounts: [0, 1, 2],
  };
  await write([dist(good)]);
  assert.deepEqual(svc.points()[0]?.value, good);
});

test('a partially failing request writes the good series and reports the bad indices with a decodable summary', async () => {
  await write([series({ labels: { model: 'm5' }, endMs: T0 - 60_000 })]);
  const batch = Array.from({ length: 12 }, (_, i) =>
    series({ labels: { model: `m${i}` }, endMs: T0 - 1_000 }),
  );
  for (const i of [1, 2, 3])
    batch[i] = series({ labels: { model: `m${i}` }, resource: { type: 'cloud_run_revision', labels: {} } });
  batch[5] = series({ labels: { model: 'm5' }, endMs: T0 - 58_000 }); // 2 s after its previous point
  for (const i of [8, 9]) batch[i] = series({ labels: { model: `m${i}` }, value: { int64Value: 1 } });

  const err = await rejection(write(batch));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  const notWritable =
    'Metrics cannot be written to cloud_run_revision. See https://cloud.google.com/monitoring/custom-metrics/creating-metrics#which-resource for a list of writable resource types.';
  const tooFrequent =
    'One or more points were written more frequently than the maximum sampling period configured for the metric.';
  const wrongType = `Value type for metric ${TYPE} must be DOUBLE, but is INT64.`;
  assert.equal(
    err.details,
    `One or more TimeSeries could not be written: ${notWritable}: timeSeries[1-3]; ${tooFrequent}: timeSeries[5]; ${wrongType}: timeSeries[8,9]`,
  );
  assert.equal(err.message, `3 INVALID_ARGUMENT: ${err.details}`);
  assert.equal(err.note, undefined);
  assert.deepEqual(failedIndices(err.details), [1, 2, 3, 5, 8, 9]);
  assert.deepEqual(
    svc
      .points()
      .filter((p) => p.request === 2)
      .map((p) => p.index),
    [0, 4, 6, 7, 10, 11],
  );

  // the trailer is there, and the client already decoded the CreateTimeSeriesSummary packed in it
  assert.equal(err.metadata?.get('grpc-status-details-bin').length, 1);
  const [summary] = (err.statusDetails ?? []) as protos.google.monitoring.v3.CreateTimeSeriesSummary[];
  assert.ok(summary);
  assert.equal(summary.totalPointCount, 12);
  assert.equal(summary.successPointCount, 6);
  assert.deepEqual(
    summary.errors.map((e) => [e.status?.code, e.status?.message, e.pointCount]),
    [
      [3, notWritable, 3],
      [3, tooFrequent, 1],
      [3, wrongType, 2],
    ],
  );
});

test('the index-first format puts the indices before each reason', async () => {
  await withOwnService({ partialFailureFormat: 'index-first' }, async (alt, c) => {
    const err = await rejection(write([series(), series(), series({ labels: { model: 'ok' } })], c));
    assert.equal(
      err.details,
      'One or more TimeSeries could not be written: timeSeries[1]: Field timeSeries[1] had an invalid value: Duplicate TimeSeries encountered. Only one point can be written per TimeSeries per request.',
    );
    assert.deepEqual(failedIndices(err.details), [1]);
    assert.equal(alt.points().length, 2);
  });
});
