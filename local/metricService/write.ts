/**
 * CreateTimeSeries: validates each series in request order and writes it at once when it passes
 * (partial success), so a later series sees the descriptor an earlier one auto-created.
 */
import { status } from '@grpc/grpc-js';
import { distributionProblem } from './distribution.js';
import {
  distributionField,
  FUTURE_LIMIT_MS,
  MAX_LABELS,
  MAX_SERIES_PER_REQUEST,
  seriesMessages as m,
  PAST_LIMIT_MS,
  requestMessages,
  type SeriesFailure,
} from './messages.js';
import { checkResource, isUserDefinedMetricType, labelProblem, projectOf, storeKey } from './names.js';
import type { SeriesState, Store } from './store.js';
import type { MetricDescriptorRecord, MetricKind, ValueType } from './types.js';
import {
  goDuration,
  msToNs,
  nsToMs,
  pointValueFromWire,
  rfc3339,
  timestampToNs,
  valueTypeOf,
  type WireTimeSeries,
} from './wire.js';

export interface WriteContext {
  store: Store;
  /** the write time recorded with every accepted point */
  nowMs: number;
  ingestionDelayMs: number;
  samplingPeriodMs: number;
  requireDescriptors: boolean;
  /** 1-based number of this CreateTimeSeries call */
  request: number;
  /** calls allowed per project in any 60 s of the clock (undefined: no limit) */
  ingestionRequestsPerMinute?: number | undefined;
  /** an injected per-series error: these indices fail with this code and reason, the others are written */
  seriesFault?: { indices: ReadonlySet<number>; code: status; reason: string } | undefined;
}

export type WriteResult =
  | { requestError: string; code: status }
  | { totalPoints: number; accepted: number; failures: SeriesFailure[] };

const QUOTA_WINDOW_MS = 60_000;

const AUTO_VALUE_TYPES: readonly string[] = ['BOOL', 'INT64', 'DOUBLE', 'DISTRIBUTION'];

export function createTimeSeries(
  ctx: WriteContext,
  req: { name?: string; timeSeries?: WireTimeSeries[] },
): WriteResult {
  const invalid = (requestError: string) => ({ requestError, code: status.INVALID_ARGUMENT });
  const project = projectOf(req.name);
  if (project === undefined) return invalid(requestMessages.badName(req.name ?? ''));
  const all = req.timeSeries ?? [];
  if (all.length === 0) return invalid(requestMessages.noSeries);
  if (all.length > MAX_SERIES_PER_REQUEST) return invalid(requestMessages.tooManySeries);
  // A resource project_id other than the request's fails the whole request, naming the series (no partial write).
  for (const [index, ts] of all.entries()) {
    const claimed = ts.resource?.labels?.project_id;
    if (claimed !== undefined && claimed !== project)
      return invalid(requestMessages.projectMismatch(index, claimed));
  }
  const quota = quotaProblem(ctx, project);
  if (quota) return { requestError: quota, code: status.RESOURCE_EXHAUSTED };

  const seen = new Set<string>();
  const failures: SeriesFailure[] = [];
  let accepted = 0;
  for (const [index, ts] of all.entries()) {
    const fault = ctx.seriesFault?.indices.has(index) ? ctx.seriesFault : undefined;
    const reason = fault ? fault.reason : writeOne(ctx, project, ts, index, seen);
    if (reason === undefined) accepted++;
    else
      failures.push({
        index,
        reason,
        code: fault?.code ?? status.INVALID_ARGUMENT,
        example: exampleOf(ts, project),
      });
  }
  const totalPoints = all.reduce((n, ts) => n + (ts.points?.length ?? 0), 0);
  return { totalPoints, accepted, failures };
}

/** Refuses the call when the project already made `ingestionRequestsPerMinute` calls in the last 60 s. */
function quotaProblem(ctx: WriteContext, project: string): string | undefined {
  const limit = ctx.ingestionRequestsPerMinute;
  if (limit === undefined) return undefined;
  const times = (ctx.store.ingestionTimes.get(project) ?? []).filter((t) => t > ctx.nowMs - QUOTA_WINDOW_MS);
  if (times.length >= limit) return requestMessages.ingestionQuota(project, limit);
  ctx.store.ingestionTimes.set(project, [...times, ctx.nowMs]);
  return undefined;
}

function exampleOf(ts: WireTimeSeries, project: string) {
  return {
    metricType: ts.metric?.type ?? '',
    metricLabels: { ...(ts.metric?.labels ?? {}) },
    resourceType: ts.resource?.type ?? '',
    resourceLabels: { project_id: project, ...(ts.resource?.labels ?? {}) },
  };
}

/** Validates series `i` and writes it; returns the reason it was rejected, or undefined. */
function writeOne(ctx: WriteContext, project: string, ts: WireTimeSeries, i: number, seen: Set<string>) {
  const metricType = ts.metric?.type ?? '';
  const metricLabels = { ...(ts.metric?.labels ?? {}) };
  const resourceType = ts.resource?.type ?? '';

  const resource = checkResource(i, resourceType, { ...(ts.resource?.labels ?? {}) }, project);
  const key = storeKey(
    metricType,
    metricLabels,
    resourceType,
    'labels' in resource ? resource.labels : (ts.resource?.labels ?? {}),
  );
  if (seen.has(key)) return m.duplicate(i);
  seen.add(key);

  const points = ts.points ?? [];
  const point = points[0];
  if (points.length !== 1 || !point) return m.pointCount(i, points.length);
  if (!isUserDefinedMetricType(metricType)) {
    return m.badMetricType(`timeSeries[${i}].metric.type`, metricType);
  }
  if (Object.keys(metricLabels).length > MAX_LABELS) return m.tooManyLabels(metricType);
  const badLabel = labelProblem(metricLabels, (j) => `timeSeries[${i}].metric.labels[${j}]`);
  if (badLabel) return badLabel;
  if ('reason' in resource) return resource.reason;

  const endTime = point.interval?.endTime;
  if (!endTime) return m.noEndTime(i);
  const valueType = valueTypeOf(point.value);
  if (!valueType || !point.value) return m.noValue(i);
  if (ts.valueType && ts.valueType !== 'VALUE_TYPE_UNSPECIFIED' && ts.valueType !== valueType) {
    return m.valueTypeMismatchSeries(i, ts.valueType, valueType);
  }

  const endNs = timestampToNs(endTime);
  const nowNs = msToNs(ctx.nowMs);
  if (endNs < nowNs - msToNs(PAST_LIMIT_MS)) {
    return m.tooOld(i, rfc3339(endNs), goDuration(nsToMs(nowNs - endNs)));
  }
  if (endNs > nowNs + msToNs(FUTURE_LIMIT_MS)) {
    return m.tooNew(i, rfc3339(endNs), goDuration(nsToMs(endNs - nowNs)));
  }

  const decision = descriptorDecision(ctx, project, i, ts, metricType, metricLabels, valueType);
  if ('reason' in decision) return decision.reason;
  const { metricKind, existing, newLabels } = decision;

  // Interval shape for the kind.
  const startTime = point.interval?.startTime;
  const startNs = startTime ? timestampToNs(startTime) : endNs;
  if (metricKind === 'GAUGE' && startNs !== endNs) {
    return m.gaugeStart(i, rfc3339(startNs), rfc3339(endNs), metricType);
  }
  if (metricKind !== 'GAUGE' && !(startNs < endNs)) {
    return m.nonGaugeStart(i, rfc3339(startNs), rfc3339(endNs), metricType);
  }

  if (valueType === 'DISTRIBUTION') {
    const problem = distributionProblem(point.value.distributionValue ?? {});
    if (problem) return distributionField(i) + problem;
  }

  const series = ctx.store.series.get(key);
  const disorder = orderProblem(ctx, series, metricKind, startNs, endNs);
  if (disorder) return disorder;

  // Accepted: commit descriptor changes, the series point and the log entry.
  commitDescriptor(ctx, project, ts, metricType, metricKind, valueType, existing, newLabels, metricLabels);
  const value = pointValueFromWire(point.value, valueType);
  const state: SeriesState = series ?? {
    key,
    project,
    metricType,
    metricLabels,
    resourceType,
    resourceLabels: resource.labels,
    metricKind,
    valueType,
    points: [],
  };
  const visibleAtMs = ctx.nowMs + ctx.ingestionDelayMs;
  state.points.push({ startNs, endNs, value, visibleAtMs });
  ctx.store.series.set(key, state);
  ctx.store.log.push({
    project,
    metricType,
    metricLabels: { ...metricLabels },
    resourceType,
    resourceLabels: { ...resource.labels },
    metricKind,
    valueType,
    value: structuredClone(value),
    startTimeMs: nsToMs(startNs),
    startTime: new Date(nsToMs(startNs)).toISOString(),
    endTimeMs: nsToMs(endNs),
    endTime: new Date(nsToMs(endNs)).toISOString(),
    writtenAtMs: ctx.nowMs,
    writtenAt: new Date(ctx.nowMs).toISOString(),
    visibleAtMs,
    visibleAt: new Date(visibleAtMs).toISOString(),
    request: ctx.request,
    index: i,
  });
  return undefined;
}

/** Checks the series against the existing descriptor of its type, or decides whether one may be auto-created. */
function descriptorDecision(
  ctx: WriteContext,
  project: string,
  i: number,
  ts: WireTimeSeries,
  metricType: string,
  metricLabels: Record<string, string>,
  valueType: ValueType,
): { reason: string } | { metricKind: MetricKind; existing?: MetricDescriptorRecord; newLabels: string[] } {
  const declaredKind =
    ts.metricKind && ts.metricKind !== 'METRIC_KIND_UNSPECIFIED' ? ts.metricKind : undefined;
  const existing = ctx.store.descriptor(project, metricType);
  if (!existing) {
    if (ctx.requireDescriptors) return { reason: m.noDescriptor(i, metricType) };
    const metricKind = (declaredKind ?? 'GAUGE') as MetricKind;
    if (metricKind !== 'GAUGE' && metricKind !== 'CUMULATIVE') {
      const what = `the metric kind must be GAUGE or CUMULATIVE, but is ${metricKind}`;
      return { reason: m.cannotAutoCreate(metricType, what) };
    }
    if (!AUTO_VALUE_TYPES.includes(valueType)) {
      const what = `the value type must be BOOL, INT64, DOUBLE or DISTRIBUTION, but is ${valueType}`;
      return { reason: m.cannotAutoCreate(metricType, what) };
    }
    return { metricKind, newLabels: [] };
  }
  if (declaredKind && declaredKind !== existing.metricKind) {
    return { reason: m.metricKindMismatch(metricType, existing.metricKind, declaredKind) };
  }
  if (valueType !== existing.valueType) {
    return { reason: m.valueTypeMismatch(metricType, existing.valueType, valueType) };
  }
  const declared = new Set(existing.labels.map((l) => l.key));
  const keys = Object.keys(metricLabels);
  const newLabels = keys.filter((k) => !declared.has(k));
  const [firstNew] = newLabels;
  // Explicit descriptors reject undeclared labels; auto-created ones grow (up to 30 labels).
  if (firstNew !== undefined && !existing.autoCreated) {
    return { reason: m.unrecognizedLabel(i, keys.indexOf(firstNew), firstNew) };
  }
  if (declared.size + newLabels.length > MAX_LABELS) return { reason: m.tooManyLabels(metricType) };
  const typed = labelTypeProblem(i, existing, metricLabels);
  if (typed) return { reason: typed };
  return { metricKind: existing.metricKind, existing, newLabels };
}

const LABEL_VALUE_PATTERNS = { BOOL: /^(true|false)$/, INT64: /^-?\d{1,19}$/ } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A label value that does not parse as the BOOL or INT64 its descriptor declares. */
function labelTypeProblem(
  i: number,
  descriptor: MetricDescriptorRecord,
  metricLabels: Record<string, string>,
): string | undefined {
  const keys = Object.keys(metricLabels);
  for (const { key, valueType } of descriptor.labels) {
    const value = metricLabels[key];
    if (value === undefined || valueType === 'STRING') continue;
    const parses =
      LABEL_VALUE_PATTERNS[valueType].test(value) &&
      (valueType === 'BOOL' || (BigInt(value) >= INT64_MIN && BigInt(value) <= INT64_MAX));
    if (!parses) return m.labelValueType(i, keys.indexOf(key), key, value, valueType);
  }
  return undefined;
}

/** Order and spacing against the latest accepted point of the series. */
function orderProblem(
  ctx: WriteContext,
  series: SeriesState | undefined,
  metricKind: MetricKind,
  startNs: bigint,
  endNs: bigint,
): string | undefined {
  const last = series?.points.at(-1);
  if (!last) return undefined;
  if (endNs <= last.endNs) return m.olderEnd;
  if (metricKind === 'CUMULATIVE' && startNs < last.startNs) return m.olderStart;
  if (metricKind === 'DELTA' && startNs < last.endNs) return m.olderStart;
  if (endNs - last.endNs < msToNs(ctx.samplingPeriodMs)) return m.tooFrequent;
  return undefined;
}

function commitDescriptor(
  ctx: WriteContext,
  project: string,
  ts: WireTimeSeries,
  type: string,
  metricKind: MetricKind,
  valueType: ValueType,
  existing: MetricDescriptorRecord | undefined,
  newLabels: string[],
  metricLabels: Record<string, string>,
): void {
  const label = (key: string) => ({ key, valueType: 'STRING' as const, description: '' });
  if (existing) {
    if (newLabels.length > 0) existing.labels.push(...newLabels.map(label));
    // "This field can only be changed through CreateTimeSeries when it is empty" (metric.proto)
    if (!existing.unit && ts.unit) existing.unit = ts.unit;
    if (!existing.description && ts.description) existing.description = ts.description;
    return;
  }
  ctx.store.putDescriptor({
    name: `projects/${project}/metricDescriptors/${type}`,
    project,
    type,
    metricKind,
    valueType,
    labels: Object.keys(metricLabels).map(label),
    unit: ts.unit ?? '',
    // what the real API puts into auto-created descriptors (google/exposure-notifications-verification-server#1064)
    description: ts.description || 'Auto-created custom metric.',
    displayName: '',
    autoCreated: true,
  });
}
