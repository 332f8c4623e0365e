/** The alerts of alerts.json over a scenario's samples, in simulated time. */

import { alertCatalog } from '../../alerting/alerts.js';
import {
  DEFAULT_EVALUATION_INTERVAL_MS,
  evaluateAlerts,
  type Incident,
  type MetricSample,
} from '../../alerting/evaluation.js';
import { publicationEnd, type Scenario } from './generate.js';
import { openAtEnd } from './summary.js';

/**
 * Alerts are evaluated past the moment the last point becomes visible by the longest duration and one
 * evaluation interval, so the last batches, published late, can still page.
 */
export function evaluationEnd(scenario: Scenario): number {
  const longestMs = Math.max(...alertCatalog.alerts.map((alert) => alert.durationSeconds)) * 1000;
  return publicationEnd(scenario).lastVisibleMs + longestMs + DEFAULT_EVALUATION_INTERVAL_MS;
}

/** Evaluates alerts.json over simulated-time samples; incidents still firing when the data ends stay open. */
export function evaluateScenario(scenario: Scenario, samples: MetricSample[]): Incident[] {
  const incidents = evaluateAlerts(alertCatalog.alerts, samples, {
    startMs: scenario.startMs,
    endMs: evaluationEnd(scenario),
  });
  return openAtEnd(incidents, scenario.endMs);
}
