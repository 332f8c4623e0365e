/**
 * The local MetricService, driven only through the real `MetricServiceClient` of @google-cloud/monitoring.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { MetricServiceClient, type protos } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import { type LocalMetricService, startLocalMetricService } from '../../local/metricService.js';

type ITimeSeries = protos.google.monitoring.v3.ITimeSeries;
type ITypedValue = protos.google.monitoring.v3.ITypedValue;

interface RpcError extends Error {
  code: number;
  details: string;
  note?: string;
  metadata?: grpc.Metadata;
  statusDetails?: unknown[];
}

const T0 = Date.parse('2026-11-26T12:00:00.000Z');
const PROJECT = 'projects/demo';
const TYPE = 'custom.googleapis.com/liftwatch/drift';
const GLOBAL = { type: 'global', labels: {} };
const TASK = {
  type: 'generic_task',
  labels: { location: 'europe-west1', namespace: 'liftwatch', job: 'drift', task_id: 'fn-1' },
};

let nowMs = T0;
let svc: LocalMetricService;
let client: MetricServiceClient;

function clientFor(port: number): MetricServiceClient {
  return new MetricServiceClient({
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'demo',
    universeDomain: 'googleapis.com',
  });
}

before(async () => {
  svc = await startLocalMetricService({ now: () => nowMs });
  client = clientFor(svc.port);
});

after(async () => {
  await client?.close();
  await svc?.close();
});

beforeEach(() => {
  svc.reset();
  nowMs = T0;
});

const timestamp = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

function series(
  opts: {
    type?: string;
    labels?: Record<string, string>;
    resource?: { type: string; labels: Record<string, string> };
    endMs?: number;
    startMs?: number;
    value?: ITypedValue;
    metricKind?: ITimeSeries['metricKind'];
  } = {},
): ITimeSeries {
  const endMs = opts.endMs ?? T0;
  return {
    metric: { type: opts.type ?? TYPE, labels: opts.labels ?? { model: 'lift-v1' } },
    resource: opts.resource ?? GLOBAL,
    ...(opts.metricKind ? { metricKind: opts.metricKind } : {}),
    points: [
      {
        interval: {
          endTime: timestamp(endMs),
          ...(opts.startMs !== undefined ? { startTime: timestamp(opts.startMs) } : {}),
        },
        value: opts.value ?? { doubleValue: 0.25 },
      },
    ],
  };
}

async function write(timeSeries: ITimeSeries[], c: MetricServiceClient = client): Promise<void> {
  await c.createTimeSeries({ name: PROJECT, timeSeries });
}

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (err) {
    return err as RpcError;
  }
  assert.fail('expected the call to be rejected');
}

/** Expects a one-series request to fail with exactly this per-series reason. */
async function assertRejected(ts: ITimeSeries, reason: string): Promise<void> {
  const err = await rejection(write([ts]));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(err.details, `One or more TimeSeries could not be written: ${reason}: timeSeries[0]`);
}

/** The parser documented at the top of local/metricService.ts. */
function failedIndices(details: string): number[] {
  const out = new Set<number>();
  for (const [, list = ''] of details.matchAll(/timeSeries\[([\d,-]+)\]/g)) {
    for (const part of list.split(',')) {
      const [a = '', b] = part.split('-');
      for (let i = Number(a); i <= Number(b ?? a); i++) out.add(i);
    }
  }
  return [...out].sort((x, y) => x - y);
}

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

/** The points ListTimeSeries returns for TYPE between `fromMs` and `toMs`, as [label model, end time]. */
async function listed(fromMs: number, toMs: number, c: MetricServiceClient = client) {
  const [result] = await c.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}"`,
    interval: { startTime: timestamp(fromMs), endTime: timestamp(toMs) },
  });
  return result.flatMap((s) =>
    (s.points ?? []).map((p) => [s.metric?.labels?.model, Number(p.interval?.endTime?.seconds) * 1000]),
  );
}

test('a point written with an old end time is readable from when it was written, not from its end time', async () => {
  const windowEnd = T0 - 3 * 3600_000;
  nowMs = T0; // published three hours after its window ended
  await write([series({ endMs: windowEnd })]);
  const [point] = svc.points();
  assert.deepEqual([point?.endTimeMs, point?.writtenAtMs, point?.visibleAtMs], [windowEnd, T0, T0]);
  // A query made before the write (its read time earlier than T0) does not see the point, by any interval.
  nowMs = T0 - 1;
  assert.deepEqual(await listed(windowEnd, windowEnd), []);
  assert.deepEqual(await listed(windowEnd - 3600_000, T0), []);
  assert.deepEqual(svc.points(), []);
  nowMs = T0;
  assert.deepEqual(await listed(windowEnd, windowEnd), [['lift-v1', windowEnd]]);
  assert.equal(svc.points().length, 1);
});

test('with an ingestion delay a point is readable only once the delay has passed after its write', async () => {
  const delayed = await startLocalMetricService({ now: () => nowMs, ingestionDelayMs: 90_000 });
  const c = clientFor(delayed.port);
  try {
    await write([series({ endMs: T0 - 60_000 })], c);
    nowMs = T0 + 89_999;
    assert.deepEqual(await listed(T0 - 600_000, nowMs, c), []);
    assert.deepEqual(delayed.points(), []);
    // Not yet readable, but held: the write rules see it (a point with an older end time is out of order).
    const err = await rejection(write([series({ endMs: T0 - 120_000 })], c));
    assert.match(err.details, /Points must be written in order/);
    nowMs = T0 + 90_000;
    assert.deepEqual(await listed(T0 - 600_000, nowMs, c), [['lift-v1', T0 - 60_000]]);
    const [point] = delayed.points();
    assert.deepEqual(
      [point?.endTimeMs, point?.writtenAtMs, point?.visibleAtMs, point?.visibleAt],
      [T0 - 60_000, T0, T0 + 90_000, '2026-11-26T12:01:30.000Z'],
    );
  } finally {
    await c.close();
    await delayed.close();
  }
});

test('a negative ingestion delay is refused', async () => {
  await assert.rejects(startLocalMetricService({ ingestionDelayMs: -1 }), /ingestionDelayMs/);
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
  nowMs = T0 + 30 * 3600_000;
  await assertRejected(
    series({ endMs: T0 }),
    'Field timeSeries[0].points[0].interval.end_time had an invalid value of "2026-11-26T12:00:00Z": Data points cannot be written more than approximately 24 hours in the past, specifically no more than 25h10s in the past. Your data point is 30h0m0s before the present time, which is too far in the past.',
  );
  await write([series({ endMs: nowMs })]);
  assert.equal(svc.points()[0]?.endTimeMs, nowMs);
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
  const strict = await startLocalMetricService({ now: () => nowMs, samplingPeriodMs: 60_000 });
  const c = clientFor(strict.port);
  try {
    await write([series({ endMs: T0 - 120_000 })], c);
    const err = await rejection(write([series({ endMs: T0 - 61_000 })], c));
    assert.match(err.details, /more frequently than the maximum sampling period/);
    await write([series({ endMs: T0 - 60_000 })], c);
    assert.equal(strict.points().length, 2);
  } finally {
    await c.close();
    await strict.close();
  }
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
  const strict = await startLocalMetricService({ now: () => nowMs, requireDescriptors: true });
  const c = clientFor(strict.port);
  try {
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
  } finally {
    await c.close();
    await strict.close();
  }
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

test('descriptors created with CreateMetricDescriptor reject undeclared labels and can be listed, read and deleted', async () => {
  const [created] = await client.createMetricDescriptor({
    name: PROJECT,
    metricDescriptor: {
      type: TYPE,
      metricKind: 'GAUGE',
      valueType: 'DOUBLE',
      unit: '1',
      description: 'PSI of predicted lift',
      labels: [{ key: 'model', description: 'model id' }],
    },
  });
  assert.equal(created.name, `${PROJECT}/metricDescriptors/${TYPE}`);
  assert.equal(created.metricKind, 'GAUGE');

  await assertRejected(
    series({ labels: { model: 'a', segment: 'pop' } }),
    'Field timeSeries[0].metric.labels[1] had an invalid value of "segment": Unrecognized metric label.',
  );
  await write([series({ labels: { model: 'a' } }), series({ labels: {} })]);

  // "The metric descriptor is updated if it already exists, except that metric labels are never removed."
  await client.createMetricDescriptor({
    name: PROJECT,
    metricDescriptor: { type: TYPE, metricKind: 'GAUGE', valueType: 'DOUBLE', labels: [{ key: 'segment' }] },
  });
  const [fetched] = await client.getMetricDescriptor({ name: `${PROJECT}/metricDescriptors/${TYPE}` });
  assert.deepEqual(
    fetched.labels?.map((l) => l.key),
    ['model', 'segment'],
  );
  const changeErr = await rejection(
    client.createMetricDescriptor({
      name: PROJECT,
      metricDescriptor: { type: TYPE, metricKind: 'CUMULATIVE', valueType: 'DOUBLE' },
    }),
  );
  assert.equal(changeErr.code, grpc.status.INVALID_ARGUMENT);

  await client.createMetricDescriptor({
    name: PROJECT,
    metricDescriptor: { type: `${TYPE}_b`, metricKind: 'GAUGE', valueType: 'BOOL' },
  });
  const [listed] = await client.listMetricDescriptors({
    name: PROJECT,
    filter: 'metric.type = starts_with("custom.googleapis.com/liftwatch/")',
  });
  assert.deepEqual(
    listed.map((d) => d.type),
    [TYPE, `${TYPE}_b`],
  );
  const [one] = await client.listMetricDescriptors({ name: PROJECT, filter: `metric.type = "${TYPE}_b"` });
  assert.deepEqual(
    one.map((d) => d.valueType),
    ['BOOL'],
  );

  await client.deleteMetricDescriptor({ name: `${PROJECT}/metricDescriptors/${TYPE}_b` });
  const missing = await rejection(
    client.getMetricDescriptor({ name: `${PROJECT}/metricDescriptors/${TYPE}_b` }),
  );
  assert.equal(missing.code, grpc.status.NOT_FOUND);
});

test('CreateMetricDescriptor validates the type, kind, value type and label keys', async () => {
  const cases: [protos.google.api.IMetricDescriptor, RegExp][] = [
    [
      { type: 'compute.googleapis.com/x', metricKind: 'GAUGE', valueType: 'DOUBLE' },
      /The metric type is invalid/,
    ],
    [{ type: TYPE, valueType: 'DOUBLE' }, /metricKind had an invalid value of "METRIC_KIND_UNSPECIFIED"/],
    [{ type: TYPE, metricKind: 'GAUGE' }, /valueType had an invalid value of "VALUE_TYPE_UNSPECIFIED"/],
    [
      { type: TYPE, metricKind: 'GAUGE', valueType: 'DOUBLE', labels: [{ key: 'bad-key' }] },
      /labels\[0\]\.key/,
    ],
  ];
  for (const [metricDescriptor, expected] of cases) {
    const err = await rejection(client.createMetricDescriptor({ name: PROJECT, metricDescriptor }));
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, expected);
  }
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
  const alt = await startLocalMetricService({ now: () => nowMs, partialFailureFormat: 'index-first' });
  const c = clientFor(alt.port);
  try {
    const err = await rejection(write([series(), series(), series({ labels: { model: 'ok' } })], c));
    assert.equal(
      err.details,
      'One or more TimeSeries could not be written: timeSeries[1]: Field timeSeries[1] had an invalid value: Duplicate TimeSeries encountered. Only one point can be written per TimeSeries per request.',
    );
    assert.deepEqual(failedIndices(err.details), [1]);
    assert.equal(alt.points().length, 2);
  } finally {
    await c.close();
    await alt.close();
  }
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

test('an injected UNAVAILABLE fault fails k CreateTimeSeries calls and then clears', async () => {
  svc.injectFault({ code: grpc.status.UNAVAILABLE, times: 2 });
  assert.equal(svc.pendingFaults(), 2);
  for (let k = 0; k < 2; k++) {
    const err = await rejection(write([series({ endMs: T0 - 60_000 * (3 - k) })]));
    assert.equal(err.code, grpc.status.UNAVAILABLE);
    assert.equal(err.details, 'The service is currently unavailable.');
  }
  assert.equal(svc.points().length, 0);
  assert.equal(svc.pendingFaults(), 0);
  await write([series()]);
  assert.equal(svc.points().length, 1);
  assert.equal(svc.requests(), 3);
});

test('faults are consumed in order and only hit the RPC they name', async () => {
  svc.injectFault({ code: grpc.status.INTERNAL, times: 1, message: 'first' });
  svc.injectFault({ code: grpc.status.DEADLINE_EXCEEDED, times: 1 });
  svc.injectFault({ code: grpc.status.PERMISSION_DENIED, rpc: 'CreateMetricDescriptor' });
  const first = await rejection(write([series()]));
  assert.deepEqual([first.code, first.details], [grpc.status.INTERNAL, 'first']);
  const second = await rejection(write([series()]));
  assert.equal(second.code, grpc.status.DEADLINE_EXCEEDED);
  await write([series()]);
  const third = await rejection(
    client.createMetricDescriptor({
      name: PROJECT,
      metricDescriptor: { type: `${TYPE}_x`, metricKind: 'GAUGE', valueType: 'DOUBLE' },
    }),
  );
  assert.equal(third.code, grpc.status.PERMISSION_DENIED);
  assert.equal(svc.pendingFaults(), 0);
  assert.equal(svc.requests('CreateMetricDescriptor'), 1);
});

test('a writeBeforeFailing fault commits the write and still returns the error', async () => {
  svc.injectFault({ code: grpc.status.DEADLINE_EXCEEDED, times: 1, writeBeforeFailing: true });
  const err = await rejection(write([series({ endMs: T0 - 60_000 })]));
  assert.equal(err.code, grpc.status.DEADLINE_EXCEEDED);
  assert.equal(svc.points().length, 1);
  // a blind retry of the same point now hits the ordering rule, as in production
  const retry = await rejection(write([series({ endMs: T0 - 60_000 })]));
  assert.match(retry.details, /had an older end time than the most recent point/);
});

test('a delayed answer past the client deadline surfaces as DEADLINE_EXCEEDED while the write is committed', async () => {
  svc.injectFault({ code: grpc.status.OK, delayMs: 400, writeBeforeFailing: true });
  const err = await rejection(
    client.createTimeSeries({ name: PROJECT, timeSeries: [series()] }, { timeout: 100 }),
  );
  assert.equal(err.code, grpc.status.DEADLINE_EXCEEDED);
  assert.equal(svc.points().length, 1);
});

test('RPCs the local service does not implement return UNIMPLEMENTED', async () => {
  const err = await rejection(client.listMonitoredResourceDescriptors({ name: PROJECT }));
  assert.equal(err.code, grpc.status.UNIMPLEMENTED);
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

test('close shuts the server down, can be called twice, and later calls fail as UNAVAILABLE', async () => {
  const doomed = await startLocalMetricService({ now: () => nowMs });
  const c = clientFor(doomed.port);
  try {
    await write([series()], c);
    await doomed.close();
    await doomed.close();
    const err = await rejection(write([series({ endMs: T0 + 60_000 })], c));
    assert.equal(err.code, grpc.status.UNAVAILABLE);
  } finally {
    await c.close();
    await doomed.close();
  }
});

test('injectFault refuses a non-positive times', () => {
  assert.throws(() => svc.injectFault({ code: grpc.status.UNAVAILABLE, times: 0 }), RangeError);
  assert.equal(svc.pendingFaults(), 0);
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
