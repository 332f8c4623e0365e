/**
 * The alerts as a Prometheus rule file (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/):
 * one group per monitor, evaluated at the monitor's evaluation interval, each alert's PromQL from the same plan
 * Terraform's policies are rendered from, with `for` = its duration. `promtool test rules` runs these rules in
 * Prometheus's own engine (test/alerting/promtool.test.ts); the same file could be fed to
 * `gcloud monitoring policies migrate`. Written as JSON, which YAML readers accept.
 */
import {
  type Alert,
  type AlertCatalog,
  type AlertPlan,
  absenceQuery,
  alertCatalog,
  alertPlan,
  currentSeconds,
  type Monitor,
  promqlDuration,
  promqlOfPlan,
  segmentAbsenceQuery,
} from './alerts.js';

export interface PrometheusRule {
  alert: string;
  expr: string;
  for: string;
  labels?: Record<string, string>;
}

export interface PrometheusRuleGroup {
  name: string;
  interval: string;
  rules: PrometheusRule[];
}

export interface PrometheusRuleFile {
  groups: PrometheusRuleGroup[];
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** One alerting rule of a plan; `lookbackMs` replaces the plan's range (the late-visibility tests use it). */
export function alertingRule(plan: AlertPlan, lookbackMs = plan.lookbackMs): PrometheusRule {
  return { alert: plan.alert, expr: promqlOfPlan(plan, seconds(lookbackMs)), for: seconds(plan.durationMs) };
}

/** The rule group a set of plans of one monitor forms. */
export function ruleGroup(
  monitor: Monitor,
  plans: readonly AlertPlan[],
  lookbackMs?: (plan: AlertPlan) => number,
): PrometheusRuleGroup {
  const intervals = new Set(plans.map((plan) => plan.evaluationIntervalMs));
  if (intervals.size !== 1) throw new RangeError(`the ${monitor} alerts must share one evaluation interval`);
  return {
    name: `liftwatch_${monitor}`,
    interval: seconds([...intervals][0]!),
    rules: plans.map((plan) => alertingRule(plan, lookbackMs?.(plan))),
  };
}

/** Every alert of a catalog, grouped by monitor. */
export function alertRuleFile(alerts: AlertCatalog = alertCatalog): PrometheusRuleFile {
  const byMonitor = new Map<Monitor, Alert[]>();
  for (const alert of alerts.alerts)
    byMonitor.set(alert.monitor, [...(byMonitor.get(alert.monitor) ?? []), alert]);
  return {
    groups: [...byMonitor].map(([monitor, list]) =>
      ruleGroup(
        monitor,
        list.map((alert) => alertPlan(alert, alerts.timing)),
      ),
    ),
  };
}

/** The absence rules of a monitor: per model version, and per listed segment (Terraform's required_segments). */
export function absenceRules(
  monitor: Monitor,
  requiredSegments: readonly { project: string; model: string; segment: string }[] = [],
  alerts: AlertCatalog = alertCatalog,
): PrometheusRuleGroup {
  const { timing } = alerts;
  const current = promqlDuration(currentSeconds(timing, monitor));
  const memory = promqlDuration(timing.absenceMemorySeconds);
  return {
    name: `liftwatch_${monitor}_absence`,
    interval: `${timing.monitors[monitor].evaluationIntervalSeconds}s`,
    rules: [
      {
        alert: `${monitor}_version_absent`,
        expr: absenceQuery(monitor, { current, memory }, alerts),
        for: '0s',
      },
      ...requiredSegments.map((required) => ({
        alert: `${monitor}_segment_absent`,
        expr: segmentAbsenceQuery(monitor, { ...required, current }, alerts),
        for: '0s',
      })),
    ],
  };
}
