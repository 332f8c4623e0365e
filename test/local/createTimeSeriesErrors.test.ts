/**
 * The local MetricService's CreateTimeSeries errors that the writer reads, through the real `MetricServiceClient`:
 * per-series codes in the summary, the newest error format, whole-request errors, label value types, the
 * ingestion quota; and the in-process MetricService raising what the real client raises.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { protos } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import { InProcessMetricService } from '../../local/metricService/inProcess.js';
import {
  client as grpcClient,
  now,
  PROJECT,
  rejection,
  series,
  svc,
  T0,
  TYPE,
  useLocalMetricService,
  withOwnService,
  write,
} from './support/metricService.js';

useLocalMetricService();

type Summary = protos.google.monitoring.v3.CreateTimeSeriesSummary;
const summaryOf = (err: { statusDetails?: unknown[] }) => (err.statusDetails ?? [])[0] as Summary;
const internal =
  'Internal error encountered. Please retry after a few seconds. If internal errors persist, contact support at https://cloud.google.com/support/docs.';

test('series failed by an INTERNAL fault carry code 13 in the summary; a request with only such failures answers INTERNAL', async () => {
  svc.injectFault({ code: grpc.status.INTERNAL, series: [0, 1, 2] });
  const batch = Array.from({ length: 4 }, (_, i) => series({ labels: { model: `m${i}` } }));
  const err = await rejection(write(batch));
  assert.equal(err.code, grpc.status.INTERNAL);
  assert.equal(err.details, `One or more TimeSeries could not be written: ${internal}: timeSeries[0-2]`);
  const summary = summaryOf(err);
  assert.equal(summary.successPointCount, 1);
  assert.deepEqual(
    summary.errors.map((e) => [e.status?.code, e.pointCount]),
    [[grpc.status.INTERNAL, 3]],
  );
  assert.deepEqual(
    svc.points().map((p) => p.metricLabels.model),
    ['m3'],
  );
});

test('a request with invalid and internal failures answers INVALID_ARGUMENT, each summary error with its own code', async () => {
  svc.injectFault({ code: grpc.status.INTERNAL, series: [2] });
  const batch = Array.from({ length: 3 }, (_, i) => series({ labels: { model: `m${i}` } }));
  batch[0] = series({ labels: { model: 'm0' }, endMs: T0 - 26 * 3_600_000 }); // too old: INVALID_ARGUMENT
  const err = await rejection(write(batch));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.deepEqual(
    summaryOf(err).errors.map((e) => [e.status?.code, e.pointCount]),
    [
      [grpc.status.INVALID_ARGUMENT, 1],
      [grpc.status.INTERNAL, 1],
    ],
  );
  assert.match(summaryOf(err).errors[0]!.status!.message!, /more than 25h10s in the past/);
});

test('the with-example format names an example series and its resource before each reason', async () => {
  await withOwnService({ partialFailureFormat: 'with-example' }, async (_newest, c) => {
    await write([series({ labels: { model: 'm1', segment: 'se' }, endMs: T0 - 1_000 })], c);
    const err = await rejection(
      write(
        [
          series({ labels: { model: 'm0' } }),
          series({ labels: { model: 'm1', segment: 'se' }, endMs: T0 - 2_000 }),
        ],
        c,
      ),
    );
    assert.equal(
      err.details,
      `One or more TimeSeries could not be written: timeSeries[1] (example metric.type="${TYPE}", metric.labels={model: "m1", segment: "se"}): write for resource=global{project_id:demo} failed with: Points must be written in order. One or more of the points specified had an older end time than the most recent point.`,
    );
  });
});

test('a resource project_id other than the request project refuses the whole request, naming the series', async () => {
  const batch = [series({ labels: { model: 'm0' } }), series({ labels: { model: 'm1' } })];
  batch[1]!.resource = { type: 'global', labels: { project_id: 'other' } };
  const err = await rejection(write(batch));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(
    err.details,
    'Field timeSeries[1].resource.labels.project_id had an invalid value of "other": if present, must be the project number or ID in the request name.',
  );
  assert.equal(err.statusDetails, undefined, 'no partial-failure summary');
  assert.deepEqual(svc.points(), [], 'nothing written');
});

test('label values must parse as the BOOL or INT64 their descriptor declares', async () => {
  await grpcClient.createMetricDescriptor({
    name: PROJECT,
    metricDescriptor: {
      type: TYPE,
      metricKind: 'GAUGE',
      valueType: 'DOUBLE',
      labels: [
        { key: 'model' },
        { key: 'decile', valueType: 'INT64' },
        { key: 'holdout', valueType: 'BOOL' },
      ],
    },
  });
  const labelled = (decile: string, holdout: string, model = 'm') =>
    series({ labels: { model, decile, holdout } });
  const err = await rejection(
    write([labelled('3', 'true', 'a'), labelled('three', 'true', 'b'), labelled('3', 'yes', 'c')]),
  );
  assert.equal(
    err.details,
    'One or more TimeSeries could not be written: Field timeSeries[1].metric.labels[1] had an invalid value of "three": The metric descriptor declares label decile as INT64; its value must be a 64-bit integer.: timeSeries[1]; Field timeSeries[2].metric.labels[2] had an invalid value of "yes": The metric descriptor declares label holdout as BOOL; its value must be true or false.: timeSeries[2]',
  );
  assert.deepEqual(
    svc.points().map((p) => p.metricLabels),
    [{ model: 'a', decile: '3', holdout: 'true' }],
  );
  const tooBig = await rejection(write([labelled('9223372036854775808', 'false')]));
  assert.match(tooBig.details, /declares label decile as INT64/);
});

test('beyond the per-minute ingestion quota a request is refused whole with RESOURCE_EXHAUSTED', async () => {
  let clockMs = T0;
  await withOwnService({ now: () => clockMs, ingestionRequestsPerMinute: 2 }, async (limited, c) => {
    await write([series({ labels: { model: 'a' } })], c);
    await write([series({ labels: { model: 'b' } })], c);
    const err = await rejection(write([series({ labels: { model: 'c' } })], c));
    assert.equal(err.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(err.details, /^Quota exceeded for quota metric 'Time series ingestion requests'/);
    assert.equal(limited.points({ labels: { model: 'c' } }).length, 0);
    clockMs += 60_000;
    await write([series({ labels: { model: 'c' } })], c);
    assert.equal(limited.points({ labels: { model: 'c' } }).length, 1);
  });
});

test('the in-process MetricService raises what the real client raises for the same writes', async () => {
  const inProcess = new InProcessMetricService({ now });
  const writes = (w: (ts: ReturnType<typeof series>[]) => Promise<unknown>) => async () => {
    await w([series({ labels: { model: 'm1' }, endMs: T0 - 60_000 })]);
    const batch = [
      series({ labels: { model: 'm0' } }),
      series({ labels: { model: 'm1' }, endMs: T0 - 120_000 }),
      series({ labels: { model: 'x'.repeat(2000) } }),
    ];
    return rejection(w(batch));
  };
  const real = await writes((timeSeries) => write(timeSeries))();
  const local = await writes((timeSeries) => inProcess.createTimeSeries({ name: PROJECT, timeSeries }))();
  const shape = (err: Awaited<typeof real>) => ({
    code: err.code,
    details: err.details,
    message: err.message,
    summary: summaryOf(err).toJSON(),
    trailers: err.metadata?.get('grpc-status-details-bin').length,
  });
  assert.deepEqual(shape(local), shape(real));
  assert.deepEqual(
    inProcess.points().map((p) => p.metricLabels.model),
    svc.points().map((p) => p.metricLabels.model),
  );
});
