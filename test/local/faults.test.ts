/** The local MetricService, driven only through the real `MetricServiceClient`: fault injection, unimplemented RPCs and the server lifecycle. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startLocalMetricService } from '../../local/metricService.js';
import {
  client,
  clientFor,
  now,
  PROJECT,
  rejection,
  series,
  svc,
  T0,
  TYPE,
  useLocalMetricService,
  write,
} from './support/metricService.js';

useLocalMetricService();

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

test('close shuts the server down, can be called twice, and later calls fail as UNAVAILABLE', async () => {
  const doomed = await startLocalMetricService({ now: now });
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
