/**
 * In-process stand-ins for handler unit tests: a baseline store in a Map (Monitoring is the local
 * MetricService's write rules in process, local/metricService/inProcess.ts). The end-to-end tests use the
 * Firestore emulator and the local MetricService's gRPC server instead.
 */
import {
  type BaselineStore,
  baselineDocumentId,
  type StoredBaseline,
} from '../../shared/store/baselineStore.js';

export class MemoryBaselineStore implements BaselineStore {
  readonly baselines = new Map<string, StoredBaseline>();
  failNext = 0;

  async get(model: string, modelVersion: string): Promise<StoredBaseline | undefined> {
    this.maybeFail();
    return this.baselines.get(baselineDocumentId(model, modelVersion));
  }

  async put(baseline: StoredBaseline): Promise<boolean> {
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
