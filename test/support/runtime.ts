/** A complete Runtime for handler tests: in-memory store, recording Monitoring client, fixed clock. */
import { afterEach, beforeEach } from 'node:test';
import { setLogSink } from '../../shared/log.js';
import { DEFAULT_MINIMUMS, type Runtime, setRuntime } from '../../shared/runtime.js';
import { captureLogs, MemoryBaselineStore, RecordingMonitoringClient } from './fakes.js';

export function testRuntime(overrides: Partial<Runtime> = {}): Runtime & {
  baselines: MemoryBaselineStore;
  monitoring: RecordingMonitoringClient;
} {
  return {
    projectId: 'demo',
    baselines: new MemoryBaselineStore(),
    monitoring: new RecordingMonitoringClient(),
    ...DEFAULT_MINIMUMS,
    now: () => new Date(),
    ...overrides,
  } as Runtime & { baselines: MemoryBaselineStore; monitoring: RecordingMonitoringClient };
}

/**
 * For handler tests: before each test a fresh testRuntime is installed and log lines are captured; after it
 * both are restored. Read `harness.runtime` and `harness.logs` inside the tests.
 */
export function useTestRuntime(overrides: () => Partial<Runtime> = () => ({})): {
  readonly runtime: ReturnType<typeof testRuntime>;
  readonly logs: Record<string, unknown>[];
} {
  let runtime: ReturnType<typeof testRuntime> | undefined;
  let captured: ReturnType<typeof captureLogs> | undefined;
  let restore: (() => void) | undefined;
  beforeEach(() => {
    runtime = testRuntime(overrides());
    restore = setRuntime(runtime);
    captured = captureLogs(setLogSink);
  });
  afterEach(() => {
    captured?.restore();
    restore?.();
  });
  return {
    get runtime() {
      return runtime!;
    },
    get logs() {
      return captured!.lines;
    },
  };
}
