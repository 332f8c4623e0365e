/**
 * In-process stand-ins for handler unit tests: baseline stores in a Map (Monitoring is the local
 * MetricService's write rules in process, local/metricService/inProcess.ts). The end-to-end tests use the
 * Firestore emulator and the local MetricService's gRPC server instead.
 */
import {
  baselineDocumentId,
  type StoredBaseline,
  type VersionedStore,
} from '../../shared/store/baselineStore.js';
import type { StoredFeatureBaseline } from '../../shared/store/featureBaselineStore.js';

/** A baseline store (prediction or feature baselines) with Firestore's rule: an older registration never wins. */
export class MemoryBaselineStore<T extends StoredBaseline | StoredFeatureBaseline = StoredBaseline>
  implements VersionedStore<T>
{
  readonly baselines = new Map<string, T>();
  failNext = 0;

  async get(model: string, modelVersion: string): Promise<T | undefined> {
    this.maybeFail();
    return this.baselines.get(baselineDocumentId(model, modelVersion));
  }

  async put(baseline: T): Promise<boolean> {
    this.maybeFail();
    const key = baselineDocumentId(baseline.model, baseline.modelVersion);
    const existing = this.baselines.get(key);
    if (existing && existing.publishedAt > baseline.publishedAt) return false;
    this.baselines.set(key, baseline);
    return true;
  }

  private maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('14 UNAVAILABLE: firestore is down'), { code: 14 });
    }
  }
}

/** Captures structured log lines for the duration of a test. */
export function captureLogs(setSink: (sink: (line: string) => void) => (line: string) => void): {
  lines: Record<string, unknown>[];
  restore: () => void;
} {
  const lines: Record<string, unknown>[] = [];
  const previous = setSink((line) => lines.push(JSON.parse(line)));
  return { lines, restore: () => void setSink(previous) };
}
