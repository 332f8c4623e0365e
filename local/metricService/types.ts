/**
 * Public record types of the local MetricService (what tests and the demo stack read back) and the fault
 * injection contract. See local/metricService.ts for the overview.
 */
import type { status } from '@grpc/grpc-js';

export type MetricKind = 'GAUGE' | 'DELTA' | 'CUMULATIVE';
export type ValueType = 'BOOL' | 'INT64' | 'DOUBLE' | 'STRING' | 'DISTRIBUTION';
export type LabelValueType = 'STRING' | 'BOOL' | 'INT64';

export type BucketOptions =
  | { explicitBuckets: { bounds: number[] } }
  | { linearBuckets: { numFiniteBuckets: number; width: number; offset: number } }
  | { exponentialBuckets: { numFiniteBuckets: number; growthFactor: number; scale: number } };

/** A DISTRIBUTION value as written (int64 fields converted to numbers). */
export interface RecordedDistribution {
  count: number;
  mean: number;
  sumOfSquaredDeviation: number;
  range?: { min: number; max: number };
  bucketOptions?: BucketOptions;
  bucketCounts: number[];
}

/** DOUBLE and INT64 → number (INT64 beyond 2^53 loses precision), BOOL → boolean, STRING → string. */
export type PointValue = number | boolean | string | RecordedDistribution;

/** One accepted point, in acceptance order, with when it was written and from when reads return it. */
export interface RecordedPoint {
  /** project id taken from the request name `projects/{id}` */
  project: string;
  metricType: string;
  metricLabels: Record<string, string>;
  resourceType: string;
  /** includes `project_id` (filled in from the request name when the writer left it out) */
  resourceLabels: Record<string, string>;
  metricKind: MetricKind;
  valueType: ValueType;
  value: PointValue;
  /** GAUGE points without a start time get startTime = endTime, like the real API returns them */
  startTimeMs: number;
  startTime: string;
  endTimeMs: number;
  endTime: string;
  /** the service's clock (LocalMetricServiceOptions.now) when it accepted the point */
  writtenAtMs: number;
  writtenAt: string;
  /** from when reads (ListTimeSeries, points()) return it: writtenAtMs plus the ingestion delay, whatever its end time */
  visibleAtMs: number;
  visibleAt: string;
  /** 1-based number of the CreateTimeSeries call that wrote the point, and its index in `timeSeries` */
  request: number;
  index: number;
}

export interface LabelDescriptorRecord {
  key: string;
  valueType: LabelValueType;
  description: string;
}

export interface MetricDescriptorRecord {
  /** `projects/{id}/metricDescriptors/{type}` */
  name: string;
  project: string;
  type: string;
  metricKind: MetricKind;
  valueType: ValueType;
  labels: LabelDescriptorRecord[];
  unit: string;
  description: string;
  displayName: string;
  /** true when CreateTimeSeries created it; such descriptors gain new labels on later writes */
  autoCreated: boolean;
}

export type MetricServiceRpc =
  | 'CreateTimeSeries'
  | 'CreateMetricDescriptor'
  | 'GetMetricDescriptor'
  | 'ListMetricDescriptors'
  | 'DeleteMetricDescriptor'
  | 'ListTimeSeries';

export interface Fault {
  /** gRPC status to return; `status.OK` (0) only delays (with delayMs) and then answers normally */
  code: status;
  /** how many matching calls fail before the fault is used up (default 1) */
  times?: number;
  /** which RPC it hits (default 'CreateTimeSeries'); '*' hits any RPC */
  rpc?: MetricServiceRpc | '*';
  /** apply the request first (points are recorded), then return the error */
  writeBeforeFailing?: boolean;
  /** wait this long before answering (after applying the write when writeBeforeFailing) */
  delayMs?: number;
  /** status message; defaults to a realistic text for the code */
  message?: string;
  /**
   * CreateTimeSeries only: fail just these indices of the request with `code` (a per-series error in the
   * partial-failure summary, e.g. INTERNAL) and write the others
   */
  series?: number[];
}

/**
 * `reason-first` (2019-2023 servers): `<reason>: timeSeries[0-2,5]`; `index-first` (2024+):
 * `timeSeries[0-2,5]: <reason>`; `with-example` (the newest, gcp-facts §1.2):
 * `timeSeries[0-2] (example metric.type="...", metric.labels={...}): write for resource=global{...} failed with: <reason>`
 */
export type PartialFailureFormat = 'reason-first' | 'index-first' | 'with-example';

export interface LocalMetricServiceOptions {
  /** port to bind on 127.0.0.1; default 0 (a free port) */
  port?: number;
  /**
   * clock in epoch ms: the 25h10s / 5 min windows, the write time recorded with each point, and the read time
   * against which reads decide what is visible; default Date.now
   */
  now?: () => number;
  /** how long after its write a point becomes readable (the real API ingests in seconds to minutes); default 0 */
  ingestionDelayMs?: number;
  /** minimum spacing between two points of one series; default 5000 (the current quota page) */
  samplingPeriodMs?: number;
  /** reject writes to metric types without a descriptor instead of auto-creating one */
  requireDescriptors?: boolean;
  /** default 'reason-first' */
  partialFailureFormat?: PartialFailureFormat;
  /**
   * CreateTimeSeries calls allowed per project in any 60 s of the clock; beyond it a call is refused whole with
   * RESOURCE_EXHAUSTED (the real API's per-minute ingestion quota); default unlimited
   */
  ingestionRequestsPerMinute?: number;
}

export interface PointFilter {
  metricType?: string;
  /** metric labels that must all be present with these values */
  labels?: Record<string, string>;
  resourceType?: string;
  resourceLabels?: Record<string, string>;
  project?: string;
}
