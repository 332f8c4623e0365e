/** The local MetricService, driven only through the real `MetricServiceClient`: CreateMetricDescriptor, GetMetricDescriptor, ListMetricDescriptors and DeleteMetricDescriptor. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { protos } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import {
  assertRejected,
  client,
  PROJECT,
  rejection,
  series,
  TYPE,
  useLocalMetricService,
  write,
} from './support/metricService.js';

useLocalMetricService();

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
