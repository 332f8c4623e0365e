/** A complete Runtime for handler tests: in-memory store, recording Monitoring client, fixed clock. */
import type { Runtime } from '../../shared/runtime.js';
import { MemoryBaselineStore, RecordingMonitoringClient } from './fakes.js';

export function testRuntime(overrides: Partial<Runtime> = {}): Runtime & {
  baselines: MemoryBaselineStore;
  monitoring: RecordingMonitoringClient;
} {
  return {
    projectId: 'demo',
    baselines: new MemoryBaselineStore(),
    monitoring: new RecordingMonitoringClient(),
    driftMinSample: 100,
    calibrationMinimums: { pairs: 200, perClass: 10 },
    liftMinimums: { campaigns: 5, unitsPerArm: 500 },
    now: () => new Date(),
    ...overrides,
  } as Runtime & { baselines: MemoryBaselineStore; monitoring: RecordingMonitoringClient };
}
