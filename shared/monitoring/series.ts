/**
 * Turning a monitor's values into Cloud Monitoring time series: one series per catalog metric, identified by
 * (metric type, model, model_version, segment) on the `global` resource, with one point whose end time is
 * the end of the window the message describes.
 *
 * Why the window's end and not processing time: the point then means "the model's predictions in the window
 * ending at T", charts line up with the windows, and the same message always produces the same point, so a
 * redelivered message is recognised by Cloud Monitoring (a second point at the same end time is refused as
 * out of order) instead of being written twice. The series deliberately carries no instance label, so that
 * two instances handling the same message write the same series and cannot both succeed.
 */
import type { protos } from '@google-cloud/monitoring';
import type { Segment } from '../contracts/common.js';
import { catalog, type MetricEntry, metricType } from './catalog.js';

export type TimeSeries = protos.google.monitoring.v3.ITimeSeries;

/** The label of the whole population, when a message has no segment. */
export const ALL_SEGMENTS = 'all';

/** Canonical segment label: keys sorted, `key=value` joined by commas; `all` for no segment. */
export function segmentLabel(segment: Segment | undefined): string {
  const keys = Object.keys(segment ?? {}).sort();
  if (keys.length === 0) return ALL_SEGMENTS;
  return keys.map((key) => `${key}=${segment![key]}`).join(',');
}

export interface SeriesIdentity {
  projectId: string;
  model: string;
  modelVersion: string;
  segment: Segment | undefined;
  /** End of the window the values describe. */
  endTime: Date;
  /** Values of the entries' extraLabels, e.g. {bin: '0.1-0.2'} for a per-bin gauge. */
  extraLabels?: Record<string, string>;
}

/**
 * One series per catalog entry whose statistic is present and finite in `values` (withheld statistics are
 * simply absent), in catalog order.
 */
export function buildSeries(
  identity: SeriesIdentity,
  entries: readonly MetricEntry[],
  /** A monitor's statistics by name (entry.statistic); absent, null and non-numeric values are skipped. */
  values: object,
): TimeSeries[] {
  const labels = {
    model: identity.model,
    model_version: identity.modelVersion,
    segment: segmentLabel(identity.segment),
    ...identity.extraLabels,
  };
  const extraKeys = Object.keys(identity.extraLabels ?? {})
    .sort()
    .join(',');
  const seconds = Math.floor(identity.endTime.getTime() / 1000);
  const nanos = (identity.endTime.getTime() - seconds * 1000) * 1e6;
  const series: TimeSeries[] = [];
  for (const entry of entries) {
    const value = (values as Record<string, unknown>)[entry.statistic];
    if (typeof value !== 'number') continue;
    const declared = (entry.extraLabels ?? [])
      .map((label) => label.key)
      .sort()
      .join(',');
    if (declared !== extraKeys) {
      throw new RangeError(
        `buildSeries: ${entry.name} declares labels [${declared}] but was given [${extraKeys}]`,
      );
    }
    // Cloud Monitoring cannot hold NaN or Infinity; the monitor logs them (see nonFiniteStatistics).
    if (!Number.isFinite(value)) continue;
    series.push({
      metric: { type: metricType(entry), labels },
      resource: { type: catalog.resourceType, labels: { project_id: identity.projectId } },
      metricKind: entry.kind,
      valueType: entry.valueType,
      points: [
        {
          interval: { endTime: { seconds, nanos } },
          value: entry.valueType === 'INT64' ? { int64Value: Math.round(value) } : { doubleValue: value },
        },
      ],
    });
  }
  return series;
}

/** A series named for people, metric type and sorted labels: for log lines and bookkeeping. */
export function seriesName(series: TimeSeries): string {
  const labels = series.metric?.labels ?? {};
  return `${series.metric?.type}{${Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',')}}`;
}

/** The statistics among `values` that are numbers but not finite: never written, so the monitor says why. */
export function nonFiniteStatistics(values: object): string[] {
  return Object.entries(values)
    .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
    .map(([name, value]) => `${name}=${value}`);
}
