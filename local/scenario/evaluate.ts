/** The alerts of alerts.json over a scenario's samples, in simulated time. */

import { alertCatalog } from '../../alerting/alerts.js';
import { evaluateAlerts, type Incident, type MetricSample } from '../../alerting/evaluation.js';
import type { Scenario } from './generate.js';
import { openAtEnd } from './summary.js';

/** Alerts are evaluated past the last window by the longest duration, so its last batches can still page. */
export function evaluationEnd(scenario: Scenario): number {
  return scenario.endMs + Math.max(...alertCatalog.alerts.map((alert) => alert.durationSeconds)) * 1000;
}

/** Evaluates alerts.json over simulated-time samples; incidents still firing when the data ends stay open. */
export function evaluateScenario(scenario: Scenario, samples: MetricSample[]): Incident[] {
  const incidents = evaluateAlerts(alertCatalog.alerts, samples, {
    startMs: scenario.startMs,
    endMs: evaluationEnd(scenario),
  });
  return openAtEnd(incidents, scenario.endMs);
}
