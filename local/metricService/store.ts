/** In-memory state: metric descriptors, series with their points, the log of accepted points, faults. */
import { status } from '@grpc/grpc-js';
import type {
  Fault,
  MetricDescriptorRecord,
  MetricKind,
  MetricServiceRpc,
  PointFilter,
  PointValue,
  RecordedPoint,
  ValueType,
} from './types.js';

export interface StoredPoint {
  startNs: bigint;
  endNs: bigint;
  value: PointValue;
  /** from when reads return the point (its write time plus the ingestion delay) */
  visibleAtMs: number;
}

export interface SeriesState {
  key: string;
  project: string;
  metricType: string;
  metricLabels: Record<string, string>;
  resourceType: string;
  resourceLabels: Record<string, string>;
  metricKind: MetricKind;
  valueType: ValueType;
  /** ascending by end time */
  points: StoredPoint[];
}

const descriptorKey = (project: string, type: string) => `${project}\u0000${type}`;

export class Store {
  private readonly descriptorMap = new Map<string, MetricDescriptorRecord>();
  readonly series = new Map<string, SeriesState>();
  readonly log: RecordedPoint[] = [];
  /** clock times of the CreateTimeSeries calls each project made within the ingestion quota */
  readonly ingestionTimes = new Map<string, number[]>();
  private readonly calls = new Map<MetricServiceRpc, number>();
  private faults: Fault[] = [];

  descriptor(project: string, type: string): MetricDescriptorRecord | undefined {
    return this.descriptorMap.get(descriptorKey(project, type));
  }

  putDescriptor(d: MetricDescriptorRecord): void {
    this.descriptorMap.set(descriptorKey(d.project, d.type), d);
  }

  /** Removes the descriptor and the stored series of its type (the log of accepted points is kept). */
  deleteDescriptor(project: string, type: string): boolean {
    const existed = this.descriptorMap.delete(descriptorKey(project, type));
    for (const [key, s] of this.series) {
      if (s.project === project && s.metricType === type) this.series.delete(key);
    }
    return existed;
  }

  allDescriptors(): MetricDescriptorRecord[] {
    return [...this.descriptorMap.values()];
  }

  hasSeriesOfType(project: string, type: string): boolean {
    for (const s of this.series.values()) if (s.project === project && s.metricType === type) return true;
    return false;
  }

  countCall(rpc: MetricServiceRpc): void {
    this.calls.set(rpc, (this.calls.get(rpc) ?? 0) + 1);
  }

  callCount(rpc: MetricServiceRpc): number {
    return this.calls.get(rpc) ?? 0;
  }

  addFault(f: Fault): void {
    const times = f.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new RangeError(`Fault.times must be a positive integer, got ${times}`);
    if (!Object.values(status).includes(f.code))
      throw new RangeError(`Fault.code ${f.code} is not a gRPC status`);
    this.faults.push({ ...f, times });
  }

  /** Consumes one use of the first queued fault that applies to `rpc`. */
  takeFault(rpc: MetricServiceRpc): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.rpc ?? 'CreateTimeSeries') === rpc || f.rpc === '*');
    const fault = this.faults[i];
    if (!fault) return undefined;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) this.faults.splice(i, 1);
    else this.faults[i] = { ...fault, times: left };
    return fault;
  }

  pendingFaults(): number {
    return this.faults.reduce((n, f) => n + (f.times ?? 1), 0);
  }

  /** The accepted points visible at `atMs` that match the filter, in acceptance order (copies). */
  points(filter: PointFilter, atMs: number): RecordedPoint[] {
    const subset = (want: Record<string, string> | undefined, have: Record<string, string>) =>
      !want || Object.entries(want).every(([k, v]) => have[k] === v);
    return this.log
      .filter(
        (p) =>
          p.visibleAtMs <= atMs &&
          (filter.metricType === undefined || p.metricType === filter.metricType) &&
          (filter.resourceType === undefined || p.resourceType === filter.resourceType) &&
          (filter.project === undefined || p.project === filter.project) &&
          subset(filter.labels, p.metricLabels) &&
          subset(filter.resourceLabels, p.resourceLabels),
      )
      .map((p) => structuredClone(p));
  }

  reset(): void {
    this.descriptorMap.clear();
    this.series.clear();
    this.log.length = 0;
    this.ingestionTimes.clear();
    this.calls.clear();
    this.faults = [];
  }
}
