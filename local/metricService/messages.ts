/**
 * Every error text the local MetricService produces. Texts marked VERIFIED are copied from errors the real
 * API returned (quoted in public issue threads, see /work/shared/reference/gcp-facts.md §1.2); texts marked
 * LOCAL follow the real API's `Field <path> had an invalid value ...` style but were not seen verbatim.
 */
import { status } from '@grpc/grpc-js';
import type { PartialFailureFormat } from './types.js';

export const MAX_SERIES_PER_REQUEST = 200;
export const MAX_LABELS = 30;
export const MAX_LABEL_KEY_LENGTH = 100;
export const MAX_LABEL_VALUE_BYTES = 1024;
export const MAX_RELATIVE_NAME_LENGTH = 100;
export const MAX_BUCKETS = 200;
/** 25h10s */
export const PAST_LIMIT_MS = (25 * 3600 + 10) * 1000;
export const FUTURE_LIMIT_MS = 5 * 60 * 1000;

const field = (path: string, value?: string): string =>
  value === undefined
    ? `Field ${path} had an invalid value: `
    : `Field ${path} had an invalid value of "${value}": `;

export const requestMessages = {
  // LOCAL
  badName: (name: string) =>
    `${field('name', name)}The resource name must have the form projects/{project_id_or_number}.`,
  // LOCAL ("Request was missing field X" is the API's wording for absent required fields)
  noSeries: 'Request was missing field timeSeries.',
  // VERIFIED (ServiceWeaver/weaver-gke#142, census-instrumentation/opencensus-node#634)
  tooManySeries: `Field timeSeries had an invalid value: A maximum of ${MAX_SERIES_PER_REQUEST} TimeSeries can be written in a single request.`,
  // VERIFIED (vectordotdev/vector#18035): HTTP 400 for the whole request, without the partial-failure prefix
  projectMismatch: (i: number, value: string) =>
    `${field(`timeSeries[${i}].resource.labels.project_id`, value)}if present, must be the project number or ID in the request name.`,
  // RECALLED (the quota error shape of Google APIs; limit name from the quota page), RESOURCE_EXHAUSTED
  ingestionQuota: (project: string, perMinute: number) =>
    `Quota exceeded for quota metric 'Time series ingestion requests' and limit 'Time series ingestion requests per minute' of service 'monitoring.googleapis.com' for consumer 'project:${project}' (local limit: ${perMinute} per minute).`,
};

export const seriesMessages = {
  // VERIFIED (google/go-metrics-stackdriver#5, GoogleCloudPlatform/ops-agent#1199)
  duplicate: (i: number) =>
    `${field(`timeSeries[${i}]`)}Duplicate TimeSeries encountered. Only one point can be written per TimeSeries per request.`,
  // LOCAL
  pointCount: (i: number, n: number) =>
    `${field(`timeSeries[${i}].points`)}Exactly one point must be written per TimeSeries per request, but ${n} were given.`,
  // LOCAL
  badMetricType: (path: string, type: string) =>
    `${field(path, type)}The metric type is invalid. A user-defined metric type starts with custom.googleapis.com/ or external.googleapis.com/ and its relative name has at most ${MAX_RELATIVE_NAME_LENGTH} letters, digits, '/' and '_'.`,
  // LOCAL
  badLabelKey: (path: string, key: string) =>
    `${field(path, key)}Label keys must match [a-zA-Z][a-zA-Z0-9_]* and have at most ${MAX_LABEL_KEY_LENGTH} characters.`,
  // LOCAL
  labelValueTooLong: (path: string, key: string) =>
    `${field(path, key)}Label values must have at most ${MAX_LABEL_VALUE_BYTES} bytes.`,
  // VERIFIED (GoogleCloudPlatform/prometheus-engine#493, with 30 instead of 100)
  tooManyLabels: (type: string) =>
    `The new labels would cause the metric ${type} to have over ${MAX_LABELS} labels.`,
  // VERIFIED (GoogleCloudPlatform/k8s-stackdriver#151)
  unrecognizedLabel: (i: number, j: number, key: string) =>
    `${field(`timeSeries[${i}].metric.labels[${j}]`, key)}Unrecognized metric label.`,
  // VERIFIED (GoogleCloudPlatform/opentelemetry-operations-java#248)
  resourceNotWritable: (type: string) =>
    `Metrics cannot be written to ${type}. See https://cloud.google.com/monitoring/custom-metrics/creating-metrics#which-resource for a list of writable resource types.`,
  // VERIFIED (GoogleCloudPlatform/opentelemetry-operations-java#139); labels sorted, space separated
  resourceLabelsMissing: (missing: string[]) =>
    `The set of resource labels is incomplete. Missing labels: (${missing.join(' ')}).`,
  // LOCAL
  unrecognizedResourceLabel: (i: number, j: number, key: string) =>
    `${field(`timeSeries[${i}].resource.labels[${j}]`, key)}Unrecognized resource label.`,
  // LOCAL
  labelValueType: (i: number, j: number, key: string, value: string, valueType: 'BOOL' | 'INT64') =>
    `${field(`timeSeries[${i}].metric.labels[${j}]`, value)}The metric descriptor declares label ${key} as ${valueType}; its value must be ${valueType === 'BOOL' ? 'true or false' : 'a 64-bit integer'}.`,
  // VERIFIED (Stackdriver/stackdriver-prometheus-sidecar#255: a per-series reason of a code 13 INTERNAL failure)
  internal:
    'Internal error encountered. Please retry after a few seconds. If internal errors persist, contact support at https://cloud.google.com/support/docs.',
  // LOCAL
  noEndTime: (i: number) =>
    `${field(`timeSeries[${i}].points[0].interval.end_time`)}The end time must be set.`,
  // LOCAL
  noValue: (i: number) => `${field(`timeSeries[${i}].points[0].value`)}The value must be set.`,
  // LOCAL
  valueTypeMismatchSeries: (i: number, declared: string, actual: string) =>
    `${field(`timeSeries[${i}].points[0].value`)}The value is of type ${actual} but the time series declares value type ${declared}.`,
  // VERIFIED (telegraf#13826)
  tooOld: (i: number, end: string, age: string) =>
    `${field(`timeSeries[${i}].points[0].interval.end_time`, end)}Data points cannot be written more than approximately 24 hours in the past, specifically no more than 25h10s in the past. Your data point is ${age} before the present time, which is too far in the past.`,
  // LOCAL (mirrors tooOld)
  tooNew: (i: number, end: string, ahead: string) =>
    `${field(`timeSeries[${i}].points[0].interval.end_time`, end)}Data points cannot be written more than 5m0s in the future. Your data point is ${ahead} after the present time, which is too far in the future.`,
  // VERIFIED (Stackdriver/stackdriver-prometheus-sidecar#86, firezone/firezone#8026)
  metricKindMismatch: (type: string, expected: string, actual: string) =>
    `Metric kind for metric ${type} must be ${expected}, but is ${actual}.`,
  // VERIFIED (micrometer-metrics/micrometer#2160)
  valueTypeMismatch: (type: string, expected: string, actual: string) =>
    `Value type for metric ${type} must be ${expected}, but is ${actual}.`,
  // LOCAL
  noDescriptor: (i: number, type: string) =>
    `${field(`timeSeries[${i}].metric.type`, type)}There is no metric descriptor for this metric type, and this server does not auto-create descriptors (requireDescriptors). Create it with CreateMetricDescriptor first.`,
  // LOCAL
  cannotAutoCreate: (type: string, what: string) =>
    `Cannot auto-create a metric descriptor for metric ${type}: ${what}. Create it with CreateMetricDescriptor first.`,
  // VERIFIED (istio/istio#13235)
  gaugeStart: (i: number, start: string, end: string, type: string) =>
    `${field(`timeSeries[${i}].points[0].interval.start_time`, start)}The start time must be equal to the end time (${end}) for the gauge metric '${type}'.`,
  // VERIFIED (census-ecosystem/opencensus-go-exporter-stackdriver#266)
  nonGaugeStart: (i: number, start: string, end: string, type: string) =>
    `${field(`timeSeries[${i}].points[0].interval.start_time`, start)}The start time must be before the end time (${end}) for the non-gauge metric '${type}'.`,
  // VERIFIED (googleapis/python-monitoring#57); also sent for an equal end time
  olderEnd:
    'Points must be written in order. One or more of the points specified had an older end time than the most recent point.',
  // VERIFIED (Stackdriver/collectd#191)
  olderStart:
    'Points must be written in order. One or more of the points specified had an older start time than the most recent point.',
  // VERIFIED (googleforgames/open-match#569)
  tooFrequent:
    'One or more points were written more frequently than the maximum sampling period configured for the metric.',
};

/** Texts of the descriptor and read RPCs (LOCAL, except `metricNotFound`, which is RECALLED from the real API). */
export const rpcMessages = {
  badDescriptorName: (name: string) =>
    `${field('name', name)}The resource name must have the form projects/{project_id_or_number}/metricDescriptors/{metric_type}.`,
  descriptorNotFound: (project: string, type: string) =>
    `Could not find a metric descriptor for metric type "${type}" in project ${project}.`,
  badKind: (kind: string) =>
    `${field('metricDescriptor.metricKind', kind)}The metric kind must be GAUGE, DELTA or CUMULATIVE.`,
  badValueType: (valueType: string) =>
    `${field('metricDescriptor.valueType', valueType)}The value type must be BOOL, INT64, DOUBLE, STRING or DISTRIBUTION.`,
  tooManyDescriptorLabels: `${field('metricDescriptor.labels')}A metric descriptor can have at most ${MAX_LABELS} labels.`,
  badLabelValueType: (j: number, valueType: string) =>
    `${field(`metricDescriptor.labels[${j}].valueType`, valueType)}Label value types are STRING, BOOL or INT64.`,
  descriptorChange: (type: string, from: string, to: string) =>
    `${field('metricDescriptor')}The metric descriptor for ${type} already exists as ${from} and has data; it cannot be changed to ${to}. Delete it first.`,
  filterField: (filter: string, fieldName: string, allowed: readonly string[]) =>
    `${field('filter', filter)}${fieldName} cannot be used in this filter (allowed: ${allowed.join(', ')}).`,
  filterNeedsOneType: (filter: string) =>
    `${field('filter', filter)}The filter must specify exactly one metric type (metric.type = "...").`,
  noIntervalEnd: `${field('interval.endTime')}The end time must be set.`,
  intervalReversed: `${field('interval.startTime')}The start time must not be later than the end time.`,
  aggregation:
    'Aggregation is not implemented by the local MetricService; request raw points (no aggregation).',
  // RECALLED wording of the real API's NOT_FOUND for an unknown metric type (not confirmed from a source)
  metricNotFound: (type: string) =>
    `Cannot find metric(s) that match type = "${type}". If a metric was created recently, it could take up to 10 minutes to become available. Please try again soon.`,
  unimplemented: (rpc: string) => `${rpc} is not implemented by the local MetricService.`,
};

/** Prefix of every DISTRIBUTION problem (VERIFIED, census-ecosystem/opencensus-go-exporter-stackdriver#98). */
export const distributionField = (i: number): string => field(`timeSeries[${i}].points[0].distributionValue`);

export const distributionMessages = {
  // VERIFIED (census-ecosystem/opencensus-go-exporter-stackdriver#41)
  noBounds: 'Distribution |explicit_buckets.bounds| does not have at least one entry.',
  // LOCAL
  boundsNotIncreasing: (j: number) =>
    `Distribution |explicit_buckets.bounds| is not strictly increasing at index ${j}.`,
  // LOCAL
  badBucketOption: (what: string) => `Distribution ${what}.`,
  // LOCAL
  tooManyBuckets: (n: number) =>
    `Distribution bucketing options define ${n} buckets, which is more than the ${MAX_BUCKETS} buckets allowed.`,
  // VERIFIED (census-ecosystem/opencensus-go-exporter-stackdriver#98)
  tooManyCounts: (given: number, allowed: number) =>
    `Distribution value has ${given} |bucket_counts| fields, which is more than the ${allowed} buckets allowed by the bucketing options.`,
  // LOCAL
  countsWithoutOptions: 'Distribution value has |bucket_counts| fields but no |bucket_options|.',
  // VERIFIED (micrometer-metrics/micrometer#1325)
  negativeBucket: (j: number) => `Distribution bucket_counts(${j}) has a negative count.`,
  // LOCAL
  negativeCount: (count: number) => `Distribution |count| field value of ${count} is negative.`,
  // VERIFIED (micrometer-metrics/micrometer#5651)
  sumMismatch: (sum: number, count: number) =>
    `Distribution value has |bucket_counts| fields that sum to ${sum} which does not equal the |count| field value of ${count}.`,
  // LOCAL
  zeroCountStats:
    'Distribution value has a |count| of 0 but a non-zero |mean| or |sum_of_squared_deviation|.',
  // LOCAL
  zeroCountRange: 'Distribution value has a |count| of 0 but has a |range|.',
  // LOCAL
  negativeSsd: 'Distribution |sum_of_squared_deviation| is negative.',
};

export const PARTIAL_FAILURE_PREFIX = 'One or more TimeSeries could not be written: ';

/** `[0,1,2,5,7,8]` → `0-2,5,7,8`: runs of three or more collapse to `a-b`, like `timeSeries[2,3,5,12,13]` / `timeSeries[6-10]`. */
export function formatIndexList(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length; ) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end++;
    if (end - k >= 2) {
      parts.push(`${sorted[k]}-${sorted[end]}`);
    } else {
      for (let j = k; j <= end; j++) parts.push(String(sorted[j]));
    }
    k = end + 1;
  }
  return parts.join(',');
}

/** The series a failure names in the newest format: `(example metric.type="...", metric.labels={...})`. */
export interface FailureExample {
  metricType: string;
  metricLabels: Record<string, string>;
  resourceType: string;
  resourceLabels: Record<string, string>;
}

export interface SeriesFailure {
  index: number;
  reason: string;
  /** the google.rpc.Code of this series' error; default INVALID_ARGUMENT */
  code?: status;
  example?: FailureExample;
}

export interface FailureGroup {
  reason: string;
  code: status;
  indices: number[];
  /** the first failing series of the group */
  example?: FailureExample;
}

/** Distinct (reason, code) pairs in order of first failing index, each with the indices that failed for it. */
export function groupFailures(failures: readonly SeriesFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of [...failures].sort((a, b) => a.index - b.index)) {
    const code = f.code ?? status.INVALID_ARGUMENT;
    const key = `${code}\u0000${f.reason}`;
    const group = groups.get(key);
    if (group) group.indices.push(f.index);
    else
      groups.set(key, {
        reason: f.reason,
        code,
        indices: [f.index],
        ...(f.example ? { example: f.example } : {}),
      });
  }
  return [...groups.values()];
}

/**
 * The status code of a partially failed request: INVALID_ARGUMENT when any series was invalid, else the code
 * of the first group (a request whose only failures are internal answers INTERNAL, as in
 * Stackdriver/stackdriver-prometheus-sidecar#255).
 */
export function partialFailureCode(groups: readonly FailureGroup[]): status {
  if (groups.some((g) => g.code === status.INVALID_ARGUMENT)) return status.INVALID_ARGUMENT;
  return groups[0]?.code ?? status.INVALID_ARGUMENT;
}

const printLabels = (labels: Record<string, string>, pair: (k: string, v: string) => string) =>
  Object.keys(labels)
    .sort()
    .map((k) => pair(k, labels[k] ?? ''))
    .join(', ');

/** `(example metric.type="T", metric.labels={k: "v"}): write for resource=global{project_id:demo} failed with: ` */
function examplePrefix(e: FailureExample): string {
  const metricLabels = printLabels(e.metricLabels, (k, v) => `${k}: "${v}"`);
  const resourceLabels = printLabels(e.resourceLabels, (k, v) => `${k}:${v}`).replaceAll(', ', ',');
  return ` (example metric.type="${e.metricType}", metric.labels={${metricLabels}}): write for resource=${e.resourceType}{${resourceLabels}} failed with: `;
}

export function partialFailureMessage(
  failures: readonly SeriesFailure[],
  format: PartialFailureFormat,
): string {
  const parts = groupFailures(failures).map(({ reason, indices, example }) => {
    const where = `timeSeries[${formatIndexList(indices)}]`;
    if (format === 'with-example' && example) return `${where}${examplePrefix(example)}${reason}`;
    return format === 'reason-first' ? `${reason}: ${where}` : `${where}: ${reason}`;
  });
  return PARTIAL_FAILURE_PREFIX + parts.join('; ');
}
