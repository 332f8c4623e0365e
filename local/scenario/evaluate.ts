/** The alerts of alerts.json over a scenario's samples, in simulated time. */

import { alertCatalog, alertPlan } from '../../alerting/alerts.js';
import { evaluateAlerts, type Incident, type MetricSample } from '../../alerting/evaluation.js';
import { publicationEnd, type Scenario } from './generate.js';
import { openAtEnd } from './summary.js';

/**
 * Alerts are evaluated past the moment the last point becomes visible by the longest time to fire (the
 * duration, on the alert's evaluation grid, plus one interval to reach the grid), so the last batches,
 * published late, can still page.
 */
export function evaluationEnd(scenario: Scenario): number {
  const longestMs = Math.max(
    ...alertCatalog.alerts.map((alert) => {
      const { durationMs, evaluationIntervalMs: step } = alertPlan(alert);
      return Math.ceil(durationMs / step) * step + step;
    }),
  );
  return publicationEnd(scenario).lastVisibleMs + longestMs;
}

/**
 * Evaluates alerts.json over simulated-time samples; incidents still firing when the data ends stay open. Ordered
 * by opening time, then alert and segment: two markets paging the same alert at the same evaluation (as a
 * pipeline break's calibration alerts and a calibration decay's can) come out in one order however their points
 * arrived.
 */
export function evaluateScenario(scenario: Scenario, samples: MetricSample[]): Incident[] {
  const incidents = evaluateAlerts(alertCatalog.alerts, samples, {
    startMs: scenario.startMs,
    endMs: evaluationEnd(scenario),
  });
  const ordered = [...incidents].sort(
    (a, b) =>
      a.openedAtMs - b.openedAtMs ||
      a.alert.localeCompare(b.alert) ||
      a.labels.segment.localeCompare(b.labels.segment) ||
      a.pendingSinceMs - b.pendingSinceMs,
  );
  return openAtEnd(ordered, scenario.endMs);
}
