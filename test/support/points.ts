/** Reading back what the in-process MetricService accepted, in the shape the writer sent it. */
import type { RecordedPoint } from '../../local/metricService.js';

/** `{int64Value: 200}` or `{doubleValue: 0.1}`: the value of an accepted point with its type. */
export function typedValue(point: RecordedPoint | undefined): Record<string, unknown> | undefined {
  if (!point) return undefined;
  return point.valueType === 'INT64' ? { int64Value: point.value } : { doubleValue: point.value };
}
