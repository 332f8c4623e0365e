/**
 * The monitors' own handlers (shared/monitors), run in this process on scenario messages, with an in-memory
 * baseline store, the local MetricService's write rules in process and a simulated clock: the production
 * computation and metric selection without the emulators, for simulations of many windows (the alert-quality
 * test). Every point is checked as the real API would at the simulated time of its message (25 h / 5 min
 * window, order, sampling period, labels, duplicates) and is visible from then plus `ingestionDelayMs`.
 * `npm start` goes through the local stack instead.
 */

import type { MetricSample } from '../../alerting/evaluation.js';
import type { Delivery } from '../../shared/delivery.js';
import { type LogFields, setLogSink } from '../../shared/log.js';
import { registerBaseline } from '../../shared/monitors/baseline.js';
import { monitorCalibration } from '../../shared/monitors/calibration.js';
import { monitorDrift } from '../../shared/monitors/drift.js';
import { registerFeatureBaseline } from '../../shared/monitors/featureBaseline.js';
import { monitorFeatures } from '../../shared/monitors/features.js';
import { monitorCampaignLift } from '../../shared/monitors/lift.js';
import { monitorUplift } from '../../shared/monitors/uplift.js';
import { DEFAULT_MINIMUMS, type Runtime } from '../../shared/runtime.js';
import {
  baselineDocumentId,
  type StoredBaseline,
  type VersionedStore,
} from '../../shared/store/baselineStore.js';
import type { StoredFeatureBaseline } from '../../shared/store/featureBaselineStore.js';
import { InProcessMetricService } from '../metricService/inProcess.js';
import type { MessageKind, Scenario } from './generate.js';
import { samplesOfPoints } from './samples.js';

const HANDLERS = {
  predictions: monitorDrift,
  features: monitorFeatures,
  outcomes: monitorCalibration,
  campaigns: monitorCampaignLift,
  uplift: monitorUplift,
} as const;

/** Baselines held in memory by (model, version): the store of in-process runs (the scenario, the day benchmark). */
export class MemoryBaselines<T extends StoredBaseline | StoredFeatureBaseline = StoredBaseline>
  implements VersionedStore<T>
{
  private readonly stored = new Map<string, T>();
  async get(model: string, modelVersion: string) {
    return this.stored.get(baselineDocumentId(model, modelVersion));
  }
  async put(baseline: T) {
    this.stored.set(baselineDocumentId(baseline.model, baseline.modelVersion), baseline);
    return true;
  }
}

export interface InProcessMonitors {
  /** Registers the scenario's prediction baseline and feature baseline. */
  register(scenario: Pick<Scenario, 'baseline' | 'featureBaseline'>): Promise<void>;
  /** Handles one message at simulated time `nowMs` (when it is published); returns its log lines. */
  handle(kind: MessageKind, message: Record<string, unknown>, nowMs: number): Promise<LogFields[]>;
  /** Every point written so far, visible from its write time plus the ingestion delay. */
  samples(): MetricSample[];
  /** The in-process MetricService the handlers write to (its store holds the accepted points). */
  monitoring: InProcessMetricService;
}

export function inProcessMonitors({
  projectId = 'liftwatch-simulation',
  ingestionDelayMs = 0,
} = {}): InProcessMonitors {
  let clockMs = 0;
  // The store's clock is the simulated now of the message being handled.
  const monitoring = new InProcessMetricService({ now: () => clockMs, ingestionDelayMs });
  const runtime: Runtime = {
    projectId,
    monitoring,
    baselines: new MemoryBaselines(),
    featureBaselines: new MemoryBaselines<StoredFeatureBaseline>(),
    ...DEFAULT_MINIMUMS,
    now: () => new Date(clockMs),
  };
  let sequence = 0;
  const deliver = async (
    message: Record<string, unknown>,
    handler: (d: Delivery, r: Runtime) => Promise<void>,
  ) => {
    const lines: LogFields[] = [];
    const context: LogFields = {};
    const delivery: Delivery = {
      data: Buffer.from(JSON.stringify(message)),
      messageId: String(++sequence),
      publishTime: new Date(clockMs),
      annotate: (fields) => Object.assign(context, fields),
      log: (severity, text, fields = {}) => lines.push({ severity, message: text, ...context, ...fields }),
    };
    // The handlers log through the delivery; anything logged directly is kept off stdout too.
    const restore = setLogSink(() => undefined);
    try {
      await handler(delivery, runtime);
    } finally {
      setLogSink(restore);
    }
    return lines;
  };
  return {
    async register({ baseline, featureBaseline }) {
      await deliver(baseline, registerBaseline);
      await deliver(featureBaseline, registerFeatureBaseline);
    },
    async handle(kind, message, nowMs) {
      clockMs = nowMs;
      return deliver(message, HANDLERS[kind]);
    },
    samples: () => samplesOfPoints(monitoring.allPoints()),
    monitoring,
  };
}
