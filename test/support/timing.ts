/** Timings for tests that need the drift lookback cut back to what it was before publication delays counted. */
import { alertCatalog, type Timing } from '../../alerting/alerts.js';

/** The catalog's timing with the drift lookback cut to one cadence (no publish delay, no slack). */
export const ONE_CADENCE_DRIFT: Timing = {
  ...alertCatalog.timing,
  ingestionSlackSeconds: 0,
  monitors: {
    ...alertCatalog.timing.monitors,
    drift: { ...alertCatalog.timing.monitors.drift, publishDelaySeconds: 0 },
  },
};
