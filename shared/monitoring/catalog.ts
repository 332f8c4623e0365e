/** The metric catalog (metrics.json), typed and checked once at load. */
import * as z from 'zod';
import metrics from './metrics.json' with { type: 'json' };

/** What the writer writes (series.ts): one gauge point per window, a double or an integer. */
export const MetricKind = ['GAUGE'] as const;
export const ValueType = ['INT64', 'DOUBLE'] as const;

const MetricEntry = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)*$/),
  statistic: z.string(),
  writtenBy: z.string(),
  kind: z.enum(MetricKind),
  valueType: z.enum(ValueType),
  unit: z.string(),
  alertBearing: z.boolean(),
  /** A sample size: written even below a monitor's minimum sample, when the statistics are withheld. */
  sampleSize: z.literal(true).optional(),
  displayName: z.string().max(100),
  description: z.string().max(1000),
  /** Labels beyond the catalog-wide ones, e.g. the reliability bin of a per-bin gauge. */
  extraLabels: z
    .array(z.strictObject({ key: z.string().regex(/^[a-z][a-z0-9_]*$/), description: z.string() }))
    .optional(),
});
export type MetricEntry = z.infer<typeof MetricEntry>;

export const Catalog = z.strictObject({
  description: z.string(),
  typePrefix: z.string().startsWith('custom.googleapis.com/'),
  resourceType: z.literal('global'),
  labels: z.array(z.strictObject({ key: z.string().regex(/^[a-z][a-z0-9_]*$/), description: z.string() })),
  metrics: z.array(MetricEntry),
});
export type Catalog = z.infer<typeof Catalog>;

export const catalog: Catalog = Catalog.parse(metrics);

/** The full metric type of a catalog entry, e.g. custom.googleapis.com/liftwatch/drift/psi. */
export function metricType(entry: Pick<MetricEntry, 'name'>): string {
  return `${catalog.typePrefix}${entry.name}`;
}

/**
 * The catalog entries one function writes for a batch: all of them, or only the sample sizes when the batch is
 * below the monitor's minimum sample (its statistics would page on noise).
 */
export function metricsToWrite(functionName: string, enoughData: boolean): MetricEntry[] {
  return metricsWrittenBy(functionName).filter((entry) => enoughData || entry.sampleSize);
}

/** The catalog entries one function writes. */
export function metricsWrittenBy(functionName: string): MetricEntry[] {
  return catalog.metrics.filter((entry) => entry.writtenBy === functionName);
}
