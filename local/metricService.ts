/**
 * A local Cloud Monitoring `google.monitoring.v3.MetricService` gRPC server for tests and the local demo.
 * It enforces the real API's write rules with the real codes and (where known) the real texts, and records
 * what was written and when (its clock, `now`). A point is readable from its write time plus the ingestion
 * delay (`ingestionDelayMs`), never earlier, whatever its end time: a window published late is not seen by
 * a query before it was written. Talk to it with the real client:
 *
 *   new MetricServiceClient({ apiEndpoint: '127.0.0.1', port: svc.port, projectId: 'demo',
 *     sslCreds: grpc.credentials.createInsecure(), universeDomain: 'googleapis.com' })
 *
 * `universeDomain` is optional, but without it gax asks google-auth-library for the universe domain, which
 * probes the GCE metadata server and prints a `MetadataLookupWarning` (and costs ~50 ms on first call).
 * `METADATA_SERVER_DETECTION=none` in the environment also suppresses the probe.
 *
 * WHAT A CALLER CAN RELY ON when CreateTimeSeries rejects some series (the others ARE written):
 *   - the promise rejects with an Error where `err.code === 3` (INVALID_ARGUMENT) when any series was invalid;
 *     a request whose only failures are per-series internal errors (a fault with `series`) answers 13 INTERNAL;
 *   - `err.details` is the status message
 *       `One or more TimeSeries could not be written: <reason>: timeSeries[<list>]; <reason>: timeSeries[<list>]`
 *     with one `<reason>: timeSeries[...]` part per distinct reason, in order of the first failing index;
 *     `<list>` is comma separated, runs of three or more consecutive indices collapse to `a-b`
 *     (`timeSeries[0-2,5,7,8]`). With `partialFailureFormat: 'index-first'` each part is
 *     `timeSeries[<list>]: <reason>` instead (the format servers use since 2024), with `'with-example'` it is
 *     `timeSeries[<list>] (example metric.type="T", metric.labels={k: "v"}): write for resource=global{project_id:P}
 *     failed with: <reason>` (the newest, naming the group's first series).
 *     Some reasons name the index themselves (`Field timeSeries[8] had an invalid value: Duplicate ...`,
 *     `Field timeSeries[3].points[0].interval.end_time ...`), always the index of that failing series, so the set
 *     of failed indices is exactly the union of all `/timeSeries\[([\d,-]+)\]/g` matches, expanded (in the
 *     with-example format, of the lists that open each part: an example's label values may hold anything).
 *   - `err.message === '3 INVALID_ARGUMENT: ' + err.details`;
 *   - `err.metadata.get('grpc-status-details-bin')[0]` is a serialized google.rpc.Status {code, message, details};
 *   - `err.statusDetails` (promise style only): `[CreateTimeSeriesSummary]`, already decoded by MetricServiceClient
 *     (protobufjs message: `totalPointCount`, `successPointCount`, `errors[{status: {code, message}, pointCount}]`,
 *     one error entry per distinct reason, each with its own code: 3, or 13 for an internal one). In callback
 *     style `statusDetails` is absent; decode the trailer:
 *     `protos.google.rpc.Status.decode(buf).details[0].value` → `protos.google.monitoring.v3.CreateTimeSeriesSummary.decode`.
 *   - `err.note` is undefined: the client does not retry CreateTimeSeries (its retry config is non-idempotent).
 * Request-level errors are WITHOUT status details and write nothing: a bad name, 0 or more than 200 series, a
 * resource `project_id` other than the request's (code 3, `Field timeSeries[1].resource.labels.project_id had an
 * invalid value of "x": if present, must be the project number or ID in the request name.`: it names a series,
 * but no series was written), and, with `ingestionRequestsPerMinute`, a call beyond the quota (8 RESOURCE_EXHAUSTED).
 * Injected faults carry no details, except a fault with `series`, which fails only those series (a partial
 * failure with their code). The client retries UNAVAILABLE for Get/List/Delete RPCs (not Create*), so one
 * injected UNAVAILABLE there is absorbed by a retry (and consumes one `times`).
 *
 * The same write rules serve in process (metricService/inProcess.ts, InProcessMetricService) for handler tests
 * and simulations: same Store, same texts, the same error shape as the real client's, on the caller's clock.
 *
 * Every error text lives in local/metricService/messages.ts: VERIFIED ones are quoted from real API errors,
 * LOCAL ones follow the API's style but were not seen verbatim.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { metricServiceHandlers } from './metricService/handlers.js';
import { metricServiceDefinition } from './metricService/proto.js';
import { Store } from './metricService/store.js';
import type {
  Fault,
  LocalMetricServiceOptions,
  MetricDescriptorRecord,
  MetricServiceRpc,
  PointFilter,
  RecordedPoint,
} from './metricService/types.js';

export { formatIndexList, PARTIAL_FAILURE_PREFIX } from './metricService/messages.js';
export type * from './metricService/types.js';

export interface LocalMetricService {
  port: number;
  /** `127.0.0.1:PORT` */
  endpoint: string;
  /**
   * the accepted points visible at the clock's now (written, plus the ingestion delay), in acceptance order
   * (copies), each with its write and visible times
   */
  points(filter?: PointFilter): RecordedPoint[];
  /** current metric descriptors, explicit and auto-created (copies) */
  descriptors(): MetricDescriptorRecord[];
  /** number of calls received for `rpc` (default CreateTimeSeries), faulted calls included */
  requests(rpc?: MetricServiceRpc): number;
  /** queue a fault; faults are consumed in the order they were queued */
  injectFault(fault: Fault): void;
  /** remaining fault uses */
  pendingFaults(): number;
  /** forget descriptors, series, points, counters and faults */
  reset(): void;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 1_000;

export async function startLocalMetricService(
  options: LocalMetricServiceOptions = {},
): Promise<LocalMetricService> {
  const ingestionDelayMs = options.ingestionDelayMs ?? 0;
  if (!(Number.isFinite(ingestionDelayMs) && ingestionDelayMs >= 0)) {
    throw new RangeError(`ingestionDelayMs must be a non-negative number of ms, got ${ingestionDelayMs}`);
  }
  const now = options.now ?? Date.now;
  const store = new Store();
  const abort = new AbortController();
  const server = new Server();
  server.addService(
    metricServiceDefinition(),
    metricServiceHandlers({
      store,
      now,
      ingestionDelayMs,
      samplingPeriodMs: options.samplingPeriodMs ?? 5_000,
      requireDescriptors: options.requireDescriptors ?? false,
      partialFailureFormat: options.partialFailureFormat ?? 'reason-first',
      ingestionRequestsPerMinute: options.ingestionRequestsPerMinute,
      signal: abort.signal,
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      abort.abort();
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return closing;
  };

  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    points: (filter = {}) => store.points(filter, now()),
    descriptors: () => store.allDescriptors().map((d) => structuredClone(d)),
    requests: (rpc = 'CreateTimeSeries') => store.callCount(rpc),
    injectFault: (fault) => store.addFault(fault),
    pendingFaults: () => store.pendingFaults(),
    reset: () => store.reset(),
    close,
  };
}
