/**
 * In-process stand-ins for handler unit tests: a baseline store in a Map and a Monitoring client that records
 * requests and applies the one rule that matters for redelivery (a series' points must be newer). The end-to-end
 * tests use the Firestore emulator and the local MetricService instead.
 */
import type { TimeSeries } from '../../shared/monitoring/series.js';
import { seriesName } from '../../shared/monitoring/series.js';
import type { TimeSeriesClient } from '../../shared/monitoring/writer.js';
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

export class RecordingMonitoringClient implements TimeSeriesClient {
  readonly requests: TimeSeries[][] = [];
  /** Every series whose point was accepted, in order. */
  readonly accepted: TimeSeries[] = [];
  readonly latest = new Map<string, number>();
  /** gRPC codes to fail the next calls with, in order. */
  readonly failures: number[] = [];

  async createTimeSeries(request: { name: string; timeSeries: TimeSeries[] }): Promise<unknown> {
    const code = this.failures.shift();
    if (code !== undefined) throw Object.assign(new Error(`${code} injected`), { code, details: 'injected' });
    this.requests.push(request.timeSeries);
    const failed: string[] = [];
    request.timeSeries.forEach((series, index) => {
      const key = seriesName(series);
      const end = Number(series.points?.[0]?.interval?.endTime?.seconds);
      if ((this.latest.get(key) ?? -Infinity) >= end) {
        failed.push(
          `Points must be written in order. One or more of the points specified had an older end time than the most recent point.: timeSeries[${index}]`,
        );
      } else {
        this.latest.set(key, end);
        this.accepted.push(series);
      }
    });
    if (failed.length > 0) {
      throw Object.assign(new Error('3 INVALID_ARGUMENT'), {
        code: 3,
        details: `One or more TimeSeries could not be written: ${failed.join('; ')}`,
      });
    }
    return [{}];
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
