/** A complete Runtime for handler tests: in-memory store, recording Monitoring client, fixed clock. */
import { DEFAULT_MINIMUMS, type Runtime } from '../../shared/runtime.js';
import { MemoryBaselineStore, RecordingMonitoringClient } from './fakes.js';

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
