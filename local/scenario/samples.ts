/** Points the local MetricService accepted (over gRPC or in process) as the alert evaluation's samples. */
import type { MetricSample } from '../../alerting/evaluation.js';
import { catalog } from '../../shared/monitoring/catalog.js';
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
