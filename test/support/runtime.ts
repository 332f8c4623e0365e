/**
 * A complete Runtime for handler tests: in-memory baseline stores, the local MetricService's write rules in
 * process on the runtime's clock (every point checked as the real API would), fixed clock.
 */
import { afterEach, beforeEach } from 'node:test';
import { InProcessMetricService } from '../../local/metricService/inProcess.js';
import { setLogSink } from '../../shared/log.js';
import { DEFAULT_MINIMUMS, type Runtime, setRuntime } from '../../shared/runtime.js';
import type { StoredFeatureBaseline } from '../../shared/store/featureBaselineStore.js';
import { captureLogs, MemoryBaselineStore } from './fakes.js';

export type TestRuntime = Runtime & {
  baselines: MemoryBaselineStore;
  featureBaselines: MemoryBaselineStore<StoredFeatureBaseline>;
  monitoring: InProcessMetricService;
};

export function testRuntime(overrides: Partial<Omit<Runtime, 'monitoring'>> = {}): TestRuntime {
  const runtime = {
    projectId: 'demo',
    baselines: new MemoryBaselineStore(),
    featureBaselines: new MemoryBaselineStore<StoredFeatureBaseline>(),
    monitoring: new InProcessMetricService({ now: () => runtime.now().getTime() }),
    ...DEFAULT_MINIMUMS,
    now: () => new Date(),
    ...overrides,
  } as TestRuntime;
  return runtime;
}

/**
 * For handler tests: before each test a fresh testRuntime is installed and log lines are captured; after it
 * both are restored. Read `harness.runtime` and `harness.logs` inside the tests.
 */
export function useTestRuntime(overrides: () => Partial<Omit<Runtime, 'monitoring'>> = () => ({})): {
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
