/**
 * Shapes of the messages as @grpc/proto-loader decodes them (options in proto.ts: camelCase fields,
 * int64 as decimal strings, enums as names, oneof discriminators, no defaults) and conversions between
 * them and the records in types.ts.
 */
import type {
  BucketOptions,
  MetricDescriptorRecord,
  PointValue,
  RecordedDistribution,
  ValueType,
} from './types.js';

export interface WireTimestamp {
  seconds?: string | number;
  nanos?: number;
}

export interface WireInterval {
  startTime?: WireTimestamp | null;
  endTime?: WireTimestamp | null;
}

export interface WireBucketOptions {
  linearBuckets?: { numFiniteBuckets?: number; width?: number; offset?: number } | null;
  exponentialBuckets?: { numFiniteBuckets?: number; growthFactor?: number; scale?: number } | null;
  explicitBuckets?: { bounds?: number[] } | null;
  options?: string;
}

export interface WireDistribution {
  count?: string | number;
  mean?: number;
  sumOfSquaredDeviation?: number;
  range?: { min?: number; max?: number } | null;
  bucketOptions?: WireBucketOptions | null;
  bucketCounts?: (string | number)[];
  exemplars?: unknown[];
}

export interface WireTypedValue {
  boolValue?: boolean;
  int64Value?: string | number;
  doubleValue?: number;
  stringValue?: string;
  distributionValue?: WireDistribution | null;
  /** oneof discriminator: name of the field that is set */
  value?: string;
}

export interface WirePoint {
  interval?: WireInterval | null;
  value?: WireTypedValue | null;
}

export interface WireMetric {
  type?: string;
  labels?: Record<string, string>;
}

export interface WireTimeSeries {
  metric?: WireMetric | null;
  resource?: WireMetric | null;
  metricKind?: string;
  valueType?: string;
  points?: WirePoint[];
  unit?: string;
  description?: string;
}

export interface WireLabelDescriptor {
  key?: string;
  valueType?: string;
  description?: string;
}

export interface WireMetricDescriptor {
  name?: string;
  type?: string;
  labels?: WireLabelDescriptor[];
  metricKind?: string;
  valueType?: string;
  unit?: string;
  description?: string;
  displayName?: string;
}

const NS_PER_S = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

export function timestampToNs(t: WireTimestamp): bigint {
  return BigInt(t.seconds ?? 0) * NS_PER_S + BigInt(t.nanos ?? 0);
}

export function nsToTimestamp(ns: bigint): { seconds: string; nanos: number } {
  return { seconds: (ns / NS_PER_S).toString(), nanos: Number(ns % NS_PER_S) };
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * NS_PER_MS;
}

/** RFC 3339 in UTC with trailing zeros of the fraction trimmed (Go's RFC3339Nano), as the API prints times. */
export function rfc3339(ns: bigint): string {
  const base = new Date(nsToMs(ns - (ns % NS_PER_S))).toISOString().slice(0, 19);
  const frac = ns % NS_PER_S;
  if (frac === 0n) return `${base}Z`;
  return `${base}.${frac.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

/** Go `time.Duration` text truncated to seconds: `189h27m56s`, `4m0s`, `12s`. */
export function goDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The value type a TypedValue carries, or undefined when no field of the oneof is set. */
export function valueTypeOf(v: WireTypedValue | null | undefined): ValueType | undefined {
  switch (v?.value) {
    case 'boolValue':
      return 'BOOL';
    case 'int64Value':
      return 'INT64';
    case 'doubleValue':
      return 'DOUBLE';
    case 'stringValue':
      return 'STRING';
    case 'distributionValue':
      return 'DISTRIBUTION';
    default:
      return undefined;
  }
}

export function bucketOptionsFromWire(b: WireBucketOptions | null | undefined): BucketOptions | undefined {
  switch (b?.options) {
    case 'explicitBuckets':
      return { explicitBuckets: { bounds: [...(b.explicitBuckets?.bounds ?? [])] } };
    case 'linearBuckets':
      return {
        linearBuckets: {
          numFiniteBuckets: b.linearBuckets?.numFiniteBuckets ?? 0,
          width: b.linearBuckets?.width ?? 0,
          offset: b.linearBuckets?.offset ?? 0,
        },
      };
    case 'exponentialBuckets':
      return {
        exponentialBuckets: {
          numFiniteBuckets: b.exponentialBuckets?.numFiniteBuckets ?? 0,
          growthFactor: b.exponentialBuckets?.growthFactor ?? 0,
          scale: b.exponentialBuckets?.scale ?? 0,
        },
      };
    default:
      return undefined;
  }
}

export function distributionFromWire(d: WireDistribution): RecordedDistribution {
  const out: RecordedDistribution = {
    count: Number(d.count ?? 0),
    mean: d.mean ?? 0,
    sumOfSquaredDeviation: d.sumOfSquaredDeviation ?? 0,
    bucketCounts: (d.bucketCounts ?? []).map(Number),
  };
  if (d.range) out.range = { min: d.range.min ?? 0, max: d.range.max ?? 0 };
  const bucketOptions = bucketOptionsFromWire(d.bucketOptions);
  if (bucketOptions) out.bucketOptions = bucketOptions;
  return out;
}

export function pointValueFromWire(v: WireTypedValue, type: ValueType): PointValue {
  switch (type) {
    case 'BOOL':
      return v.boolValue ?? false;
    case 'INT64':
      return Number(v.int64Value ?? 0);
    case 'DOUBLE':
      return v.doubleValue ?? 0;
    case 'STRING':
      return v.stringValue ?? '';
    case 'DISTRIBUTION':
      return distributionFromWire(v.distributionValue ?? {});
  }
}

export function pointValueToWire(value: PointValue, type: ValueType): Record<string, unknown> {
  switch (type) {
    case 'BOOL':
      return { boolValue: value };
    case 'INT64':
      return { int64Value: String(value) };
    case 'DOUBLE':
      return { doubleValue: value };
    case 'STRING':
      return { stringValue: value };
    case 'DISTRIBUTION': {
      const d = value as RecordedDistribution;
      return {
        distributionValue: {
          count: String(d.count),
          mean: d.mean,
          sumOfSquaredDeviation: d.sumOfSquaredDeviation,
          ...(d.range ? { range: d.range } : {}),
          ...(d.bucketOptions ? { bucketOptions: d.bucketOptions } : {}),
          bucketCounts: d.bucketCounts.map(String),
        },
      };
    }
  }
}

export function descriptorToWire(d: MetricDescriptorRecord): Record<string, unknown> {
  return {
    name: d.name,
    type: d.type,
    labels: d.labels.map((l) => ({ key: l.key, valueType: l.valueType, description: l.description })),
    metricKind: d.metricKind,
    valueType: d.valueType,
    unit: d.unit,
    description: d.description,
    displayName: d.displayName,
  };
}
