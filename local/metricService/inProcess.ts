/**
 * The local MetricService's CreateTimeSeries in this process: the same Store and write rules as the gRPC
 * server, behind the writer's TimeSeriesClient, failing the way MetricServiceClient fails (`code`, `details`,
 * `message` = `3 INVALID_ARGUMENT: <details>`, `metadata` with the status trailer, `statusDetails` with the
 * decoded CreateTimeSeriesSummary). For handler tests and simulations of many windows: the clock is the
 * caller's (a simulation sets it to the simulated now of each message).
 */
import { protos } from '@google-cloud/monitoring';
import { Metadata, type ServerErrorResponse, status } from '@grpc/grpc-js';
import { applyFault, seriesFaultOf } from './handlers.js';
import { SUMMARY_TYPE_URL } from './proto.js';
import type { Outcome } from './rpc.js';
import { Store } from './store.js';
import type {
  Fault,
  LocalMetricServiceOptions,
  MetricDescriptorRecord,
  PointFilter,
  RecordedPoint,
} from './types.js';
import type { WireTimeSeries } from './wire.js';
import { createTimeSeries } from './write.js';
import { writeStatus } from './writeStatus.js';

export type InProcessMetricServiceOptions = Omit<LocalMetricServiceOptions, 'port'>;

const v3 = protos.google.monitoring.v3;
/** The options proto.ts loads the service with, so the write rules see what the gRPC server would decode. */
const WIRE = { longs: String, enums: String, oneofs: true, arrays: true, objects: true, defaults: false };

export class InProcessMetricService {
  readonly store = new Store();
  private readonly now: () => number;
  private readonly abort = new AbortController();

  constructor(private readonly options: InProcessMetricServiceOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async createTimeSeries(request: {
    name: string;
    timeSeries: protos.google.monitoring.v3.ITimeSeries[];
  }): Promise<[object]> {
    this.store.countCall('CreateTimeSeries');
    // Through the protobuf message and back, as the client serializes it and the server decodes it.
    const wire = v3.CreateTimeSeriesRequest.toObject(
      v3.CreateTimeSeriesRequest.fromObject(request),
      WIRE,
    ) as {
      name?: string;
      timeSeries?: WireTimeSeries[];
    };
    const fault = this.store.takeFault('CreateTimeSeries');
    const outcome = fault
      ? await applyFault(this.abort, fault, (f) => this.write(wire, f))
      : this.write(wire);
    if ('error' in outcome) throw clientError(outcome.error);
    return [outcome.response];
  }

  /** the accepted points visible at the clock's now, in acceptance order (copies) */
  points(filter: PointFilter = {}): RecordedPoint[] {
    return this.store.points(filter, this.now());
  }

  /** every accepted point, whenever it becomes visible (copies) */
  allPoints(filter: PointFilter = {}): RecordedPoint[] {
    return this.store.points(filter, Number.POSITIVE_INFINITY);
  }

  descriptors(): MetricDescriptorRecord[] {
    return this.store.allDescriptors().map((d) => structuredClone(d));
  }

  /** CreateTimeSeries calls received, faulted and refused ones included */
  requests(): number {
    return this.store.callCount('CreateTimeSeries');
  }

  injectFault(fault: Fault): void {
    this.store.addFault(fault);
  }

  reset(): void {
    this.store.reset();
  }

  private write(req: { name?: string; timeSeries?: WireTimeSeries[] }, fault?: Fault): Outcome {
    const result = createTimeSeries(
      {
        store: this.store,
        nowMs: this.now(),
        ingestionDelayMs: this.options.ingestionDelayMs ?? 0,
        samplingPeriodMs: this.options.samplingPeriodMs ?? 5_000,
        requireDescriptors: this.options.requireDescriptors ?? false,
        request: this.store.callCount('CreateTimeSeries'),
        ingestionRequestsPerMinute: this.options.ingestionRequestsPerMinute,
        seriesFault: seriesFaultOf(fault),
      },
      req,
    );
    return writeStatus(result, this.options.partialFailureFormat ?? 'reason-first');
  }
}

/** The error google-gax raises for a failed unary call, built from what the server would send. */
function clientError(error: ServerErrorResponse): Error {
  const code = error.code ?? status.UNKNOWN;
  const details = error.details ?? error.message;
  const metadata = error.metadata ?? new Metadata();
  const err = Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
  const [trailer] = metadata.get('grpc-status-details-bin');
  if (trailer instanceof Buffer) {
    const statusDetails = protos.google.rpc.Status.decode(trailer)
      .details.filter((any) => any.type_url === SUMMARY_TYPE_URL)
      .map((any) => v3.CreateTimeSeriesSummary.decode(any.value as Uint8Array));
    Object.assign(err, { statusDetails });
  }
  return err;
}
