/** CreateMetricDescriptor, GetMetricDescriptor, DeleteMetricDescriptor and ListMetricDescriptors. */
import { status } from '@grpc/grpc-js';
import { matches, paginate } from './filter.js';
import { MAX_LABELS, rpcMessages as m, seriesMessages } from './messages.js';
import { isUserDefinedMetricType, isValidLabelKey, parseDescriptorName } from './names.js';
import {
  failWith,
  type HandlerContext,
  invalid,
  type ListRequest,
  listFilter,
  type Outcome,
  requestProject,
} from './rpc.js';
import type {
  LabelDescriptorRecord,
  LabelValueType,
  MetricDescriptorRecord,
  MetricKind,
  ValueType,
} from './types.js';
import { descriptorToWire, type WireMetricDescriptor } from './wire.js';

const KINDS: readonly string[] = ['GAUGE', 'DELTA', 'CUMULATIVE'];
const VALUE_TYPES: readonly string[] = ['BOOL', 'INT64', 'DOUBLE', 'STRING', 'DISTRIBUTION'];
const LABEL_TYPES: readonly string[] = ['STRING', 'BOOL', 'INT64'];

/**
 * Applied at once (the real API creates descriptors asynchronously). "The metric descriptor is updated if it
 * already exists, except that metric labels are never removed." Changing the kind or value type of a
 * descriptor whose metric has data is refused.
 */
export function createDescriptor(
  ctx: HandlerContext,
  req: { name?: string; metricDescriptor?: WireMetricDescriptor | null },
): Outcome {
  const named = requestProject(req.name);
  if (!('project' in named)) return named;
  const { project } = named;
  const md = req.metricDescriptor ?? {};
  const type = md.type ?? '';
  if (!isUserDefinedMetricType(type)) {
    return invalid(seriesMessages.badMetricType('metricDescriptor.type', type));
  }
  const kind = md.metricKind ?? 'METRIC_KIND_UNSPECIFIED';
  if (!KINDS.includes(kind)) return invalid(m.badKind(kind));
  const valueType = md.valueType ?? 'VALUE_TYPE_UNSPECIFIED';
  if (!VALUE_TYPES.includes(valueType)) return invalid(m.badValueType(valueType));
  const labels = md.labels ?? [];
  for (const [j, l] of labels.entries()) {
    const key = l.key ?? '';
    if (!isValidLabelKey(key)) {
      return invalid(seriesMessages.badLabelKey(`metricDescriptor.labels[${j}].key`, key));
    }
    if (l.valueType && !LABEL_TYPES.includes(l.valueType)) {
      return invalid(m.badLabelValueType(j, l.valueType));
    }
  }

  const existing = ctx.store.descriptor(project, type);
  if (
    existing &&
    (existing.metricKind !== kind || existing.valueType !== valueType) &&
    ctx.store.hasSeriesOfType(project, type)
  ) {
    return invalid(
      m.descriptorChange(type, `${existing.metricKind}/${existing.valueType}`, `${kind}/${valueType}`),
    );
  }
  const merged = new Map<string, LabelDescriptorRecord>((existing?.labels ?? []).map((l) => [l.key, l]));
  for (const l of labels) {
    const key = l.key ?? '';
    merged.set(key, {
      key,
      valueType: (l.valueType ?? 'STRING') as LabelValueType,
      description: l.description ?? '',
    });
  }
  if (merged.size > MAX_LABELS) return invalid(m.tooManyDescriptorLabels);

  const descriptor: MetricDescriptorRecord = {
    name: `projects/${project}/metricDescriptors/${type}`,
    project,
    type,
    metricKind: kind as MetricKind,
    valueType: valueType as ValueType,
    labels: [...merged.values()],
    unit: md.unit ?? '',
    description: md.description ?? '',
    displayName: md.displayName ?? '',
    autoCreated: false,
  };
  ctx.store.putDescriptor(descriptor);
  return { response: descriptorToWire(descriptor) };
}

function find(
  ctx: HandlerContext,
  name: string | undefined,
): { descriptor: MetricDescriptorRecord } | Outcome {
  const parsed = parseDescriptorName(name);
  if (!parsed) return invalid(m.badDescriptorName(name ?? ''));
  const descriptor = ctx.store.descriptor(parsed.project, parsed.type);
  return descriptor
    ? { descriptor }
    : failWith(status.NOT_FOUND, m.descriptorNotFound(parsed.project, parsed.type));
}

export function getDescriptor(ctx: HandlerContext, req: { name?: string }): Outcome {
  const found = find(ctx, req.name);
  return 'descriptor' in found ? { response: descriptorToWire(found.descriptor) } : found;
}

/** Deletes the descriptor and the stored series of its type (like the real API, which drops its data). */
export function deleteDescriptor(ctx: HandlerContext, req: { name?: string }): Outcome {
  const found = find(ctx, req.name);
  if (!('descriptor' in found)) return found;
  ctx.store.deleteDescriptor(found.descriptor.project, found.descriptor.type);
  return { response: {} };
}

/** Filter: `metric.type = "X"` or `metric.type = starts_with("prefix")`; sorted by type. */
export function listDescriptors(ctx: HandlerContext, req: ListRequest): Outcome {
  const named = requestProject(req.name);
  if (!('project' in named)) return named;
  const clauses = listFilter(req.filter, ['metric.type', 'project']);
  if (!Array.isArray(clauses)) return clauses;
  const items = ctx.store
    .allDescriptors()
    .filter(
      (d) =>
        d.project === named.project &&
        matches(clauses, {
          metricType: d.type,
          project: d.project,
          metricLabels: {},
          resourceType: '',
          resourceLabels: {},
        }),
    )
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const page = paginate(items, req.pageSize, req.pageToken);
  if ('error' in page) return invalid(page.error);
  return {
    response: { metricDescriptors: page.page.map(descriptorToWire), nextPageToken: page.nextPageToken },
  };
}
