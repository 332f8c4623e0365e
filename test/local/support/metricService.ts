/**
 * What the local MetricService tests share: one service on a settable clock and a real MetricServiceClient
 * (useLocalMetricService installs them around each file's tests), series builders and error readers.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { MetricServiceClient, type protos } from '@google-cloud/monitoring';
import * as grpc from '@grpc/grpc-js';
import { type LocalMetricService, startLocalMetricService } from '../../../local/metricService.js';

export type ITimeSeries = protos.google.monitoring.v3.ITimeSeries;
export type ITypedValue = protos.google.monitoring.v3.ITypedValue;

export interface RpcError extends Error {
  code: number;
  details: string;
  note?: string;
  metadata?: grpc.Metadata;
  statusDetails?: unknown[];
}

export const T0 = Date.parse('2026-11-26T12:00:00.000Z');
export const PROJECT = 'projects/demo';
export const TYPE = 'custom.googleapis.com/liftwatch/drift';
export const GLOBAL = { type: 'global', labels: {} };
export const TASK = {
  type: 'generic_task',
  labels: { location: 'europe-west1', namespace: 'liftwatch', job: 'drift', task_id: 'fn-1' },
};

/** The services' clock: tests set `clock.nowMs`; reset to T0 before each test. */
export const clock = { nowMs: T0 };
export const now = (): number => clock.nowMs;

export let svc: LocalMetricService;
export let client: MetricServiceClient;

export function clientFor(port: number): MetricServiceClient {
  return new MetricServiceClient({
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: 'demo',
    universeDomain: 'googleapis.com',
  });
}

/** Starts `svc` and `client` before the file's tests, resets them and the clock before each, closes them after. */
export function useLocalMetricService(): void {
  before(async () => {
    svc = await startLocalMetricService({ now });
    client = clientFor(svc.port);
  });
  after(async () => {
    await client?.close();
    await svc?.close();
  });
  beforeEach(() => {
    svc.reset();
    clock.nowMs = T0;
  });
}

/** Runs `run` against a service of its own (on the shared clock unless `options.now`) and a client, then closes both. */
export async function withOwnService(
  options: Parameters<typeof startLocalMetricService>[0],
  run: (service: LocalMetricService, c: MetricServiceClient) => Promise<void>,
): Promise<void> {
  const service = await startLocalMetricService({ now, ...options });
  const c = clientFor(service.port);
  try {
    await run(service, c);
  } finally {
    await c.close();
    await service.close();
  }
}

export const timestamp = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

export function series(
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

export async function write(timeSeries: ITimeSeries[], c: MetricServiceClient = client): Promise<void> {
  await c.createTimeSeries({ name: PROJECT, timeSeries });
}

export async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (err) {
    return err as RpcError;
  }
  assert.fail('expected the call to be rejected');
}

/** Expects a one-series request to fail with exactly this per-series reason. */
export async function assertRejected(ts: ITimeSeries, reason: string): Promise<void> {
  const err = await rejection(write([ts]));
  assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(err.details, `One or more TimeSeries could not be written: ${reason}: timeSeries[0]`);
}

/** The parser documented at the top of local/metricService.ts. */
export function failedIndices(details: string): number[] {
  const out = new Set<number>();
  for (const [, list = ''] of details.matchAll(/timeSeries\[([\d,-]+)\]/g)) {
    for (const part of list.split(',')) {
      const [a = '', b] = part.split('-');
      for (let i = Number(a); i <= Number(b ?? a); i++) out.add(i);
    }
  }
  return [...out].sort((x, y) => x - y);
}

/** The points ListTimeSeries returns for TYPE between `fromMs` and `toMs`, as [label model, end time]. */
export async function listed(fromMs: number, toMs: number, c: MetricServiceClient = client) {
  const [result] = await c.listTimeSeries({
    name: PROJECT,
    filter: `metric.type = "${TYPE}"`,
    interval: { startTime: timestamp(fromMs), endTime: timestamp(toMs) },
  });
  return result.flatMap((s) =>
    (s.points ?? []).map((p) => [s.metric?.labels?.model, Number(p.interval?.endTime?.seconds) * 1000]),
  );
}
