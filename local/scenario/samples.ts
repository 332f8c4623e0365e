/** Recorded points (local MetricService) and written series (in-process) as the alert evaluation's samples. */
import type { MetricSample } from '../../alerting/evaluation.js';
import { catalog } from '../../shared/monitoring/catalog.js';
import type { TimeSeries } from '../../shared/monitoring/series.js';
import type { RecordedPoint } from '../metricService.js';

/** drift/psi for custom.googleapis.com/liftwatch/drift/psi; undefined for a type outside the catalog. */
export function catalogName(metricType: string): string | undefined {
  return metricType.startsWith(catalog.typePrefix) ? metricType.slice(catalog.typePrefix.length) : undefined;
}

/**
 * The numeric points of the catalog's metrics, each visible from when the local MetricService made it readable;
 * `simTime` maps a point's end and visible times onto simulated time.
 */
export function samplesOfPoints(
  points: readonly RecordedPoint[],
  simTime: (realMs: number) => number = (t) => t,
): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const point of points) {
    const metric = catalogName(point.metricType);
    if (metric === undefined || typeof point.value !== 'number') continue;
    samples.push({
      metric,
      // project_id is a resource label; PromQL reads it as a label of the series and the alerts join on it.
      labels: { ...point.metricLabels, project_id: point.resourceLabels.project_id ?? point.project },
      timeMs: simTime(point.endTimeMs),
      visibleAtMs: simTime(point.visibleAtMs),
      value: point.value,
    });
  }
  return samples;
}

/**
 * The points of series as the writer sends them (one point each, double or int64 values), visible from
 * `visibleAtMs` when given (else from their end time).
 */
export function samplesOfSeries(series: readonly TimeSeries[], visibleAtMs?: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const one of series) {
    const metric = catalogName(one.metric?.type ?? '');
    const point = one.points?.[0];
    const value = point?.value?.doubleValue ?? point?.value?.int64Value;
    const end = point?.interval?.endTime;
    if (metric === undefined || value === undefined || value === null || !end) continue;
    samples.push({
      metric,
      labels: {
        ...((one.metric?.labels ?? {}) as Record<string, string>),
        project_id: String(one.resource?.labels?.project_id ?? ''),
      },
      timeMs: Number(end.seconds) * 1000 + Math.round(Number(end.nanos ?? 0) / 1e6),
      ...(visibleAtMs !== undefined ? { visibleAtMs } : {}),
      value: Number(value),
    });
  }
  return samples;
}
