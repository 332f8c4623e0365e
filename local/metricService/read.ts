/**
 * ListTimeSeries: raw points only (no aggregation), exactly one `metric.type` clause, points whose end time
 * lies in [startTime, endTime] (startTime defaults to endTime) and that are visible at the service's clock
 * (written, plus the ingestion delay: a point written late is not read before it was written, whatever its end
 * time), newest first per series, view FULL or HEADERS.
 */
import { status } from '@grpc/grpc-js';
import { matches, paginate } from './filter.js';
import { rpcMessages as m } from './messages.js';
import {
  failWith,
  type HandlerContext,
  invalid,
  type ListRequest,
  listFilter,
  type Outcome,
  requestProject,
} from './rpc.js';
import type { StoredPoint } from './store.js';
import { nsToTimestamp, pointValueToWire, timestampToNs, type WireInterval } from './wire.js';

export interface ListTimeSeriesRequest extends ListRequest {
  interval?: WireInterval | null;
  aggregation?: {
    alignmentPeriod?: unknown;
    perSeriesAligner?: string;
    crossSeriesReducer?: string;
    groupByFields?: string[];
  } | null;
  view?: string;
}

function wantsAggregation(agg: ListTimeSeriesRequest['aggregation']): boolean {
  if (!agg) return false;
  return Boolean(
    agg.alignmentPeriod ||
      (agg.perSeriesAligner && agg.perSeriesAligner !== 'ALIGN_NONE') ||
      (agg.crossSeriesReducer && agg.crossSeriesReducer !== 'REDUCE_NONE') ||
      (agg.groupByFields?.length ?? 0) > 0,
  );
}

export function listTimeSeries(ctx: HandlerContext, req: ListTimeSeriesRequest): Outcome {
  const named = requestProject(req.name);
  if (!('project' in named)) return named;
  const { project } = named;
  const clauses = listFilter(req.filter, [
    'metric.type',
    'resource.type',
    'project',
    'metric.label',
    'resource.label',
  ]);
  if (!Array.isArray(clauses)) return clauses;
  const typeClauses = clauses.filter((c) => c.field === 'metric.type' && !c.negate);
  if (typeClauses.length !== 1) return invalid(m.filterNeedsOneType(req.filter ?? ''));
  const end = req.interval?.endTime;
  if (!end) return invalid(m.noIntervalEnd);
  const endNs = timestampToNs(end);
  const startNs = req.interval?.startTime ? timestampToNs(req.interval.startTime) : endNs;
  if (startNs > endNs) return invalid(m.intervalReversed);
  if (wantsAggregation(req.aggregation)) return failWith(status.UNIMPLEMENTED, m.aggregation);
  const exactType = typeClauses.find((c) => !c.prefix)?.value;
  const descriptor = exactType === undefined ? undefined : ctx.store.descriptor(project, exactType);
  if (exactType !== undefined && !descriptor) return failWith(status.NOT_FOUND, m.metricNotFound(exactType));

  const unit = descriptor?.unit ?? '';
  const readAtMs = ctx.now();
  const readable = (p: StoredPoint) => p.endNs >= startNs && p.endNs <= endNs && p.visibleAtMs <= readAtMs;
  const series = [...ctx.store.series.values()]
    .filter((s) => s.project === project && matches(clauses, s))
    .map((s) => ({ s, points: s.points.filter(readable).reverse() }))
    .filter(({ points }) => points.length > 0)
    .map(({ s, points }) => ({
      metric: { type: s.metricType, labels: s.metricLabels },
      resource: { type: s.resourceType, labels: s.resourceLabels },
      metricKind: s.metricKind,
      valueType: s.valueType,
      unit,
      points:
        req.view === 'HEADERS'
          ? []
          : points.map((p) => ({
              interval: { startTime: nsToTimestamp(p.startNs), endTime: nsToTimestamp(p.endNs) },
              value: pointValueToWire(p.value, s.valueType),
            })),
    }));
  const page = paginate(series, req.pageSize, req.pageToken);
  if ('error' in page) return invalid(page.error);
  return {
    response: { timeSeries: page.page, nextPageToken: page.nextPageToken, executionErrors: [], unit },
  };
}
